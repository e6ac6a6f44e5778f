"""What a reporter's desk shows and lets through beyond the story form's
buttons: READ MORE targets, prepared updates, shared pictures, the list."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, RelatedLink

from .factories import (
    make_article,
    make_author,
    make_editor,
    make_image,
    prepare_update,
)
from .forms import form_data

pytestmark = pytest.mark.django_db

Status = Article.Status


def own_draft(world, reporter, **fields):
    return make_article(
        world, status=Status.DRAFT, created_by=reporter, authors=[make_author()], **fields
    )


def link_from_own_draft(client, reporter, world, target):
    """The reporter's draft saved with a READ MORE line to `target`."""
    draft = own_draft(world, reporter)
    url = f"/admin/articles/article/{draft.pk}/change/"
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update(
        {
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-target": str(target.pk),
            "related_links-0-position": "0",
            "_save": "Save",
        }
    )
    return draft, client.post(url, data)


def test_reporter_cannot_point_read_more_at_someone_elses_draft(reporter_desk, reporter, world):
    secret = make_article(world, status=Status.DRAFT, headline="Embargoed: minister to resign")
    _, response = link_from_own_draft(reporter_desk, reporter, world, secret)
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assertNotContains(response, "minister to resign")
    assert not RelatedLink.objects.exists()


def test_reporter_may_point_read_more_at_a_live_story(reporter_desk, reporter, world):
    live = make_article(world, headline="Budget passed")
    draft, response = link_from_own_draft(reporter_desk, reporter, world, live)
    assert response.status_code == 302
    assert draft.related_links.get().target == live


def test_reporter_does_not_see_an_update_prepared_for_a_live_story(reporter_desk, world):
    live = make_article(world, authors=[make_author()], headline="Talks continue")
    editor = make_editor()
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, editor, due, headline="Talks collapse, embargoed until six")
    page = reporter_desk.get(f"/admin/articles/article/{live.pk}/change/")
    assert page.status_code == 200
    assertContains(page, "Live")
    assertNotContains(page, "embargoed until six")
    # What an editor sees of the update on the same page is not there.
    editors_page = Client()
    editors_page.force_login(editor)
    update_line = "Update of the headline due"
    assertContains(editors_page.get(f"/admin/articles/article/{live.pk}/change/"), update_line)
    assertNotContains(page, update_line)
    assert reporter_desk.get("/admin/articles/scheduledupdate/").status_code == 403


def test_editor_sees_the_prepared_update_and_its_preview(client, world):
    live = make_article(world, authors=[make_author()], headline="Talks continue")
    editor = make_editor()
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, editor, due, headline="Talks collapse")
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{live.pk}/change/")
    assertContains(page, "Update of the headline due")
    # The story's own preview, and the update's, in its state and in the
    # update's own box.
    assertContains(page, "/preview/", count=3)
    assertContains(page, "After: <ins>Talks collapse</ins>", html=True)


def test_reporter_cannot_change_a_picture_a_live_story_shows(reporter_desk, world):
    picture = make_image(alt_text="Flooded street in Guwahati")
    make_article(world, lead_image=picture)
    url = f"/admin/articles/image/{picture.pk}/change/"
    assertNotContains(reporter_desk.get(url), 'name="_save"')
    response = reporter_desk.post(url, {"title": "x", "alt_text": "Nothing", "credit": "x"})
    assertContains(response, "Only the picture&#x27;s uploader or an editor can change it.")
    picture.refresh_from_db()
    assert picture.alt_text == "Flooded street in Guwahati"


def test_reporter_changes_a_picture_they_uploaded_that_only_their_draft_shows(
    reporter_desk, reporter, world
):
    picture = make_image(alt_text="Old description", uploaded_by=reporter)
    own_draft(world, reporter, lead_image=picture)
    url = f"/admin/articles/image/{picture.pk}/change/"
    data = form_data(reporter_desk.get(url).content.decode(), "image_form")
    data.update({"alt_text": "Boats moored at the ghat", "_save": "Save"})
    data.pop("file", None)
    response = reporter_desk.post(url, data)
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.alt_text == "Boats moored at the ghat"


def test_reporter_lists_their_own_stories_and_live_ones_only(reporter_desk, reporter, world):
    own_draft(world, reporter, headline="My draft on ferries")
    make_article(world, status=Status.DRAFT, headline="Colleague's draft on trains")
    make_article(world, headline="Live story on buses")
    make_article(
        world,
        headline="Scheduled story on trams",
        published_at=timezone.now() + timedelta(hours=2),
    )
    page = reporter_desk.get("/admin/articles/article/")
    assertContains(page, "My draft on ferries")
    assertContains(page, "Live story on buses")
    assertNotContains(page, "Colleague&#x27;s draft on trains")
    assertNotContains(page, "Scheduled story on trams")


def test_reporters_dashboard_leaves_out_prepared_updates(reporter_desk, world):
    live = make_article(world, authors=[make_author()], headline="Talks continue")
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, make_editor(), due, headline="Talks collapse, embargoed until six")
    board = reporter_desk.get("/admin/")
    assert board.status_code == 200
    assertContains(board, "Nothing scheduled.")
    assertNotContains(board, "embargoed until six")


def test_reporter_cannot_change_a_picture_an_update_will_put_on_a_live_story(
    reporter_desk, reporter, world
):
    picture = make_image(alt_text="Crowd outside the counting centre", uploaded_by=reporter)
    live = make_article(world, authors=[make_author()])
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, make_editor(), due, lead_image=picture)
    response = reporter_desk.post(
        f"/admin/articles/image/{picture.pk}/change/",
        {"title": "x", "alt_text": "Something else", "credit": "x"},
    )
    assertContains(response, "Only the picture&#x27;s uploader or an editor can change it.")
    picture.refresh_from_db()
    assert picture.alt_text == "Crowd outside the counting centre"
