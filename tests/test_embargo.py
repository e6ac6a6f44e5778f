"""What a reporter learns on the desk is what their own stories and live
stories reveal: nothing of an embargoed draft's headline, its tags or a
prepared update reaches them through a picture's "used in", a tag list,
an autocomplete or a story's history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import permissions
from articles.models import Article

from .factories import (
    body_figure,
    edit_story,
    make_article,
    make_author,
    make_image,
    prepare_update,
)
from .forms import history_url

pytestmark = pytest.mark.django_db
Status = Article.Status

EMBARGOED = "Minister to resign at noon"


@pytest.fixture
def embargoed(world):
    """An editor's draft nobody outside the desk's editors may know of."""
    return make_article(
        world,
        status=Status.DRAFT,
        authors=[make_author()],
        headline=EMBARGOED,
        tags=["Resignation"],
    )


def tag_suggestions(browser, term: str) -> list[str]:
    response = browser.get("/admin/articles/article/tags/autocomplete/", {"term": term})
    return [result["text"] for result in response.json()["results"]]


def test_used_in_shows_a_reporter_only_the_stories_they_may_see(
    reporter_desk, desk, editor, world, embargoed
):
    picture = make_image(title="Minister's car at the gate")
    edit_story(embargoed, editor, lead_image=picture)
    make_article(world, lead_image=picture, headline="Traffic eases in the capital")
    url = f"/admin/articles/image/{picture.pk}/change/"
    page = reporter_desk.get(url)
    assertContains(page, "Traffic eases in the capital")
    assertNotContains(page, EMBARGOED)
    assertContains(desk.get(url), EMBARGOED)


def test_tag_suggestions_leave_out_tags_only_unpublished_stories_carry(
    reporter_desk, desk, world, embargoed
):
    make_article(world, tags=["Rail budget"])
    assert tag_suggestions(reporter_desk, "r") == ["Rail budget"]
    assert tag_suggestions(desk, "r") == ["Rail budget", "Resignation"]


def test_a_reporter_sees_the_tags_of_their_own_draft(reporter_desk, reporter, world, embargoed):
    make_article(world, status=Status.DRAFT, created_by=reporter, tags=["Rail strike"])
    assert tag_suggestions(reporter_desk, "r") == ["Rail strike"]


def test_the_story_lists_tag_filter_leaves_out_embargoed_tags(
    reporter_desk, desk, world, embargoed
):
    make_article(world, tags=["Rail budget"])
    for_reporter = reporter_desk.get("/admin/articles/article/").content.decode()
    assert "Rail budget" in for_reporter and "Resignation" not in for_reporter
    assertContains(desk.get("/admin/articles/article/"), "Resignation")


def test_history_of_a_live_story_keeps_a_prepared_update_from_reporters(
    reporter_desk, desk, editor, world
):
    live = make_article(world, authors=[make_author()], headline="Talks continue")
    edit_story(live, editor, headline="Talks continue into the night")
    due = timezone.now() + timedelta(hours=3)
    prepare_update(live, editor, due, headline="Talks collapse")
    prepared = live.revisions.first()
    assert prepared.is_desk_only
    for_reporter = reporter_desk.get(history_url(live))
    shown = [revision.number for revision in for_reporter.context["revisions"]]
    assert shown == [prepared.number - 1]
    assertNotContains(for_reporter, "Talks collapse")
    for_editor = desk.get(history_url(live))
    assert [revision.number for revision in for_editor.context["revisions"]][0] == prepared.number


def test_unpublishing_tells_only_editors_that_updates_were_cancelled(editor, reporter, world):
    live = make_article(world, authors=[make_author()], created_by=reporter)
    prepare_update(live, editor, timezone.now() + timedelta(hours=1), headline="Later news")
    edit_story(live, editor, action=permissions.UNPUBLISH)
    seen = permissions.desk_revisions(reporter, live.revisions.all())
    assert [revision.action for revision in seen][:1] == ["Unpublished"]
    assert not any("update" in revision.action for revision in seen)
    everything = permissions.desk_revisions(editor, live.revisions.all())
    assert everything.first().action == "Cancelled 1 scheduled update(s) on unpublishing"


def test_a_body_picture_of_an_embargoed_draft_is_not_listed_for_reporters(
    reporter_desk, editor, world, embargoed
):
    picture = make_image()
    edit_story(embargoed, editor, body=body_figure(picture))
    page = reporter_desk.get(f"/admin/articles/image/{picture.pk}/change/")
    assertNotContains(page, EMBARGOED)


def test_an_authors_story_count_leaves_out_what_a_reporter_may_not_see(
    reporter_desk, desk, world, embargoed
):
    author = embargoed.bylines.get().author
    make_article(world, authors=[author], headline="A live one")
    counted = reporter_desk.get("/admin/articles/author/").context["cl"].result_list
    assert [(found.name, found.story_count) for found in counted] == [(author.name, 1)]
    counted = desk.get("/admin/articles/author/").context["cl"].result_list
    assert [(found.name, found.story_count) for found in counted] == [(author.name, 2)]


def test_a_reporter_is_not_shown_the_version_a_prepared_update_moved(
    reporter_desk, desk, editor, world
):
    live = make_article(world, authors=[make_author()], headline="Talks continue")
    prepare_update(live, editor, timezone.now() + timedelta(hours=3), headline="Talks collapse")
    live.refresh_from_db()
    assert live.version == 1
    assertNotContains(reporter_desk.get(f"/admin/articles/article/{live.pk}/change/"), "version")
    assertContains(desk.get(f"/admin/articles/article/{live.pk}/change/"), "version 1")
