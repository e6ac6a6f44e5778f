"""Signed preview links: exactly the reader's page, for whoever holds the
link, for a limited time, never indexed and never cached publicly."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import previews, services
from articles.models import Article

from .factories import make_article, make_author, make_editor, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_article(
        make_section("World"),
        status=Article.Status.DRAFT,
        authors=[make_author("Ravi Kumar")],
        headline="Embargoed budget story",
        body="<p>The finance minister will announce.</p>",
    )


def test_a_logged_out_reader_with_the_link_sees_the_draft_as_readers_will(draft):
    response = Client().get(previews.url(draft))
    assert response.status_code == 200
    assertContains(response, "<h1>Embargoed budget story</h1>", html=True)
    assertContains(response, "By <a")
    assertContains(response, "Ravi Kumar")
    assertContains(response, "Readers cannot see this version yet.")


def test_the_story_itself_stays_hidden_without_the_link(draft):
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_preview_is_not_indexed_and_not_cached_publicly(draft):
    response = Client().get(previews.url(draft))
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control
    assert response["Referrer-Policy"] == "no-referrer"


def test_link_expires_after_48_hours(draft):
    url = previews.url(draft)
    with time_machine.travel(timezone.now() + timedelta(hours=47, minutes=59)):
        assert Client().get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1)):
        response = Client().get(url)
    assert response.status_code == 410
    assertContains(response, "This preview link has expired", status_code=410)
    assertNotContains(response, "Embargoed budget story", status_code=410)


def test_a_tampered_link_opens_nothing(draft):
    token = previews.url(draft).split("/")[-2]
    assert Client().get(f"/preview/{token[:-3]}abc/").status_code == 404
    assert Client().get("/preview/not-a-token/").status_code == 404


def test_a_scheduled_story_previews_with_its_publication_time(draft):
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() + timedelta(hours=5)
    draft.save()
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assertContains(Client().get(previews.url(draft)), "Embargoed budget story")


def test_a_scheduled_update_previews_without_touching_the_live_story():
    live = make_article(
        make_section("World"),
        authors=[make_author()],
        headline="Floods close schools",
        tags=["floods"],
    )
    editor = make_editor()
    due = timezone.now() + timedelta(hours=2)
    with services.article_update_prepared(article=live, user=editor, due_at=due) as prepared:
        live.headline = "Floods close schools for a week"
        live.save()
        live.tags.set(["floods", "schools"])
    url = previews.url(prepared.update)

    response = Client().get(url)
    assertContains(response, "<h1>Floods close schools for a week</h1>", html=True)
    assertContains(response, ">schools</a>")
    assertContains(response, "Updated on")

    reader = Client().get(live.get_absolute_url())
    assertContains(reader, "<h1>Floods close schools</h1>", html=True)
    live.refresh_from_db()
    assert live.headline == "Floods close schools"
    assert sorted(live.tags.names()) == ["floods"]


def test_a_cancelled_update_has_no_preview():
    live = make_article(authors=[make_author()])
    editor = make_editor()
    due = timezone.now() + timedelta(hours=2)
    with services.article_update_prepared(article=live, user=editor, due_at=due) as prepared:
        live.headline = "Something new"
        live.save()
    services.update_cancel(update=prepared.update, user=editor)
    assert Client().get(previews.url(prepared.update)).status_code == 404


def test_the_desk_offers_the_preview_link_on_the_story_form(client, draft):
    client.force_login(make_editor())
    page = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(page, "Preview as readers will see it")
    assertContains(page, "/preview/")


def test_a_link_stops_working_once_the_desk_takes_the_story_down(draft):
    url = previews.url(draft)
    editor = make_editor()
    services.article_publish(article=draft, user=editor)
    services.article_unpublish(article=draft, user=editor)
    response = Client().get(url)
    assert response.status_code == 410
    assertNotContains(response, "The finance minister will announce.", status_code=410)
