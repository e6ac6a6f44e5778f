"""Renditions: cut around the focal point by the worker, never in a
reader's request; served as <picture> with WebP, a fallback, srcset, sizes
and dimensions; remade when the focal point moves; harmless to make twice."""

import copy
import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from PIL import Image as PILImage

from articles.models import Image
from articles.pictures import renditions, uploads
from articles.pictures import services as pictures

from .factories import make_article, make_author, make_editor, make_image, make_section
from .forms import form_data
from .worker import run_worker

pytestmark = pytest.mark.django_db

EXIF_GPS = 0x8825


@pytest.mark.django_db(False)
@pytest.mark.parametrize("focus", [(0.5, 0.5), (0.95, 0.5), (0.05, 0.9), (0.7, 0.1)])
@pytest.mark.parametrize("ratio", [(16, 9), (4, 3), (1, 1), (1200, 630)])
def test_every_crop_keeps_the_focal_point_in_frame(focus, ratio):
    size = (3000, 2000)
    left, top, right, bottom = renditions.crop_box(size, ratio, focus)
    assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1]
    assert left <= focus[0] * size[0] <= right and top <= focus[1] * size[1] <= bottom
    assert abs((right - left) / (bottom - top) - ratio[0] / ratio[1]) < 0.01


def two_halves(size=(1600, 900)) -> bytes:
    """Left half red, right half blue: a crop's side shows in its colour."""
    picture = PILImage.new("RGB", size, (220, 20, 20))
    picture.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    exif = PILImage.Exif()
    exif.get_ifd(EXIF_GPS).update({1: "N", 2: (22.0, 34.0, 10.0)})
    picture.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def saved_picture(**fields) -> Image:
    """A picture saved as the desk saves it, the task queued on commit."""
    from django.core.files.base import ContentFile

    upload = uploads.read_upload(ContentFile(two_halves(), name="halves.jpg"))
    fields = {"title": "Halves", "alt_text": "Red and blue", "credit": "Desk", **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        uploader = make_editor("photo-editor")
        return pictures.image_save(image=Image(**fields), upload=upload, user=uploader)


def story_page(client, image) -> str:
    story = make_article(make_section("World"), authors=[make_author()], lead_image=image)
    return client.get(story.get_absolute_url()).content.decode()


def test_until_the_worker_runs_readers_get_the_original(client):
    image = saved_picture()
    html = story_page(client, image)
    assert f'<img src="{image.file.url}"' in html and "<picture>" not in html


def test_the_worker_makes_renditions_and_the_page_serves_them(client):
    image = saved_picture()
    run_worker()
    image.refresh_from_db()
    html = story_page(client, image)
    lead = re.search(r'<figure class="lead-image">(.*?)</figure>', html, re.S).group(1)
    assert '<source type="image/webp" srcset="' in lead
    widths = re.findall(r"\.webp (\d+)w", lead)
    assert widths == ["320", "640", "960", "1280", "1600"]
    assert 'width="1600" height="900"' in lead
    assert 'sizes="(min-width: 64rem) 42rem, 100vw"' in lead
    assert 'loading="lazy"' not in lead
    for name in re.findall(r'(/media/renditions/[^" ,]+)', lead):
        assert default_storage.exists(name.removeprefix("/media/"))


def test_shared_links_show_the_social_card(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": "https://news.example"}
    image = saved_picture()
    story = make_article(make_section("World"), authors=[make_author()], lead_image=image)
    before = client.get(story.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="https://news.example{image.file.url}">' in before
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    html = client.get(story.get_absolute_url()).content.decode()
    card = image.renditions["shapes"]["social"][0]["files"]["jpeg"]
    assert f'<meta property="og:image" content="https://news.example/media/{card}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert f'<meta property="og:image:alt" content="{image.alt_text}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_a_migration_of_shapes_leaves_older_records_to_be_completed(client):
    """A record made before a shape existed is incomplete: the command and
    the worker complete it, and meanwhile pages use the shapes it has."""
    image = saved_picture()
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    older = {**image.renditions, "shapes": {**image.renditions["shapes"]}}
    del older["shapes"]["full"]
    Image.objects.filter(pk=image.pk).update(renditions=older)
    image.refresh_from_db()
    assert not renditions.is_current(image)
    assert "-16x9-1600.webp" in story_page(client, image)
    assert pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    assert renditions.is_current(image) and "full" in image.renditions["shapes"]


def test_cards_below_the_fold_load_lazily_and_the_lead_at_once(client):
    image = saved_picture()
    run_worker()
    world = make_section("World")
    older = make_article(world, authors=[make_author()], lead_image=image)
    older.published_at -= timedelta(hours=1)
    older.save()
    make_article(world, authors=[make_author()], lead_image=image)
    html = client.get(world.get_absolute_url()).content.decode()
    pictures = re.findall(r'<img [^>]*class="card-image"[^>]*>', html)
    assert len(pictures) == 2
    assert 'loading="lazy"' not in pictures[0] and 'loading="lazy"' in pictures[1]


def test_renditions_carry_no_location(client):
    image = saved_picture()
    run_worker()
    image.refresh_from_db()
    for size in image.renditions["shapes"]["16:9"]:
        with default_storage.open(size["files"]["jpeg"]) as stored, PILImage.open(stored) as p:
            assert not p.getexif().get_ifd(EXIF_GPS)


def square_colour(image) -> tuple:
    square = image.renditions["shapes"]["1:1"][-1]["files"]["jpeg"]
    with default_storage.open(square) as stored, PILImage.open(stored) as picture:
        return picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2))


def test_moving_the_focal_point_remakes_the_crops_around_it(client):
    image = saved_picture(focal_x=0.1)
    run_worker()
    image.refresh_from_db()
    red = square_colour(image)
    old_files = set(default_storage.listdir(f"renditions/{image.pk}")[1])
    assert red[0] > 150 and red[2] < 100

    client.force_login(make_editor())
    url = f"/admin/articles/image/{image.pk}/change/"
    data = form_data(client.get(url).content.decode(), "image_form")
    data.pop("file", None)
    data.update({"focal_x": "0.9", "_save": "Save"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url, data).status_code == 302
    run_worker()
    image.refresh_from_db()
    blue = square_colour(image)
    assert blue[2] > 150 and blue[0] < 100
    new_files = set(default_storage.listdir(f"renditions/{image.pk}")[1])
    assert new_files and not (new_files & old_files)


def test_making_the_same_renditions_twice_changes_nothing():
    image = saved_picture()
    pictures.image_render(image_id=image.pk)
    files = sorted(default_storage.listdir(f"renditions/{image.pk}")[1])
    record = Image.objects.get(pk=image.pk).renditions
    assert pictures.image_render(image_id=image.pk) is False
    pictures.image_render(image_id=image.pk, force=True)
    assert sorted(default_storage.listdir(f"renditions/{image.pk}")[1]) == files
    assert Image.objects.get(pk=image.pk).renditions == record


def test_command_makes_missing_renditions_with_progress_and_is_safe_to_rerun():
    make_image(size=(800, 450))
    make_image(size=(1200, 900))
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "[##############################] 2/2 pictures" in out.getvalue()
    assert "Renditions made for 2 of 2 pictures." in out.getvalue()
    again = io.StringIO()
    call_command("make_renditions", stdout=again)
    assert "Renditions made for 0 of 2 pictures." in again.getvalue()


def test_a_camera_sized_jpeg_decoded_smaller_still_gets_every_width():
    image = make_image(size=(3300, 2000))
    pictures.image_render(image_id=image.pk)
    shapes = Image.objects.get(pk=image.pk).renditions["shapes"]
    assert [size["width"] for size in shapes["16:9"]] == [320, 640, 960, 1280, 1600]
    assert (shapes["16:9"][-1]["height"], shapes["full"][-1]["width"]) == (900, 1280)
    assert (shapes["social"][0]["width"], shapes["social"][0]["height"]) == (1200, 630)
    assert shapes["1:1"][-1]["width"] == shapes["4:3"][-1]["width"] == 1200


def test_a_sideways_jpeg_decoded_smaller_still_gets_every_width():
    """An original stored on its side (EXIF orientation 6, as stored before
    uploads were cleaned) keeps every width once turned upright."""
    exif = PILImage.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    PILImage.new("RGB", (3300, 2000), (90, 120, 30)).save(out, "JPEG", exif=exif.tobytes())
    image = Image.objects.create(
        title="Sideways",
        file=ContentFile(out.getvalue(), name="sideways.jpg"),
        content_hash="a" * 64,
    )
    pictures.image_render(image_id=image.pk)
    shapes = Image.objects.get(pk=image.pk).renditions["shapes"]
    assert [size["width"] for size in shapes["16:9"]] == [320, 640, 960, 1280, 1600]
    assert (shapes["full"][-1]["width"], shapes["full"][-1]["height"]) == (1280, 2112)


def test_a_picture_deleted_while_its_renditions_are_made_leaves_no_files(
    monkeypatch, media_root, django_capture_on_commit_callbacks
):
    image = make_image(size=(800, 600))
    made = renditions.render

    def deleted_meanwhile(picture, force=False):
        record = made(picture, force)
        with django_capture_on_commit_callbacks(execute=True):
            pictures.image_delete(image=picture, user=make_editor())
        return record

    monkeypatch.setattr(renditions, "render", deleted_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        pictures.image_render(image_id=image.pk)
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_a_small_picture_is_never_blown_up_but_is_made_as_wide_as_it_is():
    image = make_image(size=(400, 300))
    pictures.image_render(image_id=image.pk)
    widths = [size["width"] for size in Image.objects.get(pk=image.pk).renditions["shapes"]["16:9"]]
    assert widths == [320, 400]


@pytest.mark.parametrize(
    "mode, image_format, fallback",
    [
        ("CMYK", "JPEG", "jpeg"),
        ("I;16", "PNG", "jpeg"),
        ("RGBA", "PNG", "png"),
        ("P", "GIF", "jpeg"),
    ],
)
def test_every_kind_of_picture_gets_renditions(mode, image_format, fallback):
    from django.core.files.base import ContentFile

    out = io.BytesIO()
    PILImage.new(mode, (700, 400)).save(out, image_format)
    upload = uploads.read_upload(ContentFile(out.getvalue(), name=f"x.{image_format.lower()}"))
    image = pictures.image_save(
        image=Image(title="Odd one", alt_text="x", credit="y"), upload=upload, user=make_editor()
    )
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    record = image.renditions
    assert record["fallback"] == fallback
    assert [size["width"] for size in record["shapes"]["16:9"]] == [320, 640, 700]
    assert renditions.best(image, "16:9")["type"] == f"image/{fallback}"


def test_sixteen_bit_grey_is_scaled_not_clipped():
    from django.core.files.base import ContentFile

    out = io.BytesIO()
    PILImage.new("I;16", (700, 400), 32768).save(out, "PNG")
    upload = uploads.read_upload(ContentFile(out.getvalue(), name="scan.png"))
    grey = Image(title="Grey", alt_text="x", credit="y")
    image = pictures.image_save(image=grey, upload=upload, user=make_editor())
    pictures.image_render(image_id=image.pk)
    square = Image.objects.get(pk=image.pk).renditions["shapes"]["1:1"][0]["files"]["jpeg"]
    with default_storage.open(square) as stored, PILImage.open(stored) as picture:
        assert 120 <= picture.convert("L").getpixel((10, 10)) <= 135


def test_the_lead_shapes_are_made_1200_wide_for_search_engines():
    image = make_image(size=(2400, 1600))
    pictures.image_render(image_id=image.pk)
    shapes = Image.objects.get(pk=image.pk).renditions["shapes"]
    assert [size["width"] for size in shapes["4:3"]] == [320, 640, 1200]
    assert [size["width"] for size in shapes["1:1"]] == [160, 320, 1200]


def test_every_rendition_records_its_size_in_bytes():
    image = make_image(size=(1000, 700))
    pictures.image_render(image_id=image.pk)
    for sizes in Image.objects.get(pk=image.pk).renditions["shapes"].values():
        for size in sizes:
            assert size["bytes"] == {
                image_format: default_storage.size(name)
                for image_format, name in size["files"].items()
            }


def test_best_is_the_narrowest_size_wide_enough():
    image = make_image(size=(2400, 1600))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    wide = image.renditions["shapes"]["16:9"][3]
    assert renditions.best(image, "16:9") == {
        "url": default_storage.url(wide["files"]["jpeg"]),
        "width": 1280,
        "height": 720,
        "bytes": wide["bytes"]["jpeg"],
        "type": "image/jpeg",
    }
    assert renditions.best(image, "16:9", min_width=600)["width"] == 640
    assert renditions.best(image, "social")["width"] == 1200


def test_best_is_the_widest_made_when_none_is_wide_enough():
    image = make_image(size=(900, 600))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    assert renditions.best(image, "1:1")["width"] == 600
    assert renditions.best(image, "16:9", min_width=5000)["width"] == 900


def test_best_is_none_until_the_renditions_are_made():
    image = make_image(size=(900, 600))
    assert renditions.best(image, "16:9") is None


def test_records_made_before_the_1200_sizes_and_bytes_are_remade():
    """Records of the earlier plan (no 1200-wide squares, no byte counts)
    are out of date: pages go on using them, and the command remakes them."""
    image = make_image(size=(2400, 1600))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    # Pictures share the record they read: an older one is a new record.
    older = {key: value for key, value in copy.deepcopy(image.renditions).items() if key != "plan"}
    for name, sizes in older["shapes"].items():
        older["shapes"][name] = [
            {"width": size["width"], "height": size["height"], "files": size["files"]}
            for size in sizes
            if size["width"] != 1200 or name == "social"
        ]
    Image.objects.filter(pk=image.pk).update(renditions=older)
    image.refresh_from_db()
    assert not renditions.is_current(image) and renditions.best(image, "1:1") is None
    assert renditions.made(image, "1:1")[-1]["width"] == 320
    call_command("make_renditions", stdout=io.StringIO())
    image.refresh_from_db()
    assert renditions.is_current(image)
    assert renditions.best(image, "1:1")["width"] == 1200


@pytest.mark.parametrize("media_url", ["/media/", "https://media.example.org/newsroom/"])
def test_rendition_addresses_are_the_ones_storage_gives(settings, media_url):
    settings.MEDIA_URL = media_url
    names = ("renditions/ab/cd-640.webp", "a~b_c.d-1.jpg", "/images/a photo.jpg", "ñandú #1?&.png")
    for name in names:
        assert renditions.media_url(name) == default_storage.url(name)


def test_pictures_read_share_their_record_until_a_new_one_replaces_it():
    image = make_image(size=(1600, 900))
    pictures.image_render(image_id=image.pk)
    first, second = Image.objects.get(pk=image.pk), Image.objects.get(pk=image.pk)
    assert first.renditions is second.renditions and renditions.is_current(first)
    pictures.image_render(image_id=image.pk, force=True)
    Image.objects.filter(pk=image.pk).update(renditions={})
    assert Image.objects.get(pk=image.pk).renditions == {}
    assert not renditions.is_current(Image.objects.get(pk=image.pk))
