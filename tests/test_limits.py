"""How much one story and one request may carry: a hostile save of
thousands of bylines or links is refused before it costs the desk, the
database or the story's page anything, with a reason and the text kept."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.services import stories

from .factories import edit_story, make_article, make_author
from .forms import change_url, opened_form, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, reporter):
    return make_article(
        world, status=Article.Status.DRAFT, created_by=reporter, authors=[make_author()]
    )


def inline_rows(prefix: str, count: int, **row) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": "0"}
    for number in range(count):
        for name, value in row.items():
            data[f"{prefix}-{number}-{name}"] = value(number) if callable(value) else value
    return data


def byline_rows(count: int) -> dict:
    authors = [make_author(f"Author {n}") for n in range(count)]
    return inline_rows(
        "bylines", count, author=lambda n: str(authors[n].pk), position=lambda n: str(n)
    )


def link_rows(count: int) -> dict:
    return inline_rows(
        "related_links",
        count,
        url=lambda n: f"https://example.com/{n}",
        title=lambda n: f"Page {n}",
        position=lambda n: str(n),
    )


def test_a_byline_of_more_authors_than_a_story_carries_is_refused(reporter_desk, draft):
    form = opened_form(reporter_desk, change_url(draft))
    form.update(byline_rows(stories.MAX_BYLINES + 1))
    response = post_form(reporter_desk, change_url(draft), form=form, headline="Kept headline")
    assertContains(response, f"Please submit at most {stories.MAX_BYLINES} forms.")
    assertContains(response, "Kept headline")
    assert draft.bylines.count() == 1


def test_more_read_more_links_than_a_story_carries_are_refused(reporter_desk, draft):
    form = opened_form(reporter_desk, change_url(draft))
    form.update(link_rows(stories.MAX_LINKS + 1))
    response = post_form(reporter_desk, change_url(draft), form=form)
    assertContains(response, f"Please submit at most {stories.MAX_LINKS} forms.")
    assert not draft.related_links.exists()


def test_more_tags_than_a_story_carries_are_refused(reporter_desk, draft):
    tags = [f"tag {n}" for n in range(stories.MAX_TAGS + 1)]
    response = post_form(reporter_desk, change_url(draft), tags=tags, headline="Kept headline")
    assertContains(response, f"A story carries at most {stories.MAX_TAGS} tags.")
    assertContains(response, "Kept headline")
    assert not draft.tags.exists()


def test_the_story_service_holds_the_same_limits_for_every_caller(draft, editor):
    too_many = [{"url": f"https://example.com/{n}", "title": "x"} for n in range(31)]
    with pytest.raises(ValidationError, match="at most 30 READ MORE links"):
        edit_story(draft, editor, links=too_many)
    with pytest.raises(ValidationError, match="at most 30 tags"):
        edit_story(draft, editor, tags=[f"tag {n}" for n in range(31)])
    assert not draft.related_links.exists() and not draft.tags.exists()


def test_a_body_longer_than_any_story_is_refused_and_the_text_kept(reporter_desk, draft):
    body = "<p>" + "word " * 41_000 + "</p>"
    response = post_form(reporter_desk, change_url(draft), body=body, headline="Kept headline")
    assertContains(response, "Ensure this value has at most 200000 characters")
    assertContains(response, "Kept headline")


def test_a_request_of_thousands_of_fields_is_refused_before_any_form(draft, reporter):
    browser = Client(raise_request_exception=False)
    browser.force_login(reporter)
    flood = inline_rows("bylines", 2000, author="1", position="0")
    response = browser.post(change_url(draft), flood)
    assert response.status_code == 400
    assertContains(response, "That request was refused", status_code=400)
    assert draft.bylines.count() == 1


def test_the_largest_story_the_desk_takes_still_saves(desk, world):
    story = make_article(world, status=Article.Status.DRAFT, authors=[make_author()])
    form = opened_form(desk, change_url(story))
    form.update(byline_rows(stories.MAX_BYLINES))
    form.update(link_rows(stories.MAX_LINKS))
    form["tags"] = [f"tag {n}" for n in range(stories.MAX_TAGS)]
    form["body"] = "<p>" + "मानसून " * 20_000 + "</p>"
    response = post_form(desk, change_url(story), form=form)
    assert response.status_code == 302
    assert story.bylines.count() == stories.MAX_BYLINES
    assert story.related_links.count() == stories.MAX_LINKS
    assert story.tags.count() == stories.MAX_TAGS
