"""Typed copy is never lost: the story form keeps what is typed on the
server (not as a revision), offers it back after a reload, and shows who
else has the story open and who saved it since. Only those who may edit
a story keep text on it."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.models import Article, EditingSession, Revision
from articles.services import sessions

from .factories import edit_story, make_article, make_editor, make_reporter
from .forms import form_data

pytestmark = pytest.mark.django_db


def report(client, story: Article | None, **said):
    url = (
        reverse("admin:articles_article_editing", args=[story.pk])
        if story is not None
        else reverse("admin:articles_article_editing_new")
    )
    return client.post(url, json.dumps(said), content_type="application/json")


def test_typing_is_kept_without_a_revision_and_offered_back(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    revisions = Revision.objects.filter(article=story).count()

    answer = report(desk, story, version=story.version, unsaved={"headline": "Ferries run again"})

    assert answer.status_code == 200
    assert answer.json()["kept"]
    assert Revision.objects.filter(article=story).count() == revisions
    assert Article.objects.get(pk=story.pk).headline == "Ferries resume"
    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert "that was not saved" in form.text
    restored = desk.get(reverse("admin:articles_article_change", args=[story.pk]) + "?restore=1")
    assert "Ferries run again" in restored.text
    assert "Your unsaved text is back in the form" in restored.text


def test_saving_the_story_forgets_the_kept_typing(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    report(desk, story, version=story.version, unsaved={"headline": "Ferries run again"})

    edit_story(story, editor, headline="Ferries run again")

    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert "that was not saved" not in form.text


def test_kept_typing_that_matches_the_story_is_not_offered(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    report(desk, story, version=story.version, unsaved={"headline": "Ferries resume"})

    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert "that was not saved" not in form.text


def test_a_new_story_s_typing_is_offered_back_on_the_add_form(desk, world):
    report(desk, None, unsaved={"headline": "Monsoon arrives early", "standfirst": "Kerala first."})

    form = desk.get(reverse("admin:articles_article_add"))
    restored = desk.get(reverse("admin:articles_article_add") + "?restore=1")

    assert "that was not saved" in form.text
    assert "Monsoon arrives early" in restored.text
    assert "Kerala first." in restored.text


def test_typing_put_back_keeps_the_version_it_was_typed_on(desk, editor, world):
    """A save made since is not overwritten: the put-back form claims the
    old version, so saving it is refused as a conflict."""
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    opened_at = story.version
    report(desk, story, version=opened_at, unsaved={"headline": "Mine"})
    edit_story(story, make_editor("vikram"), headline="Theirs")

    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))
    restored = desk.get(reverse("admin:articles_article_change", args=[story.pk]) + "?restore=1")

    assert "The story has been saved since" in form.text
    assert f'name="base_version" value="{opened_at}"' in restored.text


def test_the_form_is_told_who_else_has_the_story_open_and_who_saved_since(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    opened_at = story.version
    vikram = make_editor("vikram", first_name="Vikram", last_name="Anand")
    client = Client()
    client.force_login(vikram)
    report(client, story, version=opened_at)
    edit_story(story, vikram, headline="Ferries run again")

    answer = report(desk, story, version=opened_at).json()

    assert answer["others"] == ["Vikram Anand"]
    assert answer["newer"]["name"] == "Vikram Anand"
    assert answer["version"] > opened_at


def test_a_closed_or_silent_form_is_not_open(desk, editor, world):
    story = make_article(world, created_by=editor, status="draft")
    vikram = make_editor("vikram")
    client = Client()
    client.force_login(vikram)
    report(client, story, version=story.version)
    report(client, story, version=story.version, leaving=True)
    assert report(desk, story, version=story.version).json()["others"] == []

    long_ago = timezone.now() - sessions.OPEN_FOR - timedelta(seconds=1)
    sessions.editing_report(user=vikram, article=story, now=long_ago)
    assert report(desk, story, version=story.version).json()["others"] == []


def test_leaving_keeps_the_unsaved_typing(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    report(desk, story, version=story.version, unsaved={"headline": "Typed"})
    report(desk, story, version=story.version, leaving=True)

    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert "that was not saved" in form.text


def test_discarding_forgets_the_typing(desk, editor, world):
    story = make_article(world, headline="Ferries resume", created_by=editor, status="draft")
    report(desk, story, version=story.version, unsaved={"headline": "Typed"})
    report(desk, story, version=story.version, unsaved={})

    form = desk.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert "that was not saved" not in form.text


def test_a_reporter_keeps_no_typing_on_a_story_they_cannot_edit(reporter_desk, reporter, world):
    editors_draft = make_article(world, created_by=make_editor("vikram"), status="draft")
    own_in_review = make_article(world, created_by=reporter, status="in_review")

    for story in (editors_draft, own_in_review):
        answer = report(reporter_desk, story, version=story.version, unsaved={"headline": "Mine"})
        assert answer.status_code in (403, 404)
    assert not EditingSession.objects.filter(user=reporter).exists()
    with pytest.raises(PermissionDenied):
        sessions.editing_report(user=reporter, article=own_in_review, unsaved={"headline": "x"})


def test_a_reporter_s_read_only_story_has_no_autosave(reporter_desk, reporter, world):
    story = make_article(world, created_by=reporter, status="in_review")

    page = reporter_desk.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert "data-session-url" not in page.text


@pytest.mark.parametrize(
    "said",
    [
        {"unsaved": {"headline": 5}},
        {"unsaved": {"status": "published"}},
        {"unsaved": ["headline"]},
        {"unsaved": {"headline": "x" * 1000}},
        {"version": "3"},
        {"version": -1},
        {"version": 2**40},
    ],
)
def test_malformed_reports_are_refused_and_keep_nothing(desk, editor, world, said):
    story = make_article(world, created_by=editor, status="draft")

    answer = report(desk, story, **{"version": story.version, **said})

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert not EditingSession.objects.exclude(unsaved={}).exists()


def test_a_report_that_is_not_json_is_refused(desk, editor, world):
    story = make_article(world, created_by=editor, status="draft")
    url = reverse("admin:articles_article_editing", args=[story.pk])

    assert desk.post(url, "{not json", content_type="application/json").status_code == 400
    assert desk.get(url).status_code == 405


def test_kept_fields_are_only_typed_text():
    assert sessions.unsaved_problem({"headline": "x", "body": "<p>y</p>"}) == ""
    with pytest.raises(ValidationError):
        sessions.editing_report(user=make_reporter(), article=None, unsaved={"section": "3"})
    assert permissions.editing_refusal(make_reporter("other"), None) == ""


def test_the_story_form_shows_the_typing_put_back_in_the_form_fields(desk, editor, world):
    story = make_article(world, standfirst="Old words.", created_by=editor, status="draft")
    report(desk, story, version=story.version, unsaved={"standfirst": "New words, unsaved."})

    restored = desk.get(reverse("admin:articles_article_change", args=[story.pk]) + "?restore=1")

    assert form_data(restored.text)["standfirst"] == "New words, unsaved."
