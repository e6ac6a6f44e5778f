"""Addresses never break: a section, author or tag the desk renames or
moves still answers at every address it had, with one permanent redirect
straight to where it lives now; a live address always wins over an old one."""

import pytest

from articles.models import Article, Section, SectionAddress
from articles.services import sections

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


def assert_moved(client, old: str, current: str) -> None:
    """`old` answers with one permanent redirect straight to `current`,
    which answers itself."""
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, current), old
    assert client.get(current).status_code == 200, current


def resave(section: Section, user, **changes) -> Section:
    """Save the section from the desk with `changes`."""
    stored = Section.objects.get(pk=section.pk)
    for field, value in changes.items():
        setattr(stored, field, value)
    return sections.section_save(section=stored, user=user)


@pytest.fixture
def renamed_twice(world, editor):
    """News › World, with a story in it, renamed to Globe and then to
    Planet."""
    story = make_article(world, headline="Summit ends")
    resave(world, editor, slug="globe")
    resave(world, editor, slug="planet")
    return story


def test_a_story_in_a_section_renamed_twice_answers_at_its_three_addresses(client, renamed_twice):
    number = renamed_twice.pk
    current = f"/news/planet/summit-ends-{number}/"
    assert Article.objects.get(pk=number).get_absolute_url() == current
    for old in (f"/news/world/summit-ends-{number}/", f"/news/globe/summit-ends-{number}/"):
        assert_moved(client, old, current)


def test_a_section_renamed_twice_answers_at_its_old_addresses_with_one_redirect(
    client, renamed_twice
):
    for old in ("/news/world/", "/news/globe/"):
        assert_moved(client, old, "/news/planet/")


def test_a_section_moved_under_another_parent_carries_its_subsections_old_addresses(
    client, world, editor
):
    asia = make_section("Asia", parent=world)
    story = make_article(asia, headline="Monsoon arrives")
    old_story_address = story.get_absolute_url()
    resave(world, editor, parent=make_section("International"))
    story.refresh_from_db()
    assert_moved(client, "/news/world/", "/international/world/")
    assert_moved(client, "/news/world/asia/", "/international/world/asia/")
    assert_moved(client, old_story_address, story.get_absolute_url())
    assert story.get_absolute_url().startswith("/international/world/asia/monsoon-arrives-")


def test_a_section_page_keeps_its_page_number_through_the_redirect(client, settings, world, editor):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    for _ in range(3):
        make_article(world)
    resave(world, editor, slug="globe")
    assert_moved(client, "/news/world/?page=2", "/news/globe/?page=2")


def test_a_new_section_at_an_old_address_is_served_itself(client, world, editor):
    resave(world, editor, slug="globe")
    newcomer = make_section("World", parent=world.parent)
    response = client.get("/news/world/")
    assert (response.status_code, response.context["section"]) == (200, newcomer)
    assert not SectionAddress.objects.filter(path="news/world").exists()


def test_an_old_address_left_again_by_its_new_section_leads_to_that_section(client, world, editor):
    resave(world, editor, slug="globe")
    newcomer = make_section("World", parent=world.parent)
    resave(newcomer, editor, slug="earth")
    assert_moved(client, "/news/world/", "/news/earth/")
    assert client.get("/news/globe/").context["section"] == world


def test_a_section_moved_back_to_an_old_address_answers_there(client, world, editor):
    resave(world, editor, slug="globe")
    resave(world, editor, slug="world")
    assert client.get("/news/world/").status_code == 200
    assert_moved(client, "/news/globe/", "/news/world/")


@pytest.mark.parametrize(
    "address", ["/nowhere/", "/news/nowhere/", "/author/nobody/", "/tag/nothing/"]
)
def test_unknown_addresses_are_still_not_found(client, world, editor, address):
    resave(world, editor, slug="globe")
    assert client.get(address).status_code == 404
