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
import json
import re
from dataclasses import dataclass
from typing import Any, cast

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps


@dataclass(frozen=True)
class Shape:
    name: str
    # None: as the photographer framed it.
    ratio: tuple[int, int] | None
    widths: tuple[int, ...]


# The lead picture at every width a reader's screen asks for; pictures in
# the body uncropped, at the body's widths; cards and thumbnails at the few
# they use, and 1200 wide for search engines, which want the lead picture
# at 16:9, 4:3 and 1:1 that wide; the card social networks show.
SHAPES = (
    Shape("16:9", (16, 9), (320, 640, 960, 1280, 1600)),
    Shape("full", None, (320, 640, 960, 1280)),
    Shape("4:3", (4, 3), (320, 640, 1200)),
    Shape("1:1", (1, 1), (160, 320, 1200)),
)
SOCIAL = Shape("social", (1200, 630), (1200,))
# What a record holds and the sizes it was made for: a record made under
# another plan is out of date, so the worker and `make_renditions` remake
# it. Move the number on when what a record holds for each size changes.
PLAN = "2 " + " ".join(
    f"{shape.name}={'/'.join(map(str, shape.widths))}" for shape in (*SHAPES, SOCIAL)
)
WEBP_QUALITY, JPEG_QUALITY = 80, 82
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "png": "png"}
SRGB = ImageCms.createProfile("sRGB")
EXIF_ORIENTATION = 0x0112


# How many distinct records each process keeps read (a few kB each).
RECORDS_KEPT = 1000
_records: dict[str, Any] = {}


class RecordDecoder(json.JSONDecoder):
    """Reads a picture's record of renditions (the `renditions` column),
    each distinct record once per process: a list page reads a score of
    them, and the same ones page after page. A record is never changed in
    place (a new one replaces it), so the pictures read share it."""

    def decode(self, s: str, *args, **kwargs) -> Any:
        if (found := _records.get(s)) is None:
            if len(_records) >= RECORDS_KEPT:
                _records.clear()
            found = _records[s] = super().decode(s, *args, **kwargs)
        return found


def crop_box(size: tuple[int, int], ratio: tuple[int, int] | None, focus: tuple[float, float]):
    """The largest box of `ratio` inside `size`, placed so the focal point
    sits as near its centre as the edges allow; all of it for no ratio."""
    width, height = size
    if ratio is None:
        return 0, 0, width, height
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


# Characters a file name may hold that its address keeps as they are.
ADDRESS_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")


# The address local storage serves files under; "" for other storage.
# Asked of the storage once, and again when the settings behind it change.
_local_base: dict[str, str] = {}


@receiver(setting_changed)
def _forget_base(*, setting: str, **kwargs) -> None:
    if setting in ("MEDIA_URL", "STORAGES"):
        _local_base.clear()


def media_url(name: str) -> str:
    """The address of a stored file, as `default_storage.url(name)` gives
    it. A page lists dozens of renditions; on local storage this joins
    strings where Django's storage parses a URL for each, and a name of
    plain characters (every rendition's) needs no quoting."""
    if (base := _local_base.get("")) is None:
        local = isinstance(default_storage, FileSystemStorage)
        base = _local_base[""] = cast(FileSystemStorage, default_storage).base_url if local else ""
    if not base:
        return default_storage.url(name)
    path = name if ADDRESS_SAFE.fullmatch(name) else filepath_to_uri(name)
    return base + path.lstrip("/")


def made(image, shape: str) -> list:
    """The sizes of `shape` made for the picture as it is now (its file and
    focal point), narrowest first; empty until the worker has made them."""
    record = image.renditions or {}
    if record.get("key") != version_key(image):
        return []
    return record.get("shapes", {}).get(shape) or []


def is_current(image) -> bool:
    """Whether the picture's record covers its file, focal point and every
    shape and width pages use (a shape or width added later makes older
    records incomplete)."""
    record = image.renditions or {}
    return (
        record.get("key") == version_key(image)
        and record.get("plan") == PLAN
        and set(record.get("shapes", {})) >= {shape.name for shape in (*SHAPES, SOCIAL)}
    )


def best(image, shape: str, min_width: int = 1200) -> dict | None:
    """The narrowest size of `shape` at least `min_width` wide, else the
    widest made, in the fallback format (JPEG or PNG, which every reader of
    feeds and structured data takes): its storage `url`, `width`,
    `height`, `bytes` and MIME `type`. None until the picture's record is
    current; callers then use the original."""
    if not is_current(image):
        return None
    sizes = made(image, shape)
    if not sizes:
        return None
    size = next((size for size in sizes if size["width"] >= min_width), sizes[-1])
    fallback = image.renditions["fallback"]
    # Social cards are made as JPEG only, whatever the picture's fallback.
    image_format = fallback if fallback in size["files"] else "jpeg"
    return {
        "url": media_url(size["files"][image_format]),
        "width": size["width"],
        "height": size["height"],
        "bytes": size["bytes"][image_format],
        "type": f"image/{image_format}",
    }


def render(image, force: bool = False) -> dict:
    """Make every rendition of `image` that is missing (all of them when
    `force`) and return the record of them all, to be kept on its row."""
    source: PILImage.Image
    with image.file.open("rb") as stored, PILImage.open(stored) as source:
        # A JPEG decodes straight to half or a quarter of its size when that
        # still leaves every rendition's pixels: 1600 wide for a crop across
        # the whole width, 1200 high for a square across the whole height.
        sideways = source.getexif().get(EXIF_ORIENTATION, 1) in (5, 6, 7, 8)
        source.draft(None, (1200, 1600) if sideways else (1600, 1200))
        source.load()
    source = ImageOps.exif_transpose(source) or source
    has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
    fallback = "png" if has_alpha else "jpeg"
    source = _working_copy(source, has_alpha)
    key = version_key(image)
    record: dict[str, Any] = {"key": key, "plan": PLAN, "fallback": fallback, "shapes": {}}
    for shape in (*SHAPES, SOCIAL):
        box = crop_box(source.size, shape.ratio, (image.focal_x, image.focal_y))
        cropped = source.crop(box)
        sizes = []
        for width in widths_for(shape, cropped.width):
            ratio = shape.ratio or cropped.size
            height = max(round(width * ratio[1] / ratio[0]), 1)
            resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            name = f"renditions/{image.pk}/{key}-{shape.name.replace(':', 'x')}-{width}"
            files, lengths = {}, {}
            for image_format in ["webp", fallback] if shape is not SOCIAL else ["jpeg"]:
                files[image_format], lengths[image_format] = _save(
                    name, resized, image_format, force
                )
            sizes.append({"width": width, "height": height, "files": files, "bytes": lengths})
        record["shapes"][shape.name] = sizes
    return record


def widths_for(shape: Shape, available: int) -> list[int]:
    """The shape's widths the crop has the pixels for, never blown up; a
    crop narrower than the widest is also made at its own width, so the
    largest size is as sharp as the original allows."""
    widths = [width for width in shape.widths if width <= available]
    if available < shape.widths[-1] and available not in widths:
        widths.append(available)
    return widths


def _working_copy(source, has_alpha: bool):
    """8-bit sRGB (with alpha where there is some), whatever arrived:
    16-bit grey scaled rather than clipped, other colour spaces (CMYK, Adobe
    RGB) converted through their profile, so renditions keep their colours."""
    if source.mode in ("I", "I;16", "I;16B", "I;16L"):
        source = source.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    mode = "RGBA" if has_alpha else "RGB"
    if icc := source.info.get("icc_profile"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(source, profile, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return source.convert(mode)


def _save(stem: str, picture, image_format: str, force: bool) -> tuple[str, int]:
    """The file's name and its size in bytes (feeds' enclosures give it)."""
    name = f"{stem}.{EXTENSIONS[image_format]}"
    if default_storage.exists(name):
        if not force:
            return name, default_storage.size(name)
        default_storage.delete(name)
    out = io.BytesIO()
    if image_format == "jpeg":
        picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif image_format == "webp":
        picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        picture.save(out, "PNG", optimize=True)
    saved = default_storage.save(name, ContentFile(out.getvalue()))
    if saved != name:
        # Another worker wrote the same rendition meanwhile: same bytes,
        # so keep its file under the expected name and drop this copy.
        default_storage.delete(saved)
    return name, len(out.getvalue())


def files_of(record: dict) -> set[str]:
    return {
        name
        for sizes in record.get("shapes", {}).values()
        for size in sizes
        for name in size["files"].values()
    }


def remove_replaced(previous: dict, current: dict) -> None:
    """Delete the files of an earlier record that the current one does not
    use (another file or focal point). Only names a record lists are
    touched, so a newer render's files are never taken."""
    for name in files_of(previous) - files_of(current):
        default_storage.delete(name)
