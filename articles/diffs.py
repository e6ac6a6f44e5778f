"""What changed between two revisions, as the desk's History page shows it.

The body is compared block by block (paragraphs, headings, quotes, lists,
figures) and word by word only inside the blocks that changed, so the work
grows with what an editor changed, not with the length of the story.
"""

import difflib
import html
import re
from collections import Counter
from collections.abc import Sequence

from django.utils.dateparse import parse_datetime
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .formats import reader_time
from .revisions import LABELS, REFERENCES, changed_fields
from .richtext import body_pictures, split_blocks

# The most pairs of words one word diff may weigh: the words in the changed
# middle of the old text times those of the new, once their common start
# and end are set aside. SequenceMatcher's work grows faster than that
# product, the more so the more words repeat. At 10,000 (two paragraphs of
# 100 words; news paragraphs run 30 to 80) a pair takes a few hundredths of
# a second at most here, even with every third word changed or one word
# typed over and over; at 40,000 those took 0.2 and 0.4 s. A larger change
# shows as the old text removed and the new added, each whole.
WORD_PAIRS_LIMIT = 10_000
# The same for the body's blocks, compared as whole units. Repeated blocks
# (empty paragraphs, rules) never start a match, so each block is weighed
# against one other at most: at this limit the matcher takes under a tenth
# of a second, and only a story of some 50,000 words changed from its first
# paragraph to its last reaches it. Beyond it, changed blocks pair in order.
BLOCK_PAIRS_LIMIT = 1_000_000
# Unchanged blocks shown either side of a change; longer runs are folded.
CONTEXT_BLOCKS = 1
# The share of its distinct words a block must keep to be shown as edited
# word by word; below it, the old block shows removed and the new added.
KEPT_WORDS_SHARE = 0.5

Opcode = tuple[str, int, int, int, int]


# Fields read as one line: shown whole before and after, as a reader would
# read each, rather than with their words interleaved.
WHOLE_LINES = frozenset({"headline", "slug", "dateline"})


def diff(old: dict, new: dict) -> list[dict]:
    """Each changed field with its old and new text, changed words marked."""
    rows = []
    for field in changed_fields(old, new):
        before, after = display(field, old.get(field)), display(field, new.get(field))
        if field == "body":
            marked = body_diff(old.get("body") or "", new.get("body") or "")
        elif field in WHOLE_LINES:
            marked = before_and_after(before, after)
        else:
            marked = word_diff(before, after)
        rows.append({"label": LABELS[field].capitalize(), "html": marked})
    return rows


def before_and_after(before: str, after: str) -> SafeString:
    """The old line above the new one, each whole."""
    old = f"<del>{escape(before)}</del>" if before else "(none)"
    new = f"<ins>{escape(after)}</ins>" if after else "(none)"
    return mark_safe(
        f'<span class="diff-before">Before: {old}</span>\n'
        f'<span class="diff-after">After: {new}</span>'
    )


def display(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field in REFERENCES:
        return value[1]
    if field == "bylines":
        return ", ".join(author[1] for author in value)
    if field == "tags":
        return ", ".join(value)
    if field == "links":
        return "\n".join(_link_line(link) for link in value)
    if field in ("is_featured", "is_live"):
        return "Yes" if value else "No"
    if field in ("published_at", "expires_at", "breaking_until"):
        return reader_time(parse_datetime(value))
    return str(value)


def _link_line(link: dict) -> str:
    where = link["target"][1] if link["target"] else link["url"]
    title = link["title"] or where
    place = (
        f"after paragraph {link['after_paragraph']}" if link["after_paragraph"] else "at the end"
    )
    return f"{title} → {where} ({place})"


# The body ---------------------------------------------------------------------


def body_diff(before: str, after: str) -> SafeString:
    """The body's blocks, changed ones marked, long unchanged runs folded."""
    old = [_block_text(block) for block in split_blocks(before)]
    new = [_block_text(block) for block in split_blocks(after)]
    opcodes = _opcodes(old, new, BLOCK_PAIRS_LIMIT, repeats_anchor=False)
    pieces = []
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            follows, precedes = index > 0, index < len(opcodes) - 1
            pieces += _unchanged(new[b1:b2], follows_change=follows, precedes_change=precedes)
        else:
            pieces += _changed(old[a1:a2], new[b1:b2])
    # Empty blocks (a rule, an empty paragraph) would only add blank lines.
    return mark_safe("\n\n".join(piece for piece in pieces if piece))


# What a block is, when it is not a plain paragraph, said before its text.
BLOCK_KINDS = {
    "h2": "Subheading",
    "h3": "Subheading",
    "h4": "Subheading",
    "blockquote": "Quote",
    "ul": "List",
    "ol": "List",
}
_BLOCK_TAG = re.compile(r"\s*<([a-z0-9]+)")


def _block_text(block: str) -> str:
    """A body block as the history shows it: a subheading, quote or list
    says so; a picture by its number and words, so adding, swapping or
    removing one shows in the diff."""
    text = html.unescape(strip_tags(block))
    pictures = "".join(
        f"[Picture {ref.image_id or 'from elsewhere'}: {ref.alt or 'no alt text'}] "
        for ref in body_pictures(block)
    )
    tag = _BLOCK_TAG.match(block)
    kind = BLOCK_KINDS.get(tag.group(1)) if tag else None
    return f"{kind}: {pictures}{text}" if kind else pictures + text


def _unchanged(blocks: list[str], *, follows_change: bool, precedes_change: bool) -> list[str]:
    """Unchanged blocks: those next to a change stay as context, the rest
    fold into a count, so a long story's History stays short."""
    lead = blocks[:CONTEXT_BLOCKS] if follows_change else []
    trail = blocks[-CONTEXT_BLOCKS:] if precedes_change else []
    folded = len(blocks) - len(lead) - len(trail)
    if folded < 2:  # A note in place of one paragraph saves nothing.
        return [escape(block) for block in blocks]
    note = f'<span class="diff-folded">… {folded} unchanged paragraphs …</span>'
    return [*map(escape, lead), note, *map(escape, trail)]


def _changed(old: list[str], new: list[str]) -> list[str]:
    """Blocks replaced by others, walked in order: a block that kept most
    of its words is paired with its new version and diffed word by word;
    the others show whole, removed or added. One pass, so the cost stays
    linear however many blocks changed."""
    pieces: list[str]
    pieces, i, j = [], 0, 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and _kept_most_words(old[i], new[j]):
            pieces.append(word_diff(old[i], new[j]))
            i, j = i + 1, j + 1
        elif len(new) - j > len(old) - i:
            pieces.append(_marked("", new[j]))
            j += 1
        else:
            pieces.append(_marked(old[i], ""))
            i += 1
    return pieces


def _kept_most_words(old: str, new: str) -> bool:
    before, after = set(old.split()), set(new.split())
    return len(before & after) >= KEPT_WORDS_SHARE * max(len(before), len(after), 1)


# Words ------------------------------------------------------------------------


def word_diff(before: str, after: str) -> SafeString:
    """The text with removed words in <del> and added words in <ins>."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    # A word and the space after it are two items to the matcher.
    parts: list[str] = []
    for op, a1, a2, b1, b2 in _opcodes(old, new, 4 * WORD_PAIRS_LIMIT, repeats_anchor=True):
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
        else:
            parts.append(_marked("".join(old[a1:a2]), "".join(new[b1:b2])))
    return mark_safe("".join(parts))


_WORDS = re.compile(r"\s+|[^\s]+")


def _marked(removed: str, added: str) -> str:
    return (f"<del>{escape(removed)}</del>" if removed else "") + (
        f"<ins>{escape(added)}</ins>" if added else ""
    )


# Matching ---------------------------------------------------------------------


def _opcodes(old: Sequence, new: Sequence, limit: int, *, repeats_anchor: bool) -> list[Opcode]:
    """How `old` became `new`, as SequenceMatcher's opcodes. Only the middle
    that differs goes to the matcher, and only within `limit` pairs of
    items: beyond it, the middle shows as replaced whole. With
    `repeats_anchor` off, items repeated in the new middle do not start a
    match (they still join one next to them), which keeps the matcher from
    weighing every copy against every other."""
    head, tail = _common_ends(old, new)
    a2, b2 = len(old) - tail, len(new) - tail
    middle: list[Opcode] = [("replace", head, a2, head, b2)]
    if 0 < (a2 - head) * (b2 - head) <= limit:
        isjunk = None
        if not repeats_anchor:
            repeated = {item for item, count in Counter(new[head:b2]).items() if count > 1}
            isjunk = repeated.__contains__
        matcher = difflib.SequenceMatcher(isjunk, old[head:a2], new[head:b2], autojunk=False)
        middle = [
            (op, i1 + head, i2 + head, j1 + head, j2 + head)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    opcodes = [("equal", 0, head, 0, head), *middle, ("equal", a2, len(old), b2, len(new))]
    return [opcode for opcode in opcodes if opcode[1] < opcode[2] or opcode[3] < opcode[4]]


def _common_ends(old: Sequence, new: Sequence) -> tuple[int, int]:
    """How many items the two share at their start and at their end. The
    end goes first so that words added after a space read
    "Rain<ins> and wind</ins> arrived", as SequenceMatcher shows them."""
    most = min(len(old), len(new))
    tail = 0
    while tail < most and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    head = 0
    while head < most - tail and old[head] == new[head]:
        head += 1
    return head, tail
