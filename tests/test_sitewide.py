"""Menus and ad slots come from the cache, and a change in the desk shows on
the very next page."""

import pytest
from django.core.cache import cache

from articles.models import AdSlot, Section
from articles.services import sections
from articles.sitewide import sitewide, sitewide_changed, sitewide_version

from .factories import make_article, make_editor, make_section

pytestmark = pytest.mark.django_db


def test_renamed_section_shows_in_the_menu_on_the_next_page(
    client, django_capture_on_commit_callbacks
):
    news = make_section("News")
    make_article(news)
    assert ">News</a>" in client.get("/").content.decode()
    news.name = "Headlines"
    with django_capture_on_commit_callbacks(execute=True):
        sections.section_save(section=news, user=make_editor())
    html = client.get("/").content.decode()
    assert ">Headlines</a>" in html and ">News</a>" not in html


def test_ad_slot_changed_in_the_desk_shows_on_the_next_page(
    client, django_capture_on_commit_callbacks
):
    story = make_article()
    client.get(story.get_absolute_url())
    seller = make_editor(username="ads")
    seller.groups.add(*seller.groups.model.objects.filter(name="Advertising"))
    client.force_login(seller)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/articles/adslot/add/",
            {
                "name": "article-top",
                "section": "",
                "markup": "<p>Festival sale</p>",
                "is_active": "on",
                "_save": "Save",
            },
        )
    client.logout()
    assert "Festival sale" in client.get(story.get_absolute_url()).content.decode()

    slot = AdSlot.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sections.ad_slot_delete(slot=slot, user=seller)
    assert "Festival sale" not in client.get(story.get_absolute_url()).content.decode()


def test_what_another_request_cached_during_a_change_is_never_served(
    django_capture_on_commit_callbacks,
):
    sitewide("menu", lambda: ["before"])
    with django_capture_on_commit_callbacks(execute=True):
        sitewide_changed()
        # A request that read the database before the change commits and
        # stores what it saw under the number current at that moment.
        sitewide("menu", lambda: ["stale"])
    assert sitewide("menu", lambda: ["after"]) == ["after"]


def test_an_evicted_version_never_brings_back_old_entries():
    assert sitewide("menu", lambda: ["first"]) == ["first"]
    cache.delete("newsroom:sitewide:version")
    assert sitewide("menu", lambda: ["fresh"]) == ["fresh"]


def test_sections_deleted_from_the_desk_list_leave_the_menu(
    client, django_capture_on_commit_callbacks
):
    make_section("Archive")
    client.force_login(make_editor())
    assert ">Archive</a>" in client.get("/").content.decode()
    section = Section.objects.get(name="Archive")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/articles/section/",
            {
                "action": "delete_selected",
                "_selected_action": [section.pk],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert ">Archive</a>" not in client.get("/").content.decode()


def test_a_process_keeps_what_it_used_while_nothing_changes(rf, django_capture_on_commit_callbacks):
    assert sitewide("menu", lambda: ["kept"]) == ["kept"]
    # Even with the shared entry gone, the process answers from its own copy
    # for as long as the version stands.
    cache.delete(f"newsroom:sitewide:menu:{sitewide_version()}")
    request = rf.get("/")
    assert sitewide("menu", lambda: ["reloaded"], request) == ["kept"]
    with django_capture_on_commit_callbacks(execute=True):
        sitewide_changed()
    assert sitewide("menu", lambda: ["changed"], rf.get("/")) == ["changed"]


def test_a_page_reads_the_version_once_and_a_change_shows_on_the_next(rf):
    page = rf.get("/")
    assert sitewide("menu", lambda: ["before"], page) == ["before"]
    sitewide_changed()
    # The page started before the change: all its site-wide data comes from
    # that moment. The next page sees the change.
    assert sitewide("menu", lambda: ["after"], page) == ["before"]
    assert sitewide("menu", lambda: ["after"], rf.get("/")) == ["after"]
