"""How the newsroom writes times and lists, for readers and the desk alike."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils.dates import MONTHS
from django.utils.timezone import localtime


def reader_time(value: datetime | None) -> str:
    """A time as readers and the desk read it, in the site's time zone:
    "September 06, 2021 15:50 IST", the form readers of Indian news sites
    know. Django's `date` filter writes the same with "F d, Y H:i T"; a
    page shows a dozen times, so this writes them directly."""
    if not value:
        return ""
    local = localtime(value)
    return (
        f"{MONTHS[local.month]} {local.day:02d}, {local.year:04d} "
        f"{local.hour:02d}:{local.minute:02d} {local.tzname() or ''}"
    ).rstrip()


def machine_time(value: datetime) -> str:
    """A time as machines read it: ISO 8601 in the site's time zone, with
    its offset, as <time datetime> and structured data give it."""
    return localtime(value).isoformat(timespec="seconds")


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
