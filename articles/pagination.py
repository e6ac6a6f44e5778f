"""Pages of stories without counting the archive.

Django's Paginator counts every matching row to number the last page; over
an archive of a million stories that count costs more than the page itself.
Readers only need "newer" and "older", so a page fetches one story more than
it shows to learn whether an older page exists.
"""

import re

from django.http import Http404

# Deeper than this nobody reads; refusing it also keeps offsets sane.
LAST_PAGE = 10_000


class StoryPage:
    def __init__(self, queryset, number: int, size: int):
        offset = (number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
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
