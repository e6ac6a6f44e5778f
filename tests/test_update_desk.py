"""A prepared update seen from the story form: after scheduling, the form
shows what the update changes in the live story, to change or cancel; a
substantive update can be scheduled, and moves "Updated on" when applied."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import ScheduledUpdate

from .factories import make_article, make_author, prepare_update
from .forms import change_url, opened_form, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    return make_article(
        world,
        authors=[make_author("Ravi Kumar")],
        headline="Polls open in Assam",
        standfirst="Voting began at seven.",
    )


def due_fields(when):
    local = timezone.localtime(when)
    return {"update_at_0": local.strftime("%Y-%m-%d"), "update_at_1": local.strftime("%H:%M:%S")}


def test_after_scheduling_the_form_shows_the_update_against_the_live_story(desk, story):
    later = timezone.now() + timedelta(hours=3)
    post_form(
        desk,
        change_url(story),
        "_schedule_update",
        headline="Polls close in Assam with record turnout",
        **due_fields(later),
    )

    page = desk.get(change_url(story))

    assertContains(page, "Update due ")
    assertContains(page, "Before: <del>Polls open in Assam</del>", html=True)
    assertContains(page, "After: <ins>Polls close in Assam with record turnout</ins>", html=True)
    assertContains(page, "Change this update")
    # Cancelling is a form of its own: Enter in the story form never presses it.
    assertContains(page, 'form="cancel-update-')
    assertContains(page, '<form id="cancel-update-')
    assertContains(page, "A small fix: the “Updated on” time stays.")
    # The live text stays in the form itself.
    assert opened_form(desk, change_url(story))["headline"] == "Polls open in Assam"


def test_a_substantive_update_can_be_scheduled(desk, story):
    post_form(
        desk,
        change_url(story),
        "_schedule_update",
        headline="Polls close with record turnout",
        mark_updated="on",
        **due_fields(timezone.now() + timedelta(hours=3)),
    )

    update = ScheduledUpdate.objects.get(article=story)
    assert update.substantive
    assertContains(desk.get(change_url(story)), "A substantive update")


def test_cancelling_the_update_from_the_form_leaves_the_live_story(desk, editor, story):
    update = prepare_update(story, editor, timezone.now() + timedelta(hours=1), headline="New")

    response = desk.post(f"{change_url(story)[: -len('change/')]}updates/{update.pk}/cancel/")

    update.refresh_from_db()
    assert update.cancelled_at is not None
    page = desk.get(response.url)
    assertContains(page, "is cancelled; the live story stays as it is.")
    assertNotContains(page, "Change this update")


def test_changing_the_update_opens_its_text_and_replaces_it(desk, editor, story):
    due = timezone.now() + timedelta(hours=2)
    update = prepare_update(
        story, editor, due, headline="Counting begins", bylines=[make_author("Mira Das")]
    )
    url = f"{change_url(story)}?update={update.pk}"

    page = desk.get(url)
    form = opened_form(desk, url)

    assertContains(page, "You are changing the update due")
    assert form["headline"] == "Counting begins"
    assert form["replaces"] == str(update.pk)
    assert form["bylines-TOTAL_FORMS"] == "2" and form["bylines-INITIAL_FORMS"] == "0"
    assertContains(page, "Mira Das")
    assertNotContains(page, 'name="_save"')
    assert 'name="_schedule_update"' in page.content.decode()

    post_form(desk, url, "_schedule_update", form=form, headline="Counting begins at eight")

    update.refresh_from_db()
    assert update.cancelled_at is not None
    replacement = ScheduledUpdate.objects.open().get(article=story)
    assert replacement.changes["headline"] == "Counting begins at eight"
    assert [author[1] for author in replacement.changes["bylines"]] == ["Mira Das"]
    story.refresh_from_db()
    assert story.headline == "Polls open in Assam"


def test_changing_an_update_that_went_meanwhile_keeps_the_typing(desk, editor, story):
    update = prepare_update(story, editor, timezone.now() + timedelta(hours=2), headline="Count")
    url = f"{change_url(story)}?update={update.pk}"
    form = opened_form(desk, url)
    ScheduledUpdate.objects.filter(pk=update.pk).update(cancelled_at=timezone.now())

    response = post_form(desk, url, "_schedule_update", form=form, headline="Count at eight")

    assertContains(response, "The update you were changing was applied or cancelled meanwhile")
    assertContains(response, "Count at eight")
    # The update's text stays off the live story: no button saves it there.
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, 'name="_publish"')
    assert not ScheduledUpdate.objects.open().filter(article=story).exists()


def test_a_refused_change_of_an_update_stays_a_change_of_the_update(desk, editor, story):
    update = prepare_update(story, editor, timezone.now() + timedelta(hours=2), headline="Count")
    url = f"{change_url(story)}?update={update.pk}"
    form = opened_form(desk, url)

    response = post_form(
        desk,
        url,
        "_schedule_update",
        form=form,
        headline="Count at eight",
        **due_fields(timezone.now() - timedelta(hours=1)),
    )

    assertContains(response, "You are changing the update due")
    assertContains(response, "Count at eight")
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, "data-session-url")
    update.refresh_from_db()
    assert update.cancelled_at is None
    story.refresh_from_db()
    assert story.headline == "Polls open in Assam"


def test_a_reporter_neither_sees_nor_changes_nor_cancels_an_update(reporter_desk, editor, story):
    update = prepare_update(story, editor, timezone.now() + timedelta(hours=1), headline="Secret")

    page = reporter_desk.get(f"{change_url(story)}?update={update.pk}")
    cancel = reporter_desk.post(
        f"{change_url(story)[: -len('change/')]}updates/{update.pk}/cancel/"
    )

    assertNotContains(page, "Secret")
    assertNotContains(page, "Update due")
    update.refresh_from_db()
    assert update.cancelled_at is None
    assert cancel.status_code in (302, 403)
