"""Addresses never break: a section, author or tag the desk renames or
moves still answers at every address it had, with one permanent redirect
straight to where it lives now; a live address always wins over an old one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from taggit.models import Tag

from articles.models import Article, Author, AuthorAddress, Section, SectionAddress, TagAddress
from articles.services import authors, sections, tags

from .factories import edit_story, make_article, make_author, make_section
from .forms import opened_form, post_form

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


def change_slug(author: Author, slug: str, user) -> Author:
    stored = Author.objects.get(pk=author.pk)
    stored.slug = slug
    return authors.author_save(author=stored, user=user)


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


def test_an_author_whose_slug_changed_twice_answers_at_both_old_addresses(client, world, editor):
    asha = make_author("Asha Rao", slug="asha")
    make_article(world, authors=[asha])
    change_slug(asha, "asha-rao", editor)
    change_slug(asha, "asha-rao-kolkata", editor)
    for address in ("/author/asha/", "/author/asha-rao/"):
        assert_moved(client, address, "/author/asha-rao-kolkata/")


def test_a_new_author_taking_an_old_slug_is_served_themself(client, world, editor):
    asha = make_author("Asha Rao", slug="asha")
    change_slug(asha, "asha-rao", editor)
    other = authors.author_save(author=Author(name="Asha Sen", slug="asha"), user=editor)
    make_article(world, authors=[other])
    response = client.get("/author/asha/")
    assert (response.status_code, response.context["author"]) == (200, other)


def test_an_old_address_of_an_author_with_nothing_published_is_not_found(client, editor):
    # Its page is not public yet, and a redirect would give its slug away.
    asha = make_author("Asha Rao", slug="asha")
    change_slug(asha, "asha-rao", editor)
    assert client.get("/author/asha/").status_code == 404


def test_a_reporter_cannot_change_an_authors_slug_on_the_desk(reporter_desk, reporter, world):
    asha = make_author("Asha Rao", slug="asha")
    url = f"/admin/articles/author/{asha.pk}/change/"
    typed = {"name": "Asha Rao", "slug": "someone-else", "kind": "person", "_save": "Save"}
    assert reporter_desk.post(url, typed).status_code == 403
    with pytest.raises(PermissionDenied):
        change_slug(asha, "someone-else", reporter)
    assert Author.objects.get(pk=asha.pk).slug == "asha"
    assert not AuthorAddress.objects.exists()


def test_an_editor_changes_an_authors_slug_on_the_desk_and_the_old_address_follows(
    desk, client, world
):
    asha = make_author("Asha Rao", slug="asha")
    make_article(world, authors=[asha])
    url = f"/admin/articles/author/{asha.pk}/change/"
    form = opened_form(desk, url, "author_form")
    assert post_form(desk, url, form=form, slug="asha-rao").status_code == 302
    assert_moved(client, "/author/asha/", "/author/asha-rao/")


def test_a_renamed_tag_answers_at_its_old_address(client, world, editor):
    make_article(world, tags=["Monsoon"])
    tags.tag_rename(tag=Tag.objects.get(name="Monsoon"), name="Monsoon rains", user=editor)
    assert_moved(client, "/tag/monsoon/", "/tag/monsoon-rains/")


def test_a_merged_tags_addresses_lead_to_the_tag_it_was_merged_into(client, world, editor):
    make_article(world, tags=["Monsoon", "Rain"])
    tags.tag_rename(tag=Tag.objects.get(name="Rain"), name="Rainfall", user=editor)
    monsoon, rainfall = Tag.objects.get(name="Monsoon"), Tag.objects.get(name="Rainfall")
    tags.tag_merge(tags=[monsoon, rainfall], into=monsoon, user=editor)
    for address in ("/tag/rain/", "/tag/rainfall/"):
        assert_moved(client, address, "/tag/monsoon/")


def test_a_new_tag_at_an_old_address_is_served_itself(client, world, editor):
    make_article(world, tags=["Rain"])
    tags.tag_rename(tag=Tag.objects.get(name="Rain"), name="Rainfall", user=editor)
    make_article(world, tags=["rain"], headline="A new rain tag")
    response = client.get("/tag/rain/")
    assert (response.status_code, response.context["tag"].name) == (200, "rain")


def test_deleting_a_tag_forgets_its_old_addresses(client, world, editor):
    make_article(world, tags=["Rain"])
    tags.tag_rename(tag=Tag.objects.get(name="Rain"), name="Rainfall", user=editor)
    tags.tag_delete(tag=Tag.objects.get(name="Rainfall"), user=editor)
    assert not TagAddress.objects.exists()
    assert client.get("/tag/rain/").status_code == 404


def test_a_story_keeps_its_query_through_the_redirect(client, world):
    story = make_article(world, headline="Summit ends")

    response = client.get(f"/news/world/old-headline-{story.pk}/?utm_source=chat")

    assert response.status_code == 301
    assert response["Location"] == f"{story.get_absolute_url()}?utm_source=chat"


def test_feeds_at_old_addresses_lead_to_the_feed_at_the_new_one(client, renamed_twice, editor):
    asha = make_author("Asha Rao")
    make_article(renamed_twice.section, tags=["summit"], authors=[asha])
    change_slug(asha, "asha-rao-menon", editor)
    tags.tag_rename(tag=Tag.objects.get(name="summit"), name="G20 summit", user=editor)

    assert_moved(client, "/feeds/section/news/world/rss.xml", "/feeds/section/news/planet/rss.xml")
    assert_moved(
        client, "/feeds/section/news/globe/atom.xml", "/feeds/section/news/planet/atom.xml"
    )
    assert_moved(client, "/feeds/author/asha-rao/rss.xml", "/feeds/author/asha-rao-menon/rss.xml")
    assert_moved(client, "/feeds/tag/summit/atom.xml", "/feeds/tag/g20-summit/atom.xml")


def test_a_slug_that_is_no_address_is_refused_whatever_path_it_comes_by(world, editor):
    story = make_article(world, authors=[make_author()])

    with pytest.raises(ValidationError) as refused:
        edit_story(story, editor, slug="cricket news?")

    assert "slug" in refused.value.message_dict
    story.refresh_from_db()
    assert story.slug != "cricket news?"
