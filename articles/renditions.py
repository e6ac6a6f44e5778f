"""Renditions: each picture cut to the page's shapes around its focal point,
at a few widths, as WebP with a JPEG (or PNG) fallback. They are made by a
background task when a picture is saved or its focal point moves, never in
a reader's request; until they exist pages show the original.

Files are written through Django's storage API under names that say what
they are (picture, focal point, shape, width), so making the same rendition
twice, even at once, writes the same thing and the record of what exists
lives on the picture's own row: pages need no extra query.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps


@dataclass(frozen=True)
class Shape:
    name: str
    ratio: tuple[int, int]
    widths: tuple[int, ...]


# The lead picture at every width a reader's screen asks for; cards and
# thumbnails at the few they use; the card social networks show.
SHAPES = (
    Shape("16:9", (16, 9), (320, 640, 960, 1280, 1600)),
    Shape("4:3", (4, 3), (320, 640)),
    Shape("1:1", (1, 1), (160, 320)),
)
SOCIAL = Shape("social", (1200, 630), (1200,))
WEBP_QUALITY, JPEG_QUALITY = 80, 82


def crop_box(size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]):
    """The largest box of `ratio` inside `size`, placed so the focal point
    sits as near its centre as the edges allow."""
    width, height = size
    target = ratio[0] / ratio[1]
    if width / height > target:
        box_w, box_h = round(height * target), height
    else:
        box_w, box_h = width, round(width / target)
    left = min(max(round(focus[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def version_key(image) -> str:
    """Changes whenever the file or the focal point does."""
    return f"{image.content_hash[:12]}-{round(image.focal_x * 100)}-{round(image.focal_y * 100)}"


def render(image) -> dict:
    """Make every rendition of `image` that is missing and return the
    record of them all, to be kept on the picture's row."""
    with image.file.open("rb") as stored, PILImage.open(stored) as source:
        source.load()
    source = ImageOps.exif_transpose(source) or source
    has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
    fallback = "png" if has_alpha else "jpeg"
    # One working mode whatever arrived (CMYK, 16-bit, palette): what
    # browsers are served is 8-bit RGB, with alpha where there is some.
    source = source.convert("RGBA" if has_alpha else "RGB")
    key = version_key(image)
    record = {"key": key, "fallback": fallback, "shapes": {}}
    for shape in (*SHAPES, SOCIAL):
        box = crop_box(source.size, shape.ratio, (image.focal_x, image.focal_y))
        cropped = source.crop(box)
        widths = [w for w in shape.widths if w <= cropped.width] or [cropped.width]
        if shape is SOCIAL:
            widths = [SOCIAL.widths[0]]
        sizes = []
        for width in widths:
            height = round(width * shape.ratio[1] / shape.ratio[0])
            resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            files = {
                image_format: _save(image, key, shape, width, resized, image_format)
                for image_format in (["webp", fallback] if shape is not SOCIAL else ["jpeg"])
            }
            sizes.append({"width": width, "height": height, "files": files})
        record["shapes"][shape.name] = sizes
    return record


def _save(image, key: str, shape: Shape, width: int, picture, image_format: str) -> str:
    extension = {"jpeg": "jpg", "webp": "webp", "png": "png"}[image_format]
    name = f"renditions/{image.pk}/{key}-{shape.name.replace(':', 'x')}-{width}.{extension}"
    if default_storage.exists(name):
        return name
    out = io.BytesIO()
    if image_format == "jpeg":
        picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif image_format == "webp":
        picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        picture.save(out, "PNG", optimize=True)
    return default_storage.save(name, ContentFile(out.getvalue()))


def remove_stale(image, record: dict) -> None:
    """Delete renditions of earlier versions (another file or focal point)."""
    folder = f"renditions/{image.pk}"
    if not default_storage.exists(folder):
        return
    _, files = default_storage.listdir(folder)
    for name in files:
        if not name.startswith(record["key"]):
            default_storage.delete(f"{folder}/{name}")
