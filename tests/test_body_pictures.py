"""Pictures in the story body: picked from the library in the editor,
shown to readers as renditions with their credit, checked like the lead
picture before readers see them, and tracked so the library knows where
each picture is used."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import permissions
from articles.models import Article, BodyPicture, Image
from articles.pictures import services as pictures
from articles.services import checks, updates, workflow

from .factories import (
    body_figure,
    edit_story,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_reporter,
    prepare_update,
)
from .forms import form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


def story_with(world, *pictures, status=Status.PUBLISHED, **fields) -> Article:
    body = "<p>Boats were out before dawn.</p>" + "".join(pictures) + "<p>By noon, calm.</p>"
    return make_article(world, authors=[make_author()], body=body, status=status, **fields)


def story_page(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_readers_get_the_body_picture_in_renditions_with_caption_and_credit(client, world):
    image = make_image(size=(1600, 1200), credit="Ravi Photo Agency", title="Ghat at dawn")
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    story = story_with(world, body_figure(image, caption="Boats at <em>Dashashwamedh</em> ghat"))
    page = story_page(client, story)
    body = page[page.index('class="story-body"') :]
    assert '<figure class="body-picture">' in body
    # As framed: 1600×1200 stays 4:3 at every width, and the widest is 1280.
    widest = image.renditions["shapes"]["full"][-1]
    assert (widest["width"], widest["height"]) == (1280, 960)
    assert widest["files"]["webp"] in body and 'width="1280" height="960"' in body
    assert 'type="image/webp"' in body and 'loading="lazy"' in body
    assert "Boats at <em>Dashashwamedh</em> ghat" in body
    assert "Image Source: Ravi Photo Agency" in body
    # Readers never get the address the editor showed.
    assert f"/admin/articles/image/{image.pk}/shown/" not in page
    # The paragraphs stay on either side of it, in order.
    assert body.index("Boats were out") < body.index("body-picture") < body.index("By noon")


def test_the_alt_text_written_for_the_story_replaces_the_librarys(client, world):
    image = make_image(alt_text="Boats on a river")
    story = story_with(world, body_figure(image, alt="Fishing boats moored at Dashashwamedh ghat"))
    page = story_page(client, story)
    assert 'alt="Fishing boats moored at Dashashwamedh ghat"' in page
    assert 'alt="Boats on a river"' not in page


def test_without_a_caption_of_its_own_the_picture_keeps_the_librarys(client, world):
    image = make_image(caption="Rescue teams at the embankment")
    page = story_page(client, story_with(world, body_figure(image)))
    assert "Rescue teams at the embankment" in page
    # Until renditions exist the original is shown, sized and lazy.
    assert image.file.url in page and 'width="640" height="360"' in page


def test_the_library_knows_which_bodies_show_a_picture(world, editor):
    first, second = make_image(), make_image()
    story = story_with(world, body_figure(first), body_figure(second), status=Status.DRAFT)
    assert set(story.body_picture_links.values_list("image_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    edit_story(story, editor, body="<p>Only the second now.</p>" + body_figure(second))
    assert list(story.body_picture_links.values_list("image_id", flat=True)) == [second.pk]
    # A save that leaves the body alone leaves the record alone.
    edit_story(story, editor, action=permissions.SUBMIT, headline="Only one picture now")
    assert BodyPicture.objects.filter(article=story).count() == 1


def test_a_picture_a_body_shows_cannot_be_deleted(desk, world):
    image = make_image(title="Flood line on the wall")
    story_with(world, body_figure(image), status=Status.DRAFT, headline="Waters recede")
    response = desk.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assertContains(response, "Waters recede")
    assert Image.objects.filter(pk=image.pk).exists()


def test_publishing_names_the_body_picture_that_lacks_words(desk, world):
    bare = make_image(title="Crowd at the station", alt_text="", credit="")
    story = story_with(world, status=Status.IN_REVIEW)
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "article_form")
    typed = "<p>Trains resumed at six, the station master said.</p>" + body_figure(bare)
    data.update({"body": typed, "_publish": "Publish now"})
    response = desk.post(url, data)
    assertContains(
        response, "The picture in the body “Crowd at the station” needs alt text and a credit."
    )
    # The typed text is still in the form, and nothing went live.
    assertContains(response, "Trains resumed at six, the station master said.")
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


def test_alt_text_written_in_the_story_is_enough_to_publish(desk, world):
    undescribed = make_image(alt_text="")
    story = story_with(
        world,
        body_figure(undescribed, alt="Commuters boarding the first train"),
        status=Status.DRAFT,
    )
    assert checks.publish_problems(story) == []


def test_a_picture_from_elsewhere_is_refused_and_the_text_kept(desk, world):
    story = story_with(world, status=Status.DRAFT)
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "article_form")
    data.update(
        {
            "body": '<p>Pasted from a wire page.</p><img src="https://tracker.example/p.jpg">',
            "_save": "Save",
        }
    )
    response = desk.post(url, data)
    assertContains(response, "“https://tracker.example/p.jpg” in the body is not from the library")
    assertContains(response, "Pasted from a wire page.")
    story.refresh_from_db()
    assert "tracker.example" not in story.body


def test_hostile_markup_around_a_body_picture_is_removed(client, world):
    image = make_image()
    hostile = (
        f'<figure onclick="steal()"><img src="javascript:alert(1)" data-file="{image.pk}" '
        f'onerror="steal()" alt="x"><figcaption><script>steal()</script>Calm</figcaption></figure>'
    )
    story = story_with(world, hostile)
    assert "steal()" not in story.body and "javascript:" not in story.body
    page = story_page(client, story)
    assert "steal()" not in page and "javascript:" not in page
    assert image.file.url in page and "Calm" in page


def test_a_scheduled_update_whose_picture_loses_its_credit_is_held(world):
    editor = make_editor()
    bare = make_image(title="Night shot of the bridge")
    live = story_with(world)
    due = timezone.now() + timedelta(hours=1)
    update = prepare_update(
        live, editor, due, body=live.body + body_figure(bare, alt="The bridge lit at night")
    )
    bare.credit = ""
    bare.save()
    assert not updates.update_apply(update_id=update.pk, now=due)
    update.refresh_from_db()
    assert update.problem == ("The picture in the body “Night shot of the bridge” needs a credit.")
    assert not live.body_picture_links.exists()


def test_an_applied_update_brings_its_pictures_to_readers(client, world):
    editor = make_editor()
    picture = make_image(title="Bridge reopened")
    live = story_with(world)
    due = timezone.now() + timedelta(hours=1)
    update = prepare_update(
        live, editor, due, body=live.body + body_figure(picture, caption="Traffic moving again")
    )
    assertNotContains(client.get(live.get_absolute_url()), "Traffic moving again")
    assert updates.update_apply(update_id=update.pk, now=due)
    assert list(live.body_picture_links.values_list("image_id", flat=True)) == [picture.pk]
    assertContains(client.get(live.get_absolute_url()), "Traffic moving again")


def test_a_picture_a_live_body_shows_keeps_its_credit_and_reporters_hands_off(client, world):
    image = make_image(title="Ferry crossing")
    story_with(world, body_figure(image), headline="Ferries resume")
    reporter = make_reporter()
    assert not permissions.can_change_image(reporter, image)
    client.force_login(make_editor())
    url = f"/admin/articles/image/{image.pk}/change/"
    data = form_data(client.get(url).content.decode(), "image_form")
    data.pop("file", None)
    data.update({"credit": "", "_save": "Save"})
    assertContains(client.post(url, data), "This picture is shown in “Ferries resume”")


def test_reporter_cannot_change_a_picture_an_update_puts_in_a_live_body(world):
    live = story_with(world)
    editor, reporter = make_editor(), make_reporter()
    picture = make_image(uploaded_by=reporter)
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, editor, due, body=live.body + body_figure(picture))
    assert not permissions.can_change_image(reporter, picture)


def test_used_in_lists_lead_body_and_portrait_uses(desk, world):
    image = make_image()
    make_article(world, lead_image=image, headline="Lead use")
    story_with(world, body_figure(image), headline="Body use")
    make_author("Asha Rao", photo=image)
    page = desk.get(f"/admin/articles/image/{image.pk}/change/")
    assertContains(page, "Lead use</a> (lead picture)")
    assertContains(page, "Body use</a> (in the body)")
    assertContains(page, "Asha Rao</a> (portrait)")


def test_picker_searches_the_library_and_hands_back_the_picture(desk):
    wanted = make_image(title="Tea garden at Darjeeling", alt_text="Pickers among tea bushes")
    make_image(title="Parliament in session")
    pictures.image_render(image_id=wanted.pk)
    wanted.refresh_from_db()
    page = desk.get("/admin/articles/image/picker/?q=darjeeling&CKEditorFuncNum=-1")
    assertContains(page, "Tea garden at Darjeeling")
    assertNotContains(page, "Parliament in session")
    assertContains(page, f'data-picture="{wanted.pk}"')
    assertContains(page, 'data-alt="Pickers among tea bushes"')
    assertContains(page, 'data-callback="-1"')
    assertContains(page, wanted.renditions["shapes"]["4:3"][0]["files"]["jpeg"])
    shown = desk.get(f"/admin/articles/image/{wanted.pk}/shown/")
    assert shown.status_code == 302
    assert shown["Location"].endswith(wanted.renditions["shapes"]["full"][1]["files"]["jpeg"])


def test_picker_is_for_the_desk_only(client):
    image = make_image()
    for url in ("/admin/articles/image/picker/", f"/admin/articles/image/{image.pk}/shown/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_picture_hidden_in_a_caption_never_reaches_readers(client, world):
    shown, hidden = make_image(), make_image()
    crafted = (
        f'<figure><img src="/x.jpg" alt="" data-file="{shown.pk}">'
        f'<img src="/y.jpg" alt="" data-file="{hidden.pk}">'
        f'<figcaption>Calm <img src="https://tracker.example/p.gif" data-file="{hidden.pk}">'
        "</figcaption></figure>"
    )
    page = story_page(client, story_with(world, crafted))
    assert page.count('class="body-picture"') == 1 and "Calm" in page
    assert shown.file.url in page and hidden.file.url not in page
    assert "tracker.example" not in page and "data-file" not in page


@pytest.mark.parametrize("number", ["²", "99999999999999999999999", "0", "-3", "12a"])
def test_an_odd_picture_number_is_refused_and_the_text_kept(desk, world, number):
    story = story_with(world, status=Status.DRAFT)
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "article_form")
    typed = f'<p>Typed before the odd picture.</p><img src="/z.jpg" data-file="{number}">'
    response = desk.post(url, {**data, "body": typed, "_save": "Save"})
    assertContains(response, "in the body is not from the library")
    assertContains(response, "Typed before the odd picture.")


def test_restoring_a_revision_into_a_live_story_checks_its_pictures(desk, world):
    editor = make_editor("vikram")
    uncredited = make_image(title="Ghat at night", credit="")
    story = story_with(world, status=Status.DRAFT)
    body = "<p>Draft with a picture.</p>" + body_figure(uncredited, alt="Lamps on the river")
    edit_story(story, editor, body=body)
    with_picture = story.revisions.first()
    edit_story(story, editor, action=permissions.PUBLISH, body="<p>Published without it.</p>")
    with pytest.raises(ValidationError, match="“Ghat at night” needs a credit"):
        workflow.revision_restore(revision=with_picture, user=editor)
    story.refresh_from_db()
    assert story.body == "<p>Published without it.</p>"
    # A picture deleted since is reported, not silently dropped.
    uncredited.credit = "River Desk"
    uncredited.save()
    story.body_picture_links.all().delete()
    Image.objects.filter(pk=uncredited.pk).delete()
    with pytest.raises(ValidationError, match=f"picture number {uncredited.pk}"):
        workflow.revision_restore(revision=with_picture, user=editor)


def test_a_picture_described_only_in_the_story_can_still_be_edited(desk, world):
    undescribed = make_image(title="Crowd at the gate", alt_text="")
    story_with(world, body_figure(undescribed, alt="Fans queueing at the stadium gate"))
    url = f"/admin/articles/image/{undescribed.pk}/change/"
    data = form_data(desk.get(url).content.decode(), "image_form")
    data.pop("file", None)
    data.update({"caption": "Gates opened two hours early", "_save": "Save"})
    assert desk.post(url, data).status_code == 302
    undescribed.refresh_from_db()
    assert undescribed.caption == "Gates opened two hours early"


def test_picker_refuses_desk_staff_who_may_not_see_the_library(client):
    image = make_image()
    outsider = User.objects.create_user("ads", password="x", is_staff=True)
    client.force_login(outsider)
    for url in ("/admin/articles/image/picker/", f"/admin/articles/image/{image.pk}/shown/"):
        assert client.get(url).status_code == 403
