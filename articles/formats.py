"""How the newsroom writes times and lists, for readers and the desk alike."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

# "September 06, 2021 15:50 IST": the form readers of Indian news sites
# know, in the site's time zone with its abbreviation.
READER_DATETIME = "F d, Y H:i T"


def reader_time(value: datetime | None) -> str:
    """A time as readers and the desk read it, in the site's time zone."""
    return format_date(localtime(value), READER_DATETIME) if value else ""


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
