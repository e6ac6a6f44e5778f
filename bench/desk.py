"""The desk's pages: server time and queries, with the demo newsroom.

Loads the demo newsroom into a scratch SQLite database, logs in as its
editor (and its reporter), and times each desk page through Django's test
client: the dashboard, the story list and its quick views, the story form
(new and the demo story with the most bylines, tags and READ MORE lines),
a story's History and a restore's confirmation, the picture picker and the
form's report of typing kept. The baseline, measured in the same run, is
the admin's own password page: the least any desk page costs here.

    .venv/bin/python bench/desk.py [--repeat 15]
"""

import argparse
import statistics
import time

from scratch import django_on_scratch

# The goal: every desk page in under this much server time.
GOAL_MS = 300


def timed(client, method: str, path: str, repeat: int, **extra) -> tuple[float, int, int]:
    """The median time of `repeat` requests in milliseconds, the queries of
    the last, and its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, status = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = getattr(client, method)(path, **extra)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    with CaptureQueriesContext(connection) as queries:
        getattr(client, method)(path, **extra)
    return statistics.median(times), len(queries), status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    django_on_scratch()
    import json

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from articles.models import Article

    call_command("load_demo", verbosity=0)
    editor, reporter = Client(), Client()
    editor.force_login(User.objects.get(username="editor"))
    reporter.force_login(User.objects.get(username="reporter"))
    story = (
        Article.objects.annotate(
            weight=Count("bylines", distinct=True)
            + Count("related_links", distinct=True)
            + Count("tagged_items", distinct=True)
        )
        .order_by("-weight", "pk")
        .first()
    )
    newest = story.revisions.order_by("-number").first().number
    stories = "/admin/articles/article/"
    pages = [
        ("baseline: the password page", editor, "get", "/admin/password_change/", {}),
        ("dashboard, editor", editor, "get", "/admin/", {}),
        ("dashboard, reporter", reporter, "get", "/admin/", {}),
        ("story list", editor, "get", stories, {}),
        ("story list, in review", editor, "get", f"{stories}?view=review", {}),
        ("story list, reporter", reporter, "get", stories, {}),
        ("new story form", editor, "get", f"{stories}add/", {}),
        ("story form", editor, "get", f"{stories}{story.pk}/change/", {}),
        ("story History", editor, "get", f"{stories}{story.pk}/history/", {}),
        (
            "restore confirmation",
            editor,
            "get",
            f"{stories}{story.pk}/history/{max(newest - 1, 1)}/restore/",
            {},
        ),
        ("picture picker", editor, "get", "/admin/articles/image/picker/", {}),
        (
            "typing kept (report)",
            editor,
            "post",
            f"{stories}{story.pk}/editing/",
            {
                "data": json.dumps({"version": story.version, "unsaved": {"headline": "x"}}),
                "content_type": "application/json",
            },
        ),
    ]
    print(
        f"Demo newsroom, SQLite; story form of “{story.headline[:50]}” "
        f"({story.bylines.count()} bylines, {story.related_links.count()} READ MORE lines, "
        f"{story.tags.count()} tags); median of {args.repeat}.\n"
    )
    print(f"{'page':<30} {'ms':>7} {'x base':>7} {'queries':>8}  status")
    base = None
    for name, client, method, path, extra in pages:
        ms, queries, status = timed(client, method, path, args.repeat, **extra)
        base = base or ms
        flag = "" if ms < GOAL_MS else f"  over {GOAL_MS} ms"
        print(f"{name:<30} {ms:7.1f} {ms / base:7.1f} {queries:8d}  {status}{flag}")


if __name__ == "__main__":
    main()
