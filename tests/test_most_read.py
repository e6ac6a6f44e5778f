"""Most read: reads counted without a database write per read and without
anything about the reader, written in batches, and shown as the last 24
hours' most read stories, site-wide and per section."""

import re
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from articles import readership
from articles.models import Article, ReadTally
from articles.services import workflow

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


def most_read_on(html: str) -> list[str]:
    """The headlines of the page's most-read list, in its order."""
    if 'class="most-read"' not in html:
        return []
    listed = html.split('class="most-read"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", listed)


def read(client, story, times=1):
    for _ in range(times):
        answer = client.post(f"/read/{story.pk}/")
        assert answer.status_code == 204


def test_the_most_read_stories_of_the_day_lead_the_list_on_the_front_page(client, world):
    quiet = make_article(world, headline="A quiet story")
    popular = make_article(world, headline="The story everyone reads")
    middling = make_article(world, headline="A story some read")
    read(client, popular, 5)
    read(client, middling, 2)
    read(client, quiet, 1)
    readership.reads_flush()
    assert most_read_on(client.get("/").content.decode()) == [
        "The story everyone reads",
        "A story some read",
        "A quiet story",
    ]


def test_a_read_costs_no_query_until_the_batch_is_written(client, world, django_assert_num_queries):
    story = make_article(world)
    # The first read of a quiet moment writes what was gathered.
    read(client, story)
    with django_assert_num_queries(0):
        read(client, story, 20)
    assert readership.reads_flush() == 20
    assert ReadTally.objects.get(article=story).reads == 21


def test_a_read_sends_and_keeps_nothing_about_the_reader(client, world):
    story = make_article(world)
    answer = client.post(f"/read/{story.pk}/")
    assert answer.status_code == 204
    assert "Set-Cookie" not in answer.headers and not answer.cookies
    assert "Cookie" not in answer.headers.get("Vary", "")
    assert answer.headers["Cache-Control"] == "no-store"
    readership.reads_flush()
    assert list(ReadTally.objects.values_list("article", "reads")) == [(story.pk, 1)]
    # Only counts are kept: the story, the hour and how many.
    assert {f.name for f in ReadTally._meta.get_fields()} == {"id", "article", "hour", "reads"}


def test_only_the_last_24_hours_count(client, world):
    yesterday = make_article(world, headline="Read a lot the day before")
    today = make_article(world, headline="Read today")
    ReadTally.objects.create(
        article=yesterday, hour=timezone.now() - timedelta(hours=25), reads=500
    )
    read(client, today)
    readership.reads_flush()
    assert most_read_on(client.get("/").content.decode()) == ["Read today"]


def test_each_section_has_its_own_most_read(client, world):
    sport = make_section("Sport")
    match = make_article(sport, headline="Final goes to extra time")
    summit = make_article(world, headline="Summit ends with a statement")
    read(client, match, 3)
    read(client, summit, 1)
    readership.reads_flush()
    assert most_read_on(client.get("/sport/").content.decode()) == ["Final goes to extra time"]
    assert most_read_on(client.get("/news/").content.decode()) == ["Summit ends with a statement"]
    # Beside a story: the most read of its top section.
    beside = client.get(summit.get_absolute_url()).content.decode()
    assert "Most read in News" in beside
    assert most_read_on(beside) == ["Summit ends with a statement"]


def test_a_story_taken_down_leaves_the_list_at_once_even_from_the_page_cache(
    reader, client, world, editor
):
    gone = make_article(world, headline="Story to be withdrawn")
    stays = make_article(world, headline="Story that stays")
    read(client, gone, 3)
    read(client, stays, 1)
    readership.reads_flush()
    assert most_read_on(reader.get("/").text) == ["Story to be withdrawn", "Story that stays"]
    assert reader.get("/").cached
    workflow.article_unpublish(article=gone, user=editor)
    assert most_read_on(reader.get("/").text) == ["Story that stays"]


def test_pages_with_the_list_are_kept_no_longer_than_it_is(reader, world):
    story = make_article(world)
    for path in ("/", "/news/", story.get_absolute_url()):
        control = reader.get(path).headers["Cache-Control"]
        kept = int(control.split("s-maxage=")[1].split(",")[0])
        assert 0 < kept <= readership.LIST_SECONDS, path


@pytest.mark.parametrize("address", ["/read/0/", "/read/99999999/", "/read/9223372036854775808/"])
def test_reads_of_no_story_are_dropped(client, world, address):
    make_article(world)
    assert client.post(address).status_code in (204, 404)
    readership.reads_flush()
    assert not ReadTally.objects.exists()


def test_reads_sent_from_another_site_or_of_a_draft_are_not_counted(client, world):
    story = make_article(world)
    draft = make_article(world, status=Article.Status.DRAFT)
    assert client.post(f"/read/{story.pk}/", HTTP_SEC_FETCH_SITE="cross-site").status_code == 204
    read(client, draft, 3)
    readership.reads_flush()
    assert not ReadTally.objects.exists()


def test_reading_is_counted_by_post_only(client, world):
    story = make_article(world)
    assert client.get(f"/read/{story.pk}/").status_code == 405
    readership.reads_flush()
    assert not ReadTally.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_opening_a_story_in_a_browser_is_counted(browser, live_server, world):
    story = make_article(world, headline="Opened in a real browser")
    page = browser.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")
    readership.reads_flush()
    assert ReadTally.objects.get(article=story).reads == 1
    page.close()


def test_reads_the_database_could_not_take_wait_for_the_next_turn(client, world, monkeypatch):
    story = make_article(world)
    read(client, story, 3)
    readership.reads_flush()
    read(client, story, 4)

    def busy(rows):
        raise OperationalError("database is locked")

    monkeypatch.setattr(readership, "_tallies_add", busy)
    with pytest.raises(OperationalError):
        readership.reads_flush()
    monkeypatch.undo()
    assert readership.reads_flush() == 4
    assert ReadTally.objects.get(article=story).reads == 7
