"""Readers' pages cost a fixed number of queries, however many authors, tags
and links the stories carry. The budget is 8 for a story and 10 for a list;
the counts are pinned exactly so that any new query is a decision."""

import pytest

from articles import readership
from articles.models import Correction
from articles.services.fronts import Placing, front_arrange

from .factories import (
    body_figure,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_link,
    make_section,
)

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 8
LIST_BUDGET = 10
# Sections, ad slots, the time of the next scheduled change and the
# breaking-news banner come from the cache once a page has been served since
# the desk last changed them: four queries more when it is cold.
SITEWIDE_QUERIES = 4
# The most-read list on fronts and beside a story comes from the cache for
# minutes at a time, and a story's related stories are kept in each process
# until a story changes: one query more each when they are cold.
MOST_READ_QUERIES = 1
RELATED_QUERIES = 1
# the story with its bylines (and their authors' box), tags, READ MORE links,
# corrections, body pictures and live entries + more from this section
ARTICLE_QUERIES = 2
# Each list of stories brings its bylines in the same query: the stories the
# desk placed on the front with top stories + latest per section (home); the
# stories placed on the section's front + the page of stories (sections); tag
# and author pages first look up the tag or author
LIST_QUERIES = {"/": 2, "/news/": 2, "/news/world/": 2, "/tag/shared/": 2, "/author/asha/": 2}
# Pages with a most-read list.
FRONTS = ("/", "/news/", "/news/world/")


def rich_story(section, size: int, tag_prefix: str):
    """A story with `size` authors, tags, READ MORE links, corrections and
    pictures in its body."""
    pictures = "".join(body_figure(make_image(), caption="In the body") for _ in range(size))
    story = make_article(
        section,
        body=f"<p>Before the pictures.</p>{pictures}<p>After them.</p>",
        authors=[make_author(photo=make_image(), bio="Reports on cities.") for _ in range(size)],
        tags=[f"{tag_prefix}-{n}" for n in range(size)],
        lead_image=make_image(),
        edited_by=make_author(),
    )
    # Read, so that the most-read lists hold it.
    readership.story_read(story.pk)
    readership.reads_flush()
    for _ in range(size):
        make_link(story, target=make_article(section))
        make_link(story, url="https://example.org/x", title="Elsewhere")
        Correction.objects.create(article=story, text="An earlier version misspelt a name.")
    return story


def test_article_page_costs_the_same_queries_however_rich_the_story(
    client, world, django_assert_num_queries, cold_start
):
    cold = ARTICLE_QUERIES + SITEWIDE_QUERIES + MOST_READ_QUERIES + RELATED_QUERIES
    assert cold <= ARTICLE_BUDGET
    elsewhere = make_section("Elsewhere")
    for size in (1, 6):
        story = rich_story(world, size, f"size{size}")
        # Related by tags to as many stories in another section.
        story.tags.add("common")
        for _ in range(size):
            make_article(elsewhere, tags=["common"], lead_image=make_image())
        cold_start()
        with django_assert_num_queries(cold):
            page = client.get(story.get_absolute_url())
        html = page.content.decode()
        assert html.count('class="body-picture"') == size
        assert html.count('class="author-card"') == size
        assert html.count('class="author-card-photo"') == size
        assert 'class="most-read"' in html
        assert html.count('class="related-section"') == min(size, 4)
        with django_assert_num_queries(ARTICLE_QUERIES):
            assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", LIST_QUERIES)
def test_list_pages_cost_the_same_queries_however_many_stories(
    client, world, url, django_assert_num_queries, cold_start
):
    cold = LIST_QUERIES[url] + SITEWIDE_QUERIES + (MOST_READ_QUERIES if url in FRONTS else 0)
    assert cold <= LIST_BUDGET
    asha = make_author("Asha", slug="asha")
    sport = make_section("Sport")
    editor = make_editor()
    for count in (1, 4):
        placed = []
        for _ in range(count):
            for section in (world, sport):
                story = rich_story(section, 3, f"t{section.pk}")
                story.tags.add("shared")
                story.bylines.create(author=asha, position=9)
                if section == world:
                    placed.append(story)
        # As many stories placed on the fronts as were written.
        for front in (None, world.parent, world):
            front_arrange(section=front, placings=[Placing(s) for s in placed], user=editor)
        cold_start()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(LIST_QUERIES[url]):
            assert client.get(url).status_code == 200
