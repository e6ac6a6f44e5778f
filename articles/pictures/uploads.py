"""Pictures as they arrive: checked, cleaned, and fingerprinted before any
byte reaches storage. Media URLs are public, so what is stored is a fresh
encoding of the decoded picture: turned upright, without location data."""

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError, features

# Formats readers' browsers show, with their file extensions; AVIF only
# where this Pillow can write it.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
if features.check("avif"):
    FORMATS["AVIF"] = "avif"
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "AVIF": "AVIF"}

MAX_FRAMES = 500
MAX_ICC_BYTES = 1_000_000
MAX_EXIF_BYTES = 65_000
EXIF_GPS = 0x8825
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Upload:
    """A checked picture, ready to store."""

    file: ContentFile
    content_hash: str


def accepted_formats() -> str:
    """“JPEG, PNG, WebP, GIF or AVIF picture”."""
    names = [FORMAT_NAMES[image_format] for image_format in FORMATS]
    return f"{', '.join(names[:-1])} or {names[-1]} picture"


def read_upload(file, name: str = "") -> Upload:
    """Check an uploaded picture and return its cleaned copy. Raises
    ValidationError saying, in the desk's words, why it is refused."""
    name = name or Path(getattr(file, "name", "") or "picture").name
    limits = settings.NEWSROOM
    size = getattr(file, "size", None)
    if size is not None and size > limits["IMAGE_MAX_BYTES"]:
        raise ValidationError(
            f"“{name}” is {_megabytes(size)}; pictures may be at most "
            f"{_megabytes(limits['IMAGE_MAX_BYTES'])}.",
            code="too_large",
        )
    file.seek(0)
    raw = file.read()
    picture = _decode(raw, name, limits["IMAGE_MAX_PIXELS"])
    try:
        cleaned = _clean(picture)
    except (OSError, ValueError) as error:
        raise ValidationError(
            f"“{name}” could not be stored cleanly ({error}); save it again from a photo "
            "editor and upload that.",
            code="damaged_image",
        ) from None
    assert picture.format in FORMATS  # `_decode` refuses any other.
    stem = Path(name).stem or "picture"
    return Upload(
        file=ContentFile(cleaned, name=f"{stem}.{FORMATS[picture.format]}"),
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def carries_private_metadata(raw: bytes) -> bool:
    """Whether a stored picture still says where it was taken, or is stored
    on its side for EXIF to turn: what `read_upload` removes, but pictures
    stored before it did may keep."""
    with PILImage.open(io.BytesIO(raw)) as picture:
        exif = picture.getexif()
        return bool(
            exif.get_ifd(EXIF_GPS)
            or EXIF_GPS in exif
            or exif.get(EXIF_ORIENTATION, 1) != 1
            or picture.info.get("xmp")
            or picture.info.get("XML:com.adobe.xmp")
            or picture.info.get("comment")
        )


def inspect_picture(file, name: str) -> None:
    """Only the checks of `read_upload`, for a file already cleaned."""
    file.seek(0)
    try:
        _decode(file.read(), name, settings.NEWSROOM["IMAGE_MAX_PIXELS"])
    finally:
        file.seek(0)


def _decode(raw: bytes, name: str, max_pixels: int) -> PILImage.Image:
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is checked below, before any decoding.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(raw))
            if picture.format not in FORMATS:
                raise ValidationError(
                    f"“{name}” is a {picture.format} file; upload a {accepted_formats()}.",
                    code="image_format",
                )
            if picture.width * picture.height > max_pixels:
                raise ValidationError(
                    f"“{name}” is {picture.width} × {picture.height} pixels; pictures may have "
                    f"at most {max_pixels // 1_000_000} million pixels.",
                    code="too_many_pixels",
                )
            # An animation is checked over all its frames: a small file
            # of thousands of large frames would take hours to re-encode.
            frames = getattr(picture, "n_frames", 1)
            if frames > MAX_FRAMES or frames * picture.width * picture.height > max_pixels:
                raise ValidationError(
                    f"“{name}” is an animation of {frames} frames of {picture.width} × "
                    f"{picture.height} pixels; that is more than we accept.",
                    code="too_many_frames",
                )
            for frame in range(frames):
                picture.seek(frame)
                picture.load()
            picture.seek(0)
    except ValidationError:
        raise
    except PILImage.DecompressionBombError:
        raise ValidationError(
            f"“{name}” claims to be far larger than any photograph; it is refused.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            f"“{name}” is not a picture. Upload a {accepted_formats()}.", code="not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            f"“{name}” is damaged or incomplete ({error}); upload the whole picture again.",
            code="damaged_image",
        ) from None
    return picture


def _clean(picture: PILImage.Image) -> bytes:
    """A fresh encoding: orientation applied, location and XMP dropped,
    colour profile and the rest of EXIF (credit, camera) kept."""
    image_format = picture.format
    out = io.BytesIO()
    # A comment is the photographer's free text (a place, a name): never kept.
    picture.info.pop("comment", None)
    if getattr(picture, "is_animated", False):
        # Every frame, no metadata at all.
        picture.save(out, image_format, save_all=True, optimize=False, comment=b"")
        return out.getvalue()
    upright = ImageOps.exif_transpose(picture) or picture
    exif = upright.getexif()
    exif.pop(EXIF_GPS, None)
    exif.pop(EXIF_ORIENTATION, None)
    options: dict[str, Any] = {"exif": exif.tobytes(), "comment": b""}
    if len(options["exif"]) > MAX_EXIF_BYTES:
        # EXIF must fit one JPEG segment; what does not is not worth keeping.
        options["exif"] = b""
    if icc := _usable_profile(picture.info.get("icc_profile")):
        options["icc_profile"] = icc
    if image_format == "JPEG":
        options.update(quality=92, optimize=True)
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
    elif image_format in ("WEBP", "AVIF"):
        options.update(quality=90)
    elif image_format == "GIF":
        options.pop("exif")
    if image_format not in ("JPEG", "GIF"):
        options.pop("comment")
    upright.save(out, image_format, **options)
    return out.getvalue()


def _usable_profile(icc: bytes | None) -> bytes | None:
    """A colour profile is kept only when small and well formed: browsers
    parse what is stored."""
    if not icc or len(icc) > MAX_ICC_BYTES:
        return None
    try:
        ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (OSError, ImageCms.PyCMSError, TypeError, ValueError):
        return None
    return icc


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def validate_image_file(file) -> None:
    """Refuse anything that is not a picture we serve, however it reached
    the model (the desk's form also cleans what it accepts)."""
    if getattr(file, "_committed", False):
        # Stored already, so checked when it arrived; editing a picture's
        # caption must not depend on reading the file back from storage.
        return
    inspect_picture(file, getattr(file, "name", "") or "the file")
