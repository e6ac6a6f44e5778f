"""Readers' pages cost a fixed number of queries, however many authors, tags
and links the stories carry. The budget is 8 for a story and 10 for a list;
the counts are pinned exactly so that any new query is a decision."""

import pytest

from articles.models import Correction

from .factories import (
    body_figure,
    make_article,
    make_author,
    make_image,
    make_link,
    make_section,
)

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 8
LIST_BUDGET = 10
# Sections, ad slots and the time of the next scheduled change come from the
# cache once a page has been served since the desk last changed them: three
# queries more when it is cold.
SITEWIDE_QUERIES = 3
# the story with its bylines, tags, READ MORE links, corrections and body
# pictures + more from this section
ARTICLE_QUERIES = 2
# Each list of stories brings its bylines in the same query: top stories +
# latest per section (home); the page of stories (sections); tag and author
# pages first look up the tag or author
LIST_QUERIES = {"/": 2, "/news/": 1, "/news/world/": 1, "/tag/shared/": 2, "/author/asha/": 2}


def rich_story(section, size: int, tag_prefix: str):
    """A story with `size` authors, tags, READ MORE links, corrections and
    pictures in its body."""
    pictures = "".join(body_figure(make_image(), caption="In the body") for _ in range(size))
    story = make_article(
        section,
        body=f"<p>Before the pictures.</p>{pictures}<p>After them.</p>",
        authors=[make_author() for _ in range(size)],
        tags=[f"{tag_prefix}-{n}" for n in range(size)],
        lead_image=make_image(),
        edited_by=make_author(),
    )
    for _ in range(size):
        make_link(story, target=make_article(section))
        make_link(story, url="https://example.org/x", title="Elsewhere")
        Correction.objects.create(article=story, text="An earlier version misspelt a name.")
    return story


def test_article_page_costs_the_same_queries_however_rich_the_story(
    client, world, django_assert_num_queries, cold_start
):
    assert ARTICLE_QUERIES + SITEWIDE_QUERIES <= ARTICLE_BUDGET
    for size in (1, 6):
        story = rich_story(world, size, f"size{size}")
        cold_start()
        with django_assert_num_queries(ARTICLE_QUERIES + SITEWIDE_QUERIES):
            page = client.get(story.get_absolute_url())
        assert page.content.decode().count('class="body-picture"') == size
        with django_assert_num_queries(ARTICLE_QUERIES):
            assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", LIST_QUERIES)
def test_list_pages_cost_the_same_queries_however_many_stories(
    client, world, url, django_assert_num_queries, cold_start
):
    assert LIST_QUERIES[url] + SITEWIDE_QUERIES <= LIST_BUDGET
    asha = make_author("Asha", slug="asha")
    sport = make_section("Sport")
    for count in (1, 4):
        for _ in range(count):
            for section in (world, sport):
                story = rich_story(section, 3, f"t{section.pk}")
                story.tags.add("shared")
                story.bylines.create(author=asha, position=9)
        cold_start()
        with django_assert_num_queries(LIST_QUERIES[url] + SITEWIDE_QUERIES):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(LIST_QUERIES[url]):
            assert client.get(url).status_code == 200
