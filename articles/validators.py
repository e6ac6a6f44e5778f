import re

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


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
    """Refuse anything Pillow cannot decode as one of the formats we serve."""
    if getattr(file, "_committed", False):
        # Stored already, so checked when it arrived; editing a picture's
        # caption must not depend on reading the file back from storage.
        return
    name = getattr(file, "name", "the file")
    try:
        file.seek(0)
        with PILImage.open(file) as picture:
            picture.verify()
            image_format = picture.format
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombError,
    ) as error:
        raise ValidationError(
            f"“{name}” is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture.",
            code="invalid_image",
        ) from error
    finally:
        file.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            f"“{name}” is a {image_format} image; upload a JPEG, PNG, WebP or GIF picture.",
            code="image_format",
        )
