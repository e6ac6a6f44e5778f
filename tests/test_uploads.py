"""Pictures that cannot hurt us: hostile and broken files are refused with a
reason and leave nothing behind; what is stored is upright and carries no
location; the same file is never stored twice; a story needs its picture's
alt text and credit before it is published. Every picture is made by
Pillow."""

import hashlib
import io
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import features
from pytest_django.asserts import assertContains

from articles.models import Article, Image
from articles.pictures import renditions, uploads
from articles.pictures import services as pictures
from articles.services import updates, workflow

from .factories import (
    make_article,
    make_author,
    make_editor,
    make_image,
    make_section,
    prepare_update,
)
from .forms import form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/image/add/"
EXIF_ARTIST, EXIF_ORIENTATION, EXIF_GPS = 0x013B, 0x0112, 0x8825


def picture(size=(320, 180), image_format="JPEG", mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size, "white" if mode == "1" else (200, 40, 40)).save(
        out, image_format, **save
    )
    return out.getvalue()


def upload(desk, data: bytes, name="photo.jpg", **fields):
    fields = {
        "title": "Flood barriers",
        "alt_text": "A wall",
        "credit": "PTI",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    file = SimpleUploadedFile(name, data, "application/octet-stream")
    return desk.post(ADD_URL, {"file": file, **fields})


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("report.jpg", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj", "is not a picture"),
        ("cut.jpg", picture((800, 600))[:1500], "is damaged or incomplete"),
        ("bomb.png", picture((10_000, 10_000), "PNG", mode="1"), "at most 60 million pixels"),
        ("huge.png", picture((20_000, 20_000), "PNG", mode="1"), "far larger than any photo"),
        ("scan.bmp", picture(image_format="BMP"), "is a BMP file"),
    ],
)
def test_hostile_or_broken_files_are_refused_and_leave_nothing(
    desk, media_root, name, data, reason
):
    response = upload(desk, data, name=name)
    assert response.status_code == 200
    assertContains(response, reason)
    assertContains(response, 'value="Flood barriers"')
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_an_over_large_file_is_refused_with_the_limit(desk, settings, media_root):
    settings.NEWSROOM = {**settings.NEWSROOM, "IMAGE_MAX_BYTES": 1_000_000}
    noise = PILImage.effect_noise((1200, 1200), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 1_000_000
    response = upload(desk, out.getvalue(), name="noise.png")
    assertContains(response, "pictures may be at most 1.0 MB")
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_stored_picture_is_turned_upright_and_keeps_no_location(desk):
    exif = PILImage.Exif()
    exif[EXIF_ORIENTATION] = 6  # the camera was held on its side
    exif[EXIF_ARTIST] = "Asha Menon"
    exif.get_ifd(EXIF_GPS).update({1: "N", 2: (22.0, 34.0, 10.0), 3: "E", 4: (88.0, 21.0, 5.0)})
    response = upload(desk, picture((400, 300), exif=exif.tobytes()))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (300, 400)
    with PILImage.open(image.file.path) as stored:
        kept = stored.getexif()
        assert stored.size == (300, 400)
        assert EXIF_GPS not in kept and not kept.get_ifd(EXIF_GPS)
        assert EXIF_ORIENTATION not in kept
        assert kept[EXIF_ARTIST] == "Asha Menon"


def test_the_same_file_twice_offers_the_picture_already_in_the_library(desk):
    data = picture()
    upload(desk, data, title="Barrier at dawn")
    first = Image.objects.get()
    response = upload(desk, data, name="copy-of-photo.jpg", title="Barrier again")
    assertContains(response, "This picture is already in the library as")
    assertContains(response, f"/admin/articles/image/{first.pk}/change/")
    assert Image.objects.count() == 1


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_pictures_are_accepted(desk):
    assert upload(desk, picture(image_format="AVIF"), name="frame.avif").status_code == 302
    assert Image.objects.get().file.name.endswith(".avif")


def test_an_animated_gif_keeps_every_frame(desk):
    frames = [PILImage.new("RGB", (60, 40), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200)
    assert upload(desk, out.getvalue(), name="spinner.gif").status_code == 302
    with PILImage.open(Image.objects.get().file.path) as stored:
        assert stored.n_frames == 3


def test_cleaned_file_is_what_readers_get(desk):
    upload(desk, picture((640, 360)), name="Flood Barrier.JPG")
    image = Image.objects.get()
    assert image.file.name.endswith(".jpg")
    assert image.content_hash and len(image.content_hash) == 64


# Alt text and credit before publication --------------------------------------


def test_a_story_is_not_published_while_its_picture_lacks_alt_text_and_credit(desk):
    bare = make_image(title="Crowd at the ghat", alt_text="", credit="")
    story = make_article(
        make_section("World"),
        status=Article.Status.DRAFT,
        authors=[make_author()],
        lead_image=bare,
    )
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "article_form")
    data["_publish"] = "pressed"
    response = desk.post(url, data, follow=True)
    assertContains(response, "The lead image “Crowd at the ghat” needs alt text and a credit.")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_a_story_publishes_once_its_picture_is_described_and_credited():
    picture_ = make_image(alt_text="", credit="")
    story = make_article(status=Article.Status.DRAFT, authors=[make_author()], lead_image=picture_)
    picture_.alt_text, picture_.credit = "Boats on the river", "Newsroom Photo Desk"
    editor = make_editor()
    pictures.image_save(image=picture_, user=editor)
    workflow.article_publish(article=story, user=editor)
    assert Article.objects.visible().filter(pk=story.pk).exists()


def test_an_update_bringing_an_uncredited_picture_is_refused():
    editor = make_editor()
    story = make_article(authors=[make_author()])
    uncredited = make_image(title="Night market", credit="")
    due = timezone.now() + timedelta(hours=1)
    with pytest.raises(ValidationError, match="The lead image “Night market” needs a credit."):
        prepare_update(story, editor, due, lead_image=uncredited)
    assert not story.scheduled_updates.exists()


def test_an_update_whose_picture_lost_its_credit_since_is_held():
    editor = make_editor()
    story = make_article(authors=[make_author()])
    picture_ = make_image()
    due = timezone.now() + timedelta(hours=1)
    update = prepare_update(story, editor, due, lead_image=picture_)
    Image.objects.filter(pk=picture_.pk).update(credit="")
    assert updates.updates_apply_due(now=due) == 0
    update.refresh_from_db()
    assert "needs a credit" in update.problem
    assert Article.objects.get(pk=story.pk).lead_image_id is None


def test_upload_limits_name_the_formats_this_server_accepts():
    names = uploads.accepted_formats()
    assert names.startswith("JPEG, PNG, WebP, GIF")
    assert ("AVIF" in names) == features.check("avif")


# The picture library --------------------------------------------------------


def test_library_shows_where_a_picture_is_used(desk):
    image = make_image(title="River at dusk")
    story = make_article(make_section("World"), lead_image=image, headline="Ferries resume")
    page = desk.get(f"/admin/articles/image/{image.pk}/change/")
    assertContains(page, "Ferries resume")
    assertContains(page, f"/admin/articles/article/{story.pk}/change/")


def test_library_lists_the_pictures_a_story_cannot_be_published_with(desk):
    make_image(title="Described and credited")
    make_image(title="Waiting for words", alt_text="")
    page = desk.get("/admin/articles/image/?ready=no")
    assertContains(page, "Waiting for words")
    assert "Described and credited" not in page.content.decode()


def test_library_thumbnails_are_small_renditions_once_made(desk):
    image = make_image(size=(1600, 900))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    listing = desk.get("/admin/articles/image/").content.decode()
    small = image.renditions["shapes"]["4:3"][0]["files"]["jpeg"]
    assert small in listing and 'width="96" height="72"' in listing


def test_lead_picture_search_answers_with_thumbnails_and_what_is_missing(desk):
    ready = make_image(title="Harbour cranes at dusk")
    make_image(title="Harbour wall, undescribed", alt_text="")
    pictures.image_render(image_id=ready.pk)
    ready.refresh_from_db()
    found = desk.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "harb",
        },
    ).json()["results"]
    by_title = {result["text"]: result for result in found}
    small = ready.renditions["shapes"]["1:1"][0]["files"]["jpeg"]
    assert by_title["Harbour cranes at dusk"]["thumbnail"].endswith(small)
    assert by_title["Harbour cranes at dusk"]["needs"] == ""
    assert by_title["Harbour wall, undescribed"]["needs"] == "Needs alt text to publish"
    # Other boxes answer as before.
    sections = desk.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "section", "term": ""},
    ).json()["results"]
    assert all(set(result) == {"id", "text"} for result in sections)


def test_a_live_story_cannot_take_a_picture_without_alt_text(desk):
    bare = make_image(title="Unlabelled crowd", alt_text="")
    story = make_article(make_section("World"), authors=[make_author()])
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "article_form")
    data.update({"lead_image": str(bare.pk), "_save": "Save"})
    response = desk.post(url, data)
    assertContains(response, "The lead image “Unlabelled crowd” needs alt text.")
    story.refresh_from_db()
    assert story.lead_image is None


def test_a_picture_leading_a_live_story_keeps_its_credit(desk):
    image = make_image(title="Ferry at dawn")
    make_article(make_section("World"), lead_image=image, headline="Ferries resume")
    url = f"/admin/articles/image/{image.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "image_form")
    data.pop("file", None)
    data.update({"credit": "", "_save": "Save"})
    response = desk.post(url, data)
    assertContains(response, "This picture is shown in “Ferries resume”")
    image.refresh_from_db()
    assert image.credit == "Newsroom Photo Desk"


def test_an_animation_of_too_many_frames_is_refused(desk, media_root):
    frames = [PILImage.new("RGB", (8, 8), (n % 256, 0, 0)) for n in range(600)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    response = upload(desk, out.getvalue(), name="flicker.gif")
    assertContains(response, "is an animation of 600 frames")
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_deleting_a_picture_takes_its_original_and_renditions_out_of_storage(
    desk, media_root, django_capture_on_commit_callbacks
):
    image = make_image(size=(800, 600))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    kept = make_image()
    assert len(stored_files(media_root)) > 10
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert [path.name for path in stored_files(media_root)] == [Path(kept.file.name).name]


def test_replacing_a_pictures_file_removes_the_old_one(
    desk, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    old_original = media_root / image.file.name
    old_renditions = renditions.files_of(image.renditions)
    url = f"/admin/articles/image/{image.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "image_form")
    data["file"] = SimpleUploadedFile("new.png", picture((400, 300), "PNG"), "image/png")
    data["_save"] = "Save"
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(url, data).status_code == 302
    image.refresh_from_db()
    assert not old_original.exists() and (media_root / image.file.name).exists()
    # Readers keep getting the old renditions until the new ones exist.
    assert all((media_root / name).exists() for name in old_renditions)
    pictures.image_render(image_id=image.pk)
    assert not any((media_root / name).exists() for name in old_renditions)


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks need PostgreSQL"
)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_file_uploaded_twice_at_once_is_stored_once(media_root):
    """Two editors send the same photograph at the same moment: one stores
    it, the other is offered that picture; no error, no stray file."""
    data = picture((640, 480))
    first_in, results = threading.Event(), {}
    editor = make_editor()

    def send(name: str, wait: bool):
        try:
            if wait:
                first_in.wait(timeout=10)
            upload_ = uploads.read_upload(SimpleUploadedFile(f"{name}.jpg", data, "image/jpeg"))
            with transaction.atomic():
                try:
                    pictures.image_save(image=Image(title=name), upload=upload_, user=editor)
                    results[name] = []
                except ValidationError as refused:
                    results[name] = refused.messages
                if not wait:
                    # The first editor holds the fingerprint while saving.
                    first_in.set()
                    time.sleep(0.5)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=("first", False)),
        threading.Thread(target=send, args=("second", True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results["first"] == []
    assert "already in the library as “first”" in results["second"][0]
    assert list(Image.objects.values_list("title", flat=True)) == ["first"]
    assert len(stored_files(media_root)) == 1


def legacy_picture(**exif_tags) -> Image:
    """A picture stored as uploads were stored before they were cleaned:
    the photographer's bytes as sent."""
    exif = PILImage.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[EXIF_ARTIST] = "Asha Menon"
    exif.get_ifd(EXIF_GPS).update({1: "N", 2: (22.0, 34.0, 10.0), 3: "E", 4: (88.0, 21.0, 5.0)})
    raw = picture((400, 300), exif=exif.tobytes())
    return Image.objects.create(
        title="Legacy",
        file=SimpleUploadedFile("legacy.jpg", raw),
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def test_originals_stored_before_cleaning_are_cleaned_once(
    media_root, django_capture_on_commit_callbacks
):
    legacy = legacy_picture()
    clean = make_image()
    before_clean = clean.file.name
    fingerprint, leaky = legacy.content_hash, media_root / legacy.file.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_originals", stdout=out)
    assert "[##############################] 2/2 pictures" in out.getvalue()
    assert "Cleaned 1 of 2 pictures." in out.getvalue()
    legacy.refresh_from_db()
    assert not leaky.exists()
    assert (legacy.width, legacy.height, legacy.content_hash) == (300, 400, fingerprint)
    with PILImage.open(legacy.file.path) as stored:
        kept = stored.getexif()
        assert stored.size == (300, 400) and not kept.get_ifd(EXIF_GPS)
        assert kept[EXIF_ARTIST] == "Asha Menon"
    clean.refresh_from_db()
    assert clean.file.name == before_clean
    again = io.StringIO()
    call_command("clean_originals", stdout=again)
    assert "Cleaned 0 of 2 pictures." in again.getvalue()


def test_a_missing_original_does_not_stop_the_cleaning_but_fails_the_command(media_root):
    lost, legacy = make_image(), legacy_picture()
    (media_root / lost.file.name).unlink()
    out, errors = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 pictures could not be cleaned"):
        call_command("clean_originals", stdout=out, stderr=errors)
    assert "Cleaned 1 of 2 pictures." in out.getvalue()
    assert f"Could not clean picture {lost.pk}" in errors.getvalue()
    legacy.refresh_from_db()
    assert legacy.width == 300
