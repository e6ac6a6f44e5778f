"""The picture picker, opened from the story form: a new picture is
uploaded there and its focal point set right after, through the picture
service, and goes back to the story; the story form's picture box offers
no way to delete or add a library picture beside it."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Image

from .factories import image_bytes, make_editor, make_image

pytestmark = pytest.mark.django_db

PICKER = "/admin/articles/image/picker/"


def upload(client, query: str = "CKEditorFuncNum=3", colour=(200, 40, 40), **words):
    data = {
        "file": SimpleUploadedFile("sun.jpg", image_bytes((800, 450), colour), "image/jpeg"),
        "focal_x": "0.5",
        "focal_y": "0.5",
        "title": "Red sun over the harbour",
        "alt_text": "A red sun low over a pale harbour sky",
        "credit": "Staff photographer",
        "caption": "",
        **words,
    }
    return client.post(f"{PICKER}?{query}", data)


def test_a_picture_uploaded_in_the_picker_goes_on_to_its_focal_point(desk, editor):
    response = upload(desk)

    picture = Image.objects.get()
    assert picture.uploaded_by == editor and picture.alt_text.startswith("A red sun")
    assert response.status_code == 302
    assert response.url == f"{PICKER}{picture.pk}/?CKEditorFuncNum=3"
    page = desk.get(response.url)
    assertContains(page, "Click on the picture's subject")
    for crop in ("Story page (16:9)", "Lists and fronts (4:3)", "Thumbnails (1:1)", "Social card"):
        assertContains(page, crop)


def test_setting_the_focal_point_saves_it_and_hands_the_picture_back(desk):
    upload(desk, query="for=lead")
    picture = Image.objects.get()

    page = desk.post(
        f"{PICKER}{picture.pk}/?for=lead",
        {"focal_x": "0.8", "focal_y": "0.25", "base_version": picture.version},
    )

    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == (0.8, 0.25)
    assertContains(page, "data-choose-now")
    assertContains(page, f'data-picture="{picture.pk}"')
    assertContains(page, 'data-social="')


def test_a_refused_upload_says_why_and_keeps_the_typed_words(desk):
    first = upload(desk)
    assert first.status_code == 302

    again = upload(desk, title="The same file again", alt_text="Typed words kept")

    assertContains(again, "already in the library")
    assertContains(again, 'value="The same file again"')
    assertContains(again, 'value="Typed words kept"')
    assert Image.objects.count() == 1


def test_a_file_that_is_not_a_picture_is_refused_in_the_picker(desk):
    response = desk.post(
        PICKER,
        {
            "file": SimpleUploadedFile("notes.jpg", b"not a picture at all", "image/jpeg"),
            "title": "Notes",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )

    assert response.status_code == 200
    assert not Image.objects.exists()
    assertContains(response, 'class="errorlist"')


def test_a_reporter_places_someone_else_s_picture_without_moving_its_focal_point(
    reporter_desk,
):
    picture = make_image(uploaded_by=make_editor("vikram"))
    picture.focal_x = 0.3
    picture.save()

    page = reporter_desk.get(f"{PICKER}{picture.pk}/?for=lead")
    placed = reporter_desk.post(f"{PICKER}{picture.pk}/?for=lead", {"focal_x": "0.9"})

    assertContains(page, "Only its uploader or an editor can move this picture's focal point.")
    assertContains(placed, "data-choose-now")
    picture.refresh_from_db()
    assert picture.focal_x == 0.3


def test_a_reporter_uploads_and_sets_the_focal_point_of_their_own_picture(reporter_desk, reporter):
    upload(reporter_desk, colour=(10, 200, 90))
    picture = Image.objects.get(uploaded_by=reporter)

    reporter_desk.post(
        f"{PICKER}{picture.pk}/", {"focal_x": "0.1", "focal_y": "0.9", "base_version": 1}
    )

    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == (0.1, 0.9)


def test_the_lead_picture_box_offers_no_delete_or_add_beside_it(desk):
    form = desk.get("/admin/articles/article/add/").content.decode()

    assert 'id="add_id_lead_image"' not in form
    assert 'id="delete_id_lead_image"' not in form
    assertNotContains(desk.get("/admin/articles/article/add/"), "delete-related")


def test_someone_who_may_only_look_at_pictures_cannot_upload_in_the_picker(client):
    looker = User.objects.create_user("looker", password="a-long-test-password", is_staff=True)
    looker.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(looker)

    assert client.get(PICKER).status_code == 200
    assert upload(client).status_code == 403
    assert not Image.objects.exists()
