"""Breaking news: an editor marks a live story as breaking until a time; a
banner on every page links to it until then, and goes at once when the
story is unpublished, the editor ends it, or the time passes."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from articles.services import live, workflow

from .factories import edit_story, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

BANNER = 'class="breaking"'


def banner_of(html: str) -> str:
    """The banner's text, or "" when the page has none."""
    if BANNER not in html:
        return ""
    return html.split(BANNER, 1)[1].split("</aside>", 1)[0]


@pytest.fixture
def quake(world):
    return make_article(
        world, headline="Earthquake shakes the capital", authors=[make_author()], tags=["Quake"]
    )


def test_a_story_marked_as_breaking_is_on_every_page(reader, world, quake, editor):
    other = make_article(world, headline="Markets close higher", tags=["Markets"])
    edit_story(quake, editor, breaking_until=timezone.now() + timedelta(hours=2))
    for path in (
        "/",
        "/news/",
        "/news/world/",
        other.get_absolute_url(),
        "/tag/markets/",
        "/no-such-page/",
    ):
        shown = banner_of(reader.get(path).text)
        assert "Earthquake shakes the capital" in shown, path
        assert f'href="{quake.get_absolute_url()}"' in shown, path


def test_marking_and_ending_show_at_once_on_cached_pages(reader, world, quake, editor):
    other = make_article(world, headline="Markets close higher")
    assert banner_of(reader.get(other.get_absolute_url()).text) == ""
    assert reader.get(other.get_absolute_url()).cached
    edit_story(quake, editor, breaking_until=timezone.now() + timedelta(hours=2))
    assert "Earthquake" in banner_of(reader.get(other.get_absolute_url()).text)
    assert reader.get(other.get_absolute_url()).cached
    quake.refresh_from_db()
    edit_story(quake, editor, breaking_until=None)
    assert banner_of(reader.get(other.get_absolute_url()).text) == ""


def test_an_unpublished_breaking_story_leaves_the_banner_at_once(reader, world, quake, editor):
    edit_story(quake, editor, breaking_until=timezone.now() + timedelta(hours=2))
    assert "Earthquake" in banner_of(reader.get("/").text)
    assert reader.get("/").cached
    quake.refresh_from_db()
    workflow.article_unpublish(article=quake, user=editor)
    assert banner_of(reader.get("/").text) == ""


def test_the_banner_goes_when_its_time_passes(reader, quake, editor):
    until = timezone.now() + timedelta(seconds=2)
    edit_story(quake, editor, breaking_until=until)
    page = reader.get("/")
    assert "Earthquake" in banner_of(page.text)
    kept = int(page.headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 <= kept <= 2
    time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 0.1)
    assert banner_of(reader.get("/").text) == ""


def test_a_scheduled_breaking_story_shows_only_once_it_is_live(reader, world, editor):
    draft = make_article(
        world, headline="Verdict due at noon", status=Article.Status.DRAFT, authors=[make_author()]
    )
    edit_story(draft, editor, breaking_until=timezone.now() + timedelta(hours=3))
    going_live = timezone.now() + timedelta(seconds=2)
    draft.refresh_from_db()
    workflow.article_publish(article=draft, user=editor, at=going_live)
    assert banner_of(reader.get("/").text) == ""
    time.sleep(max(0.0, (going_live - timezone.now()).total_seconds()) + 0.1)
    assert "Verdict due at noon" in banner_of(reader.get("/").text)


def test_the_newest_breaking_story_has_the_banner(client, world, quake, editor):
    edit_story(quake, editor, breaking_until=timezone.now() + timedelta(hours=2))
    later = make_article(
        world, headline="Aftershock reported", published_at=timezone.now(), authors=[make_author()]
    )
    edit_story(later, editor, breaking_until=timezone.now() + timedelta(hours=2))
    assert "Aftershock reported" in banner_of(client.get("/").content.decode())


def test_a_headline_is_escaped_in_the_banner(client, world, editor):
    story = make_article(
        world, headline="Sirens <script>alert(1)</script> sound", authors=[make_author()]
    )
    edit_story(story, editor, breaking_until=timezone.now() + timedelta(hours=1))
    shown = banner_of(client.get("/").content.decode())
    assert "&lt;script&gt;" in shown and "<script>" not in shown


def test_a_reporter_cannot_mark_breaking_news_by_the_service_or_the_form(
    world, reporter, reporter_desk
):
    own = make_article(world, headline="My scoop", status=Article.Status.DRAFT, created_by=reporter)
    with pytest.raises(PermissionDenied):
        edit_story(own, reporter, breaking_until=timezone.now() + timedelta(hours=1))
    form = reporter_desk.get(f"/admin/articles/article/{own.pk}/change/").content.decode()
    assert 'name="breaking_until_0"' not in form
    own.refresh_from_db()
    assert own.breaking_until is None


def test_an_editor_marks_breaking_news_on_the_story_form(desk, client, quake):
    form = desk.get(f"/admin/articles/article/{quake.pk}/change/").content.decode()
    assert 'name="breaking_until_0"' in form
    assert "Breaking news until" in form


def test_a_live_entry_on_the_breaking_story_keeps_every_other_page(reader, quake, editor):
    other = make_article(make_section("Business"), headline="Markets close higher")
    edit_story(quake, editor, breaking_until=timezone.now() + timedelta(hours=2), is_live=True)
    reader.get(other.get_absolute_url())
    assert reader.get(other.get_absolute_url()).cached
    quake.refresh_from_db()
    live.live_entry_post(
        article=quake, user=editor, text=live.EntryText(body="<p>Aftershocks felt.</p>")
    )
    # The banner shows the same story the same way: the other page stays.
    assert reader.get(other.get_absolute_url()).cached
    assert "Aftershocks felt" in reader.get(quake.get_absolute_url()).text
