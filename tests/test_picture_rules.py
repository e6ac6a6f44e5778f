"""Who may change a picture, where its original is stored, what metadata it
keeps, and two editors saving one picture at once."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from PIL import Image as PILImage
from pytest_django.asserts import assertContains

from articles.models import Image
from articles.pictures import services as pictures
from articles.pictures import uploads
from articles.pictures.models import stored_key

from .factories import image_bytes, make_editor, make_image
from .forms import opened_form

pytestmark = pytest.mark.django_db


def image_url(image) -> str:
    return f"/admin/articles/image/{image.pk}/change/"


def test_a_reporter_cannot_change_a_picture_an_editor_uploaded(reporter_desk, reporter, editor):
    picture = make_image(uploaded_by=editor, credit="Staff photographer")
    response = reporter_desk.post(image_url(picture), {"title": "Mine now", "credit": "Me"})
    assertContains(response, "Only the picture&#x27;s uploader or an editor can change it.")
    assertContains(response, "Mine now")
    picture.credit = "Me"
    with pytest.raises(PermissionDenied):
        pictures.image_save(image=picture, user=reporter)
    picture.refresh_from_db()
    assert picture.credit == "Staff photographer"


def test_a_reporter_changes_a_picture_they_uploaded(reporter_desk, reporter):
    picture = make_image(uploaded_by=reporter, credit="Agency")
    form = opened_form(reporter_desk, image_url(picture), "image_form")
    form.pop("file", None)
    response = reporter_desk.post(image_url(picture), {**form, "credit": "Tanvi Mehta"})
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.credit == "Tanvi Mehta"


def test_an_original_is_stored_under_a_key_not_its_upload_name(media_root):
    raw = image_bytes((300, 200), colour=(10, 200, 30), image_format="PNG")
    upload = uploads.read_upload(ContentFile(raw, name="r.png"))
    picture = pictures.image_save(image=Image(title="R"), upload=upload, user=make_editor())
    key = stored_key(picture)
    assert picture.file.name == f"images/{key[:2]}/{key}.png"
    # Someone holding the same file cannot work the address out.
    assert hashlib.sha256(raw).hexdigest() not in picture.file.name
    assert [path.name for path in media_root.rglob("r*.png")] == []
    # Guessing the upload's name and month finds nothing.
    assert Client().get(f"/media/images/{picture.uploaded_at:%Y/%m}/r.png").status_code == 404


def test_cleaning_moves_an_original_stored_under_its_upload_name(
    media_root, django_capture_on_commit_callbacks
):
    raw = image_bytes((300, 200))
    (media_root / "images/2026/11").mkdir(parents=True)
    (media_root / "images/2026/11/r.jpg").write_bytes(raw)
    legacy = Image.objects.create(
        title="Stored as uploaded",
        file="images/2026/11/r.jpg",
        content_hash=hashlib.sha256(raw).hexdigest(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_originals", stdout=io.StringIO())
    legacy.refresh_from_db()
    assert legacy.file.name.startswith(f"images/{stored_key(legacy)[:2]}/{stored_key(legacy)}")
    assert not (media_root / "images/2026/11/r.jpg").exists()


def gif_with_comment(frames: int) -> bytes:
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]
    pictures_ = [PILImage.new("RGB", (24, 24), colour) for colour in colours[:frames]]
    out = io.BytesIO()
    pictures_[0].save(
        out,
        "GIF",
        comment=b"taken at 22.57N 88.36E",
        save_all=frames > 1,
        append_images=pictures_[1:],
    )
    return out.getvalue()


@pytest.mark.parametrize("frames", [1, 3], ids=["still", "animated"])
def test_a_gifs_comment_is_not_kept(frames):
    raw = gif_with_comment(frames)
    assert b"22.57N" in raw
    stored = uploads.read_upload(ContentFile(raw, name="map.gif")).file.read()
    assert b"22.57N" not in stored
    with PILImage.open(io.BytesIO(stored)) as kept:
        assert getattr(kept, "n_frames", 1) == frames


def test_the_second_of_two_editors_saving_one_picture_is_refused_and_keeps_their_words(
    desk, editor
):
    picture = make_image(caption="First caption")
    other = Client()
    other.force_login(make_editor("vikram"))
    mine = opened_form(desk, image_url(picture), "image_form")
    theirs = opened_form(other, image_url(picture), "image_form")
    for form in (mine, theirs):
        form.pop("file", None)
    assert other.post(image_url(picture), {**theirs, "caption": "Their caption"}).status_code == 302
    response = desk.post(image_url(picture), {**mine, "alt_text": "My careful description"})
    assertContains(response, "someone saved this picture after you opened it")
    assertContains(response, "My careful description")
    picture.refresh_from_db()
    assert (picture.caption, picture.version) == ("Their caption", 2)


def test_a_picture_saved_from_a_fresh_form_goes_through(desk):
    picture = make_image()
    form = opened_form(desk, image_url(picture), "image_form")
    form.pop("file", None)
    assert desk.post(image_url(picture), {**form, "caption": "New caption"}).status_code == 302
    assert Image.objects.get(pk=picture.pk).caption == "New caption"


def test_words_typed_as_spaces_count_as_missing():
    picture = make_image(alt_text="   ", credit=" \t")
    assert picture.missing_words() == ["alt text", "a credit"]
    assert list(Image.objects.needing_words()) == [picture]
    assert Path(picture.file.name).suffix == ".jpg"
