"""How the desk writes dates and times: as readers read them ("November 29,
2026 15:01 IST", `articles.formats.reader_time`), in every list and page of
the desk, instead of British English's "29 Nov 2026, 3:01 p.m.". Date boxes
show and take dates the same way ("November 29, 2026"), and still take what
British English types ("29/11/2026")."""

from django.conf.locale.en_GB.formats import *  # type: ignore[import-untyped]  # noqa: F403
from django.conf.locale.en_GB.formats import DATE_INPUT_FORMATS as BRITISH_DATES
from django.conf.locale.en_GB.formats import DATETIME_INPUT_FORMATS as BRITISH_DATETIMES

DATE_FORMAT = "F d, Y"
DATETIME_FORMAT = "F d, Y H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# The first is how a date box shows its date (and the calendar writes it).
DATE_INPUT_FORMATS = ["%B %d, %Y", *BRITISH_DATES]
DATETIME_INPUT_FORMATS = ["%B %d, %Y %H:%M:%S", "%B %d, %Y %H:%M", *BRITISH_DATETIMES]
