"""Opening a story's History: the new block-by-block diff against the old
word diff over the whole body.

Builds stories of --words words (paragraphs of 50 words of ordinary prose)
in a scratch SQLite database, each saved twice with one of three edits: one
paragraph edited (three words changed across it), a word changed in every
10th paragraph, and the whole body rewritten. Times opening the real History
page through Django's test client, and `diffs.diff` alone on the two
revisions' snapshots. The baseline, measured in the same run, is the old
algorithm: one SequenceMatcher over every word of the body, run only up to
--old-up-to words because it grows with the square of the body.

    .venv/bin/python bench/history.py [--words 1000,4000,8000] [--old-up-to 4000]
"""

import argparse
import difflib
import random
import re
import statistics
import time

from scratch import django_on_scratch

WORDS_A_PARAGRAPH = 50
COMMON = "the a of to and in that is was for on with as by at from it said he she they".split()


def prose(rng: random.Random, words: int) -> str:
    """Ordinary prose as a matcher sees it: about half the words common
    ones, the rest from a vocabulary of a few thousand."""
    chosen = [
        rng.choice(COMMON) if rng.random() < 0.45 else f"term{rng.randrange(3000)}"
        for _ in range(words)
    ]
    return " ".join(chosen).capitalize() + "."


def edits(rng: random.Random, paragraphs: list[str]) -> dict[str, list[str]]:
    """The three edits, each as the new list of paragraphs."""
    one = [*paragraphs]
    words = one[len(one) // 2].split()
    for index in (5, 25, 45):
        words[index] = "changed"
    one[len(one) // 2] = " ".join(words)
    every_tenth = [
        text.replace(" ", " amended ", 1) if number % 10 == 0 else text
        for number, text in enumerate(paragraphs)
    ]
    rewritten = [prose(rng, WORDS_A_PARAGRAPH) for _ in paragraphs]
    return {
        "one paragraph edited": one,
        "a word in every 10th paragraph": every_tenth,
        "whole body rewritten": rewritten,
    }


def html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def old_body_diff(before: str, after: str) -> str:
    """The algorithm this replaces: the whole body as one text, word-diffed."""
    from django.utils.html import escape

    from articles.diffs import _block_text
    from articles.richtext import split_blocks

    def text(body: str) -> str:
        return "\n\n".join(_block_text(block) for block in split_blocks(body))

    old = re.findall(r"\s+|[^\s]+", text(before))
    new = re.findall(r"\s+|[^\s]+", text(after))
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return "".join(parts)


def timed(work, repeat: int) -> float:
    """The median of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def story_with_edit(paragraphs: list[str], edited: list[str]):
    from articles.models import Article, Section
    from articles.services import content

    section = Section.objects.get_or_create(name="Bench", slug="bench")[0]
    story = Article.objects.create(
        headline="A long story for the history bench",
        slug=f"history-bench-{Article.objects.count()}",
        body=html(paragraphs),
        section=section,
    )
    content.revision_record(article=story, user=None, action="Created")
    story.body = html(edited)
    story.save()
    content.revision_record(article=story, user=None, action="Edited")
    return story


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", default="1000,4000,8000")
    parser.add_argument("--old-up-to", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    django_on_scratch()
    from django.contrib.auth.models import User
    from django.test import Client

    from articles import diffs

    client = Client()
    client.force_login(User.objects.create_superuser("bench", password="bench-only"))

    rng = random.Random(2026)
    print(f"\n{'words':>6}  {'edit':32}{'page':>9}{'diff':>9}{'old diff':>10}{'old/new':>9}")
    for words in (int(n) for n in args.words.split(",")):
        paragraphs = [prose(rng, WORDS_A_PARAGRAPH) for _ in range(words // WORDS_A_PARAGRAPH)]
        for name, edited in edits(rng, paragraphs).items():
            story = story_with_edit(paragraphs, edited)
            url = f"/admin/articles/article/{story.pk}/history/"
            assert client.get(url).status_code == 200
            new, old = (revision.data for revision in story.revisions.all())
            page = timed(lambda url=url: client.get(url), args.repeat)
            diff = timed(lambda old=old, new=new: diffs.diff(old, new), args.repeat)
            row = f"{words:>6}  {name:32}{page * 1e3:>7.0f}ms{diff * 1e3:>7.0f}ms"
            if words <= args.old_up_to:
                before = timed(lambda old=old, new=new: old_body_diff(old["body"], new["body"]), 1)
                row += f"{before * 1e3:>8.0f}ms{before / diff:>8.0f}x"
            print(row, flush=True)


if __name__ == "__main__":
    main()
