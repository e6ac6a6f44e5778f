import re
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

# What a row number of ours can be (a positive integer a database column
# holds): anything else typed where one is expected is not one, and is not
# looked up.
ROW_NUMBER = re.compile(r"[1-9][0-9]{0,17}")


def validate_section_slug(value: str) -> None:
    # Addresses are matched exactly on PostgreSQL but without regard to case
    # on SQLite; lowercase slugs behave the same on both.
    if value != value.lower():
        raise ValidationError("Use lowercase letters in a section slug.")
    # Story addresses end in "-<number>"; a section slug shaped the same way
    # would make a section and a story share an address.
    if re.search(r"-\d+$", value):
        raise ValidationError(
            "A section slug cannot end with a hyphen and a number (story addresses do)."
        )


# The times the desk accepts: an archive reaches back a long way, a plan
# ahead not beyond a decade. Outside them a mistyped year would be stored
# (0001 cannot even be shown in every time zone, 9999 breaks the desk's
# date filters).
EARLIEST_TIME = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=10 * 366)
TIME_RANGE_WORDS = "between the year 1900 and ten years from now"


def validate_desk_time(value: datetime) -> None:
    if value < EARLIEST_TIME or value > timezone.now() + LATEST_AHEAD:
        raise ValidationError(f"Give a time {TIME_RANGE_WORDS}.", code="time_out_of_range")


def address_lines(value: str) -> list[str]:
    """The addresses in a field that takes one a line, blank lines left out."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def validate_address_lines(value: str) -> None:
    is_web_address = URLValidator(schemes=["http", "https"])
    for line in address_lines(value):
        try:
            is_web_address(line)
        except ValidationError:
            raise ValidationError(
                "“%(line)s” is not a web address; give one address (https://…) a line.",
                params={"line": line},
                code="invalid_address",
            ) from None
