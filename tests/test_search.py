"""Readers' search: live stories only, found by their words wherever they
are, best match first, bounded in cost whatever is typed, on SQLite (FTS5)
and PostgreSQL (full-text search) alike."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles import querysets
from articles.models import Article
from articles.search import MARK_START, MARK_STOP, SearchTerms, highlight
from articles.services.tags import tag_rename
from articles.services.workflow import article_delete, article_unpublish

from .factories import edit_story, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SEARCH_BUDGET = 10


def found(client, q: str, **filters) -> list[str]:
    response = client.get("/search/", {"q": q, **filters})
    assert response.status_code == 200
    return [story.headline for story in response.context["page"].object_list]


def test_finds_a_story_by_headline_standfirst_body_and_tag(client, world):
    make_article(world, headline="Monsoon reaches Kerala early")
    make_article(world, standfirst="Farmers welcome the rainfall forecast.", headline="Standfirst")
    make_article(world, body="<p>The <b>reservoir</b> levels rose.</p>", headline="Body")
    make_article(world, tags=["Cyclone Remal"], headline="Tagged")
    assert found(client, "monsoon") == ["Monsoon reaches Kerala early"]
    assert found(client, "rainfall") == ["Standfirst"]
    assert found(client, "reservoir") == ["Body"]
    assert found(client, "remal") == ["Tagged"]


def test_words_are_stemmed_and_all_required(client, world):
    make_article(world, headline="Council votes on the budget")
    make_article(world, headline="Council meets")
    assert found(client, "vote budget") == ["Council votes on the budget"]


def test_body_paragraphs_do_not_run_together(client, world):
    make_article(world, body="<p>It ended</p><p>quietly.</p>", headline="Two paragraphs")
    assert found(client, "quietly") == ["Two paragraphs"]
    assert found(client, "endedquietly") == []


def test_a_headline_match_ranks_above_a_body_only_match(client, world):
    older_headline = timezone.now() - timedelta(days=3)
    make_article(world, headline="Budget debate", published_at=older_headline)
    make_article(world, body="<p>Nothing about the budget here but this word.</p>", headline="New")
    assert found(client, "budget") == ["Budget debate", "New"]


def test_a_word_in_many_stories_ranks_only_the_newest_of_them(client, world, monkeypatch):
    monkeypatch.setattr(querysets, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    # The best match is the oldest: past the bound, it is left out.
    make_article(world, headline="Budget budget budget", published_at=now - timedelta(days=9))
    for days in range(1, 5):
        make_article(
            world,
            headline=f"Story {days}",
            body="<p>A word about the budget.</p>",
            published_at=now - timedelta(days=days),
        )

    assert found(client, "budget") == ["Story 1", "Story 2", "Story 3"]


def test_stories_readers_cannot_see_are_never_found(client, world):
    now = timezone.now()
    make_article(world, headline="Secret draft", status=Article.Status.DRAFT)
    make_article(world, headline="Secret scheduled", published_at=now + timedelta(hours=1))
    make_article(
        world,
        headline="Secret expired",
        published_at=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    )
    make_article(world, headline="Secret unpublished", status=Article.Status.UNPUBLISHED)
    make_article(world, headline="Secret live")
    assert found(client, "secret") == ["Secret live"]


def test_a_story_found_while_live_disappears_when_unpublished(client, world, editor):
    story = make_article(world, headline="Bridge reopens")
    assert found(client, "bridge") == ["Bridge reopens"]
    article_unpublish(article=story, user=editor)
    assert found(client, "bridge") == []


def test_a_deleted_story_leaves_the_index(client, world, editor):
    story = make_article(world, headline="Bridge reopens")
    article_delete(article=story, user=editor)
    make_article(world, headline="Something else")
    assert found(client, "bridge") == []


def test_an_edit_from_the_desk_is_searchable_at_once(client, world, editor):
    story = make_article(world, headline="Bridge reopens", authors=[make_author()])
    saved = edit_story(story, editor, headline="Flyover reopens", body="<p>Traffic eases.</p>")
    assert not saved.refused
    assert found(client, "flyover") == ["Flyover reopens"]
    assert found(client, "traffic") == ["Flyover reopens"]
    assert found(client, "bridge") == []


def test_a_renamed_tag_reaches_search(client, world, editor):
    make_article(world, tags=["Cyclone Remal"], headline="Tagged")
    tag_rename(tag=Tag.objects.get(name="Cyclone Remal"), name="Cyclone Dana", user=editor)
    assert found(client, "dana") == ["Tagged"]
    assert found(client, "remal") == []


def test_reindex_rebuilds_the_index(client, world):
    story = make_article(world, headline="Bridge reopens")
    Article.objects.filter(pk=story.pk).update(headline="Flyover reopens")
    call_command("search_reindex", verbosity=0)
    assert found(client, "flyover") == ["Flyover reopens"]
    assert found(client, "bridge") == []


def test_section_filter_takes_in_subsections(client, world):
    sport = make_section("Sport")
    make_article(world, headline="Election in the world")
    make_article(world.parent, headline="Election at home")
    make_article(sport, headline="Election of the captain")
    assert set(found(client, "election", section="news")) == {
        "Election in the world",
        "Election at home",
    }
    assert found(client, "election", section="news/world") == ["Election in the world"]


def test_date_filters(client, world):
    now = timezone.localtime()
    make_article(world, headline="Flood old", published_at=now - timedelta(days=10))
    make_article(world, headline="Flood new", published_at=now - timedelta(hours=1))
    week_ago = (now - timedelta(days=7)).date().isoformat()
    assert found(client, "flood", published_from=week_ago) == ["Flood new"]
    assert found(client, "flood", published_to=week_ago) == ["Flood old"]


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45", "2024-01-01\x00", "9" * 5000])
def test_a_date_that_does_not_parse_is_left_out_with_a_notice(client, world, value):
    make_article(world, headline="Flood news")
    response = client.get("/search/", {"q": "flood", "published_from": value, "section": "nope"})
    assert response.status_code == 200
    assert [s.headline for s in response.context["page"].object_list] == ["Flood news"]
    assert "Published from: that is not one we know" in response.text
    assert "Section: that is not one we know" in response.text
    assert value not in response.text and "aria-invalid" not in response.text


def test_snippets_highlight_matches_and_escape_the_story(client, world):
    make_article(
        world,
        standfirst="Why <script>alert(1)</script> matters.",
        body="<p>The harbour &amp; <i>the</i> &lt;script&gt;alert(1)&lt;/script&gt; docks.</p>",
    )
    response = client.get("/search/", {"q": "harbour"})
    html = response.text
    assert "<mark>harbour</mark>" in html
    assert "<script>alert" not in html
    assert "&amp; the &lt;script&gt;alert(1)&lt;/script&gt; docks" in html


def test_the_snippet_comes_from_the_standfirst_or_body_not_the_headline(client, world):
    make_article(
        world, headline="Harbour reopens", standfirst="Ships return.", body="<p>Cheers.</p>"
    )
    response = client.get("/search/", {"q": "harbour"})
    [story] = response.context["page"].object_list
    assert story.search_snippet
    assert "Harbour" not in story.search_snippet


def test_highlight_keeps_markup_balanced_whatever_the_markers():
    text = f"{MARK_STOP}a {MARK_START}b{MARK_START} <i>{MARK_STOP}{MARK_STOP} c {MARK_START}"
    assert highlight(text) == "a <mark>b &lt;i&gt;</mark> c <mark></mark>"


def test_results_are_paginated_keeping_the_query(client, world, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    for number in range(5):
        make_article(world, headline=f"Harvest report {number}")
    first = client.get("/search/", {"q": "harvest", "section": "news"})
    assert len(first.context["page"].object_list) == 2
    assert 'href="?q=harvest&amp;section=news&amp;page=2"' in first.text
    third = client.get("/search/", {"q": "harvest", "section": "news", "page": "3"})
    assert len(third.context["page"].object_list) == 1
    assert not third.context["page"].has_next
    assert client.get("/search/", {"q": "harvest", "page": "9"}).status_code == 404
    assert client.get("/search/", {"q": "harvest", "page": "x"}).status_code == 404


ODD_INPUT = [
    "",
    "   ",
    '"',
    '""""',
    "*",
    "NEAR(",
    "AND OR NOT",
    "headline: budget",
    "budget*",
    "-budget",
    "% _ %%",
    "'; DROP TABLE articles_article; --",
    "\x00budget\x00",
    "\ue000budget\ue001",
    "🔥🔥 budget 🎉",
    "🔥",
    "बजट संसद में पेश",
    "ÉLECTION Ünïcödé",
    "a" * 10_000,
    "budget " * 2_000,
    "(((((",
    "^budget",
    "{col}: budget",
]


@pytest.mark.parametrize("q", ODD_INPUT)
def test_odd_and_huge_input_gets_a_page(client, world, q):
    make_article(world, headline="Budget for the year", tags=["बजट"])
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.text.count("<h1>") == 1
    terms = response.context["terms"]
    assert len(terms.text) <= 200 and len(terms.words) <= 12
    if not terms.has_words:
        assert "Type a word or two" in response.text


def test_hindi_finds_a_hindi_tag(client, world):
    make_article(world, headline="Budget for the year", tags=["बजट"])
    assert found(client, "बजट") == ["Budget for the year"]


def test_emoji_next_to_words_still_finds(client, world):
    make_article(world, headline="Budget for the year")
    assert found(client, "🔥 budget") == ["Budget for the year"]


def test_terms_are_bounded():
    terms = SearchTerms.parse("word " * 100 + "x" * 1000)
    assert len(terms.words) == 12
    assert SearchTerms.parse("x" * 10_000).text == "x" * 200
    assert SearchTerms.parse("a\x00b").text == "ab"
    assert SearchTerms.parse('say "NEAR(" AND *').fts5_match() == '"say" "NEAR(" "AND"'
    assert SearchTerms.parse("budget -tax -").fts5_match() == '"budget" NOT "tax"'
    assert not SearchTerms.parse("-budget -tax").has_words


def test_a_minus_leaves_stories_out(client, world):
    make_article(world, headline="Budget raises tax")
    make_article(world, headline="Budget for schools")
    assert found(client, "budget -tax") == ["Budget for schools"]


def test_the_search_page_is_not_indexed_and_has_a_labelled_form(client):
    response = client.get("/search/")
    html = response.text
    assert '<meta name="robots" content="noindex">' in html
    assert "<title>Search |" in html
    assert 'role="search"' in html
    assert '<label for="id_q">' in html
    assert "Type a word or two" in html


def test_every_page_has_a_search_box(client, world):
    story = make_article(world)
    for path in ("/", "/news/", story.get_absolute_url()):
        html = client.get(path).text
        assert 'action="/search/"' in html
        assert 'aria-label="Search stories"' in html


def test_search_page_costs_few_queries_however_many_results(
    client, world, django_assert_max_num_queries
):
    for number in range(25):
        make_article(
            world,
            headline=f"Harvest report {number}",
            authors=[make_author(), make_author()],
            tags=[f"crop {number}", "harvest"],
        )
    with django_assert_max_num_queries(SEARCH_BUDGET):
        response = client.get("/search/", {"q": "harvest", "section": "news"})
    assert len(response.context["page"].object_list) == 20


def test_generated_stories_are_searchable(client, world):
    call_command("generate_stories", count=3, verbosity=0)
    story = Article.objects.order_by("pk").last()
    assert story is not None
    assert story.headline in found(client, story.headline)


def test_demo_stories_are_searchable(client):
    call_command("load_demo", renditions=False, verbosity=0)
    story = Article.objects.visible().order_by("pk").first()
    assert story is not None
    assert story.headline in found(client, story.headline)


def test_pages_never_fetch_the_search_index(client, world):
    story = make_article(world, tags=["floods"], authors=[make_author("Asha Rao")])

    for url in ("/", "/news/world/", story.get_absolute_url(), "/tag/floods/", "/feeds/rss.xml"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries.captured_queries if "search_vector" in q["sql"]], url
