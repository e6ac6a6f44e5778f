import re

from django.core.exceptions import ValidationError


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


def validate_image_file(file) -> None:
    """Refuse anything that is not a picture we serve, however it reached
    the model (the desk's form also cleans what it accepts)."""
    if getattr(file, "_committed", False):
        # Stored already, so checked when it arrived; editing a picture's
        # caption must not depend on reading the file back from storage.
        return
    from .uploads import inspect_picture

    inspect_picture(file, getattr(file, "name", "") or "the file")
