"""How the newsroom writes times and lists, for readers and the desk alike."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils.dates import MONTHS
from django.utils.timezone import localtime
from django.utils.translation import get_language


def reader_time(value: datetime | None) -> str:
    """A time as readers and the desk read it, in the site's time zone:
    "September 06, 2021 15:50 IST", the form readers of Indian news sites
    know. Django's `date` filter writes the same with "F d, Y H:i T"; a
    page shows a dozen times, so this writes them directly."""
    return _written(localtime(value)) if value else ""


def machine_time(value: datetime) -> str:
    """A time as machines read it: ISO 8601 in the site's time zone, with
    its offset, as <time datetime> and structured data give it."""
    return localtime(value).isoformat(timespec="seconds")


def both_times(value: datetime, clock: bool = False) -> tuple[str, str]:
    """`machine_time(value)` and `reader_time(value)`, as a <time> shows
    them; with `clock`, the time of day alone ("15:50 IST"), as a live
    story's key events list them."""
    local = localtime(value)
    if clock:
        return local.isoformat(timespec="seconds"), f"{local:%H:%M} {local.tzname() or ''}".rstrip()
    return local.isoformat(timespec="seconds"), _written(local)


# (language, month) -> its name: Django's names are translated on each use.
_month_names: dict[tuple[str | None, int], str] = {}


def _written(local: datetime) -> str:
    key = (get_language(), local.month)
    if (month := _month_names.get(key)) is None:
        month = _month_names[key] = str(MONTHS[local.month])
    return (
        f"{month} {local.day:02d}, {local.year:04d} "
        f"{local.hour:02d}:{local.minute:02d} {local.tzname() or ''}"
    ).rstrip()


def join_names(names: Iterable[str]) -> str:
    """Names as a reader says them: "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# Control characters XML cannot carry: a vertical tab arrives with text
# pasted from word processors (Shift+Enter).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def plain_text(text: str) -> str:
    """Text with each control character XML cannot carry made a space."""
    return CONTROL_CHARACTERS.sub(" ", text)
