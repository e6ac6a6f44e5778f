"""How the desk writes dates and times: as readers read them ("November 29,
2026 15:01 IST", `articles.formats.reader_time`), in every list and page of
the desk, instead of British English's "29 Nov 2026, 3:01 p.m.". What the
desk types in is read as British English reads it."""

from django.conf.locale.en_GB.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATE_FORMAT = "F d, Y"
DATETIME_FORMAT = "F d, Y H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
