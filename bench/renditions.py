"""Rendition making: pictures a second, and the bytes a reader saves.

Makes --pictures camera-sized photographs with Pillow (noise over colour
gradients, so they compress like photographs rather than flat colour),
stores them through the desk's upload path, and times `renditions.render`
on each. The baseline, measured in the same run, is decoding the same
original and encoding it once as a full-size JPEG: the least any system
that serves a cleaned copy must do.

    .venv/bin/python bench/renditions.py [--pictures 8] [--size 4000x3000]
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def photograph(size: tuple[int, int], seed: int) -> bytes:
    """Colour gradients under texture at several scales, so detail survives
    downscaling the way a photograph's does."""
    from PIL import Image, ImageChops

    gradient = Image.linear_gradient("L").resize(size)
    picture = Image.merge(
        "RGB", (gradient, gradient.rotate(90 + seed * 7), ImageChops.invert(gradient))
    )
    for scale, weight in ((32, 0.35), (8, 0.25), (1, 0.15)):
        coarse = (max(size[0] // scale, 1), max(size[1] // scale, 1))
        texture = Image.effect_noise(coarse, 60 + seed).resize(size, Image.Resampling.BICUBIC)
        picture = Image.blend(picture, texture.convert("RGB"), weight)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pictures", type=int, default=8)
    parser.add_argument("--size", default="4000x3000")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))

    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="true", MEDIA_ROOT=str(scratch)
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image as PILImage

    from articles.models import Image
    from articles.pictures import renditions, uploads

    pictures = []
    for n in range(args.pictures):
        upload = uploads.read_upload(ContentFile(photograph(size, n), name=f"photo-{n}.jpg"))
        name = default_storage.save(f"images/{upload.file.name}", upload.file)
        pictures.append(Image(pk=n + 1, file=name, content_hash=upload.content_hash))

    start = time.perf_counter()
    for image in pictures:
        with image.file.open("rb") as stored, PILImage.open(stored) as source:
            source.load()
            source.save(io.BytesIO(), "JPEG", quality=92)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    records = [renditions.render(image) for image in pictures]
    elapsed = time.perf_counter() - start

    def stored_size(name):
        return default_storage.size(name)

    original = sum(stored_size(image.file.name) for image in pictures) / len(pictures)
    files = [
        name
        for record in records
        for sizes in record["shapes"].values()
        for size in sizes
        for name in size["files"].values()
    ]
    per_picture = len(files) / len(pictures)

    def served(width: int, image_format: str) -> float:
        chosen = [
            next(s for s in record["shapes"]["16:9"] if s["width"] == width)["files"][image_format]
            for record in records
        ]
        return sum(stored_size(name) for name in chosen) / len(chosen)

    print(
        f"\n{args.pictures} photographs of {size[0]}x{size[1]}, "
        f"{original / 1e6:.2f} MB each as stored (cleaned JPEG)\n"
    )
    print(f"{'':38}{'pictures/s':>12}{'vs baseline':>14}")
    print(f"{'baseline (decode + one full JPEG)':38}{len(pictures) / baseline:>12.2f}{1:>13.2f}x")
    print(
        f"{'all renditions (' + str(round(per_picture)) + ' files a picture)':38}"
        f"{len(pictures) / elapsed:>12.2f}{baseline / elapsed:>13.2f}x"
    )
    print("\nbytes a reader downloads for the lead picture, against the original:")
    for width in (640, 1280):
        for image_format in ("webp", "jpeg"):
            size_ = served(width, image_format)
            print(
                f"  16:9 {width:>4}w {image_format:<5} {size_ / 1e3:>8.1f} KB "
                f"({size_ / original:.1%} of the original, {1 - size_ / original:.1%} saved)"
            )


if __name__ == "__main__":
    main()
