"""Readers' pages cost a fixed number of queries, however many authors, tags
and links the stories carry: at most 8 for a story, 10 for a list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_article, make_author, make_image, make_link, make_section

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 8
LIST_BUDGET = 10


def rich_story(section, size: int, tag_prefix: str):
    """A story with `size` authors, tags and READ MORE links."""
    story = make_article(
        section,
        authors=[make_author() for _ in range(size)],
        tags=[f"{tag_prefix}-{n}" for n in range(size)],
        lead_image=make_image(),
        edited_by=make_author(),
    )
    for _ in range(size):
        make_link(story, target=make_article(section))
        make_link(story, url="https://example.org/x", title="Elsewhere")
    return story


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def world():
    return make_section("World", parent=make_section("News"))


def test_article_page_stays_within_budget_however_rich_the_story(client, world):
    small = rich_story(world, 1, "small")
    large = rich_story(world, 6, "large")
    small_count = count_queries(client, small.get_absolute_url())
    large_count = count_queries(client, large.get_absolute_url())
    assert small_count == large_count <= ARTICLE_BUDGET


@pytest.mark.parametrize("url", ["/", "/news/", "/news/world/", "/tag/shared/", "/author/asha/"])
def test_list_pages_stay_within_budget_however_many_stories(client, world, url):
    asha = make_author("Asha", slug="asha")
    sport = make_section("Sport")

    def add_stories(count):
        for _ in range(count):
            for section in (world, sport):
                story = rich_story(section, 3, f"t{section.pk}")
                story.tags.add("shared")
                story.bylines.create(author=asha, position=9)

    add_stories(1)
    few = count_queries(client, url)
    add_stories(4)
    many = count_queries(client, url)
    assert few == many <= LIST_BUDGET


def test_article_page_budget_holds_with_django_assert(client, world, django_assert_max_num_queries):
    story = rich_story(world, 4, "four")
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        client.get(story.get_absolute_url())
