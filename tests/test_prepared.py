"""Reader pages' queries are built once per process and run with new values
each time: they must answer exactly as the queryset they were built from."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.prepared import Prepared
from articles.querysets import STORY_PAGE, STORY_PAGE_MORE
from articles.rendering import story_unpacked

from .factories import make_article, make_author, make_link, make_section

pytestmark = pytest.mark.django_db


def headlines(stories) -> list[str]:
    return [story.headline for story in stories]


def test_a_prepared_query_answers_each_value_as_the_orm_does(world):
    early, late = (make_article(world, headline=f"{name} story") for name in ("Early", "Late"))
    now = timezone.now()
    for story in (early, late):
        found = STORY_PAGE.first(pk=story.pk, now=now)
        assert found.headline == story.headline
        assert found.section.path == "news/world"
    assert STORY_PAGE.first(pk=early.pk + late.pk + 1000, now=now) is None


def test_the_moment_asked_about_decides_what_is_live(world):
    soon = timezone.now() + timedelta(hours=1)
    scheduled = make_article(world, headline="Scheduled story", published_at=soon)
    assert STORY_PAGE.first(pk=scheduled.pk, now=timezone.now()) is None
    assert STORY_PAGE.first(pk=scheduled.pk, now=soon + timedelta(seconds=1)) is not None


def test_the_story_page_query_brings_bylines_tags_and_links_of_that_story(world):
    asha, ravi = make_author("Asha Rao"), make_author("Ravi Menon")
    target = make_article(world, headline="The story linked to")
    story = make_article(world, authors=[ravi, asha], tags=["floods", "monsoon"])
    make_link(story, target=target)
    make_link(story, url="https://example.org/report", title="The report")
    make_article(world, authors=[asha], tags=["elections"])

    found = story_unpacked(STORY_PAGE.first(pk=story.pk, now=timezone.now()))
    assert [byline.author.name for byline in found.bylines.all()] == ["Ravi Menon", "Asha Rao"]
    assert sorted(tag.name for tag in found.tags.all()) == ["floods", "monsoon"]
    assert [link.display_title for link in found.related_links.all()] == [
        "The story linked to",
        "The report",
    ]
    assert found.related_links.all()[0].href == target.get_absolute_url()


def test_fetched_rows_asked_for_more_ask_for_that_storys_own(world, django_assert_num_queries):
    asha, ravi = make_author("Asha Rao"), make_author("Ravi Menon")
    story = make_article(world, authors=[ravi, asha], tags=["floods", "monsoon"])
    make_article(world, authors=[make_author("Dev Sen")], tags=["elections"])
    found = STORY_PAGE.first(pk=story.pk, now=timezone.now())
    with django_assert_num_queries(0):
        assert found.bylines.all()[1].article is found
        assert found.bylines.all()[1].author.name == "Asha Rao"
    # A filter or an order past the fetched rows goes to the database, for
    # this story's rows only.
    names = found.bylines.order_by("-author__name").values_list("author__name", flat=True)
    assert list(names) == ["Ravi Menon", "Asha Rao"]
    assert sorted(found.tags.values_list("name", flat=True)) == ["floods", "monsoon"]


def test_an_author_in_several_bylines_of_a_list_is_made_once(world):
    asha = make_author("Asha Rao")
    for headline in ("One", "Two"):
        make_article(world, headline=headline, authors=[asha])
    stories = list(Article.objects.filter(section=world).for_listing())
    first, second = (story.byline_authors[0] for story in stories)
    assert first is second and first.name == "Asha Rao"


def test_a_list_brings_each_storys_authors_in_byline_order(world, django_assert_num_queries):
    asha, ravi, dev = (make_author(name) for name in ("Asha Rao", "Ravi Menon", "Dev Sen"))
    make_article(world, headline="Three", authors=[ravi, dev, asha])
    make_article(world, headline="None", authors=[])
    with django_assert_num_queries(1):
        stories = {story.headline: story for story in Article.objects.for_listing()}
        assert [author.name for author in stories["Three"].byline_authors] == [
            "Ravi Menon",
            "Dev Sen",
            "Asha Rao",
        ]
        assert stories["None"].byline_authors == []
    # A story read on its own takes them from its bylines, in the same order.
    alone = Article.objects.get(headline="Three")
    assert alone.byline_authors == [ravi, dev, asha]


def test_a_section_path_is_matched_as_written_not_as_a_pattern():
    """An underscore in a LIKE pattern matches any character: a section
    `a_b` must not take in the stories of `axb`'s subsections."""
    underscored = make_section("Underscored", slug="a_b")
    lookalike = make_section("Child", parent=make_section("Lookalike", slug="axb"))
    story = make_article(underscored, headline="In a_b")
    make_article(underscored, headline="Also in a_b")
    make_article(lookalike, headline="In axb/child")
    more = STORY_PAGE_MORE.all(section_path="a_b", pk=story.pk, now=timezone.now())
    assert headlines(more) == ["Also in a_b"]


def test_more_from_the_section_takes_in_its_subsections_newest_first(world):
    story = make_article(world, headline="The story read")
    older = make_article(world, headline="Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(make_section("Asia", parent=world), headline="Newer from a subsection")
    make_article(make_section("Sport"), headline="Elsewhere")
    more = STORY_PAGE_MORE.all(section_path=world.path, pk=story.pk, now=timezone.now())
    assert headlines(more) == [newer.headline, older.headline]


def test_values_of_the_wrong_kind_are_refused():
    with pytest.raises(TypeError, match="pk must be a int"):
        STORY_PAGE.first(pk="12", now=timezone.now())
    with pytest.raises(TypeError, match="takes now, pk"):
        STORY_PAGE.first(pk=12)


def test_a_value_written_into_the_sql_text_is_refused():
    prepared = Prepared(
        lambda floor: Article.objects.filter(pk__gt=RawSQL(str(floor), [])), floor=int
    )
    with pytest.raises(ValueError, match="Not parameters of the prepared SQL: floor"):
        prepared.all(floor=3)


def test_the_bounds_of_a_slice_are_values_too(world):
    for number in range(5):
        make_article(
            world, headline=f"Story {number}", published_at=timezone.now() - timedelta(hours=number)
        )
    prepared = Prepared(
        lambda offset, limit: Article.objects.newest_first()[offset : offset + limit],
        offset=int,
        limit=int,
    )
    assert headlines(prepared.all(offset=0, limit=2)) == ["Story 0", "Story 1"]
    assert headlines(prepared.all(offset=3, limit=5)) == ["Story 3", "Story 4"]


def test_prepared_queries_cannot_prefetch():
    prepared = Prepared(
        lambda now: Article.objects.visible(now).prefetch_related("tags"), now=datetime
    )
    with pytest.raises(ValueError, match="cannot prefetch"):
        prepared.all(now=timezone.now())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_query_prepared_in_one_thread_runs_on_each_threads_own_connection():
    """`make run` serves with threads: each must use its own connection."""
    story = make_article(make_section("Threads"), headline="Read from two threads")
    now = timezone.now()
    assert STORY_PAGE.first(pk=story.pk, now=now).headline == story.headline
    found = []

    def read():
        try:
            found.append(STORY_PAGE.first(pk=story.pk, now=now).headline)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert found == [story.headline]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_plans_a_story_pages_query_once_per_connection(world, client):
    """Planning the story page's query costs the server three times running
    it: after a few readings the connection keeps it prepared."""
    story = make_article(world, authors=[make_author()], tags=["floods"])
    for _ in range(6):
        assert client.get(story.get_absolute_url()).status_code == 200
    # A search, whose best plan depends on its words, is planned each time.
    for _ in range(6):
        assert client.get("/search/", {"q": "floods"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"articles_byline"' in sql and '"articles_article"' in sql for sql in prepared)
    assert not any("websearch_to_tsquery" in sql for sql in prepared)
