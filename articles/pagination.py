"""Pages of stories without counting the archive.

Django's Paginator counts every matching row to number the last page; over
an archive of a million stories that count costs more than the page itself.
Readers only need "newer" and "older", so a page fetches one story more than
it shows to learn whether an older page exists.
"""

import re
from collections.abc import Callable

from django.http import Http404

# Deeper than this nobody reads; refusing it also keeps offsets sane.
LAST_PAGE = 10_000


class StoryPage:
    """Page `number` of `size` stories; `fetch(offset, limit)` gives the
    stories from `offset` on, at most `limit` of them."""

    def __init__(self, fetch: Callable[[int, int], list], number: int, size: int):
        rows = fetch((number - 1) * size, size + 1)
        if number > 1 and not rows:
            raise Http404("No such page.")
        self.number = number
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.has_previous = number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1
        self.has_other_pages = self.has_next or self.has_previous


def page_number(value: str | None) -> int:
    """The page asked for in ?page=; anything but a positive whole number is
    a page that does not exist."""
    if value is None:
        return 1
    if not re.fullmatch(r"[1-9][0-9]{0,4}", value) or int(value) > LAST_PAGE:
        raise Http404("No such page.")
    return int(value)
