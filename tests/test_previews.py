"""Signed preview links: exactly the reader's page, for whoever holds the
link, for a limited time, never indexed and never cached publicly."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import previews
from articles.models import Article
from articles.services import updates, workflow

from .factories import (
    body_figure,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_section,
    prepare_update,
)

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
    update = prepare_update(
        live, editor, due, headline="Floods close schools for a week", tags=["floods", "schools"]
    )
    url = previews.url(update)

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
    update = prepare_update(live, editor, due, headline="Something new")
    updates.update_cancel(update=update, user=editor)
    assert Client().get(previews.url(update)).status_code == 404


def test_the_desk_offers_the_preview_link_on_the_story_form(client, draft):
    client.force_login(make_editor())
    page = client.get(f"/admin/articles/article/{draft.pk}/change/")
    assertContains(page, "Preview as readers will see it")
    assertContains(page, "/preview/")


def test_a_link_stops_working_once_the_desk_takes_the_story_down(draft):
    url = previews.url(draft)
    editor = make_editor()
    workflow.article_publish(article=draft, user=editor)
    workflow.article_unpublish(article=draft, user=editor)
    response = Client().get(url)
    assert response.status_code == 410
    assertNotContains(response, "The finance minister will announce.", status_code=410)


def test_a_scheduled_update_preview_writes_nothing_and_locks_nothing(editor):
    live = make_article(authors=[make_author()], headline="Floods close schools", tags=["floods"])
    due = timezone.now() + timedelta(hours=2)
    update = prepare_update(live, editor, due, headline="Floods close schools for a week")
    url = previews.url(update)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assertContains(response, "Floods close schools for a week")
    statements = " ".join(query["sql"].upper() for query in queries.captured_queries)
    for writing in ("INSERT", "UPDATE ", "DELETE", "SAVEPOINT", "FOR UPDATE"):
        assert writing not in statements


def test_a_preview_shows_the_updates_byline_links_and_pictures(editor, world):
    live = make_article(world, authors=[make_author("Ravi Kumar")], headline="Bridge closed")
    target = make_article(world, headline="How the bridge was built")
    picture = make_image(title="Bridge at night", caption="Lights on the bridge")
    due = timezone.now() + timedelta(hours=2)
    update = prepare_update(
        live,
        editor,
        due,
        bylines=[make_author("Meera Iyer")],
        links=[{"target": target}, {"url": "https://example.com/river", "title": "River data"}],
        body="<p>The bridge reopens.</p>" + body_figure(picture, alt="The bridge lit up"),
    )
    page = Client().get(previews.url(update)).content.decode()
    assert "Meera Iyer" in page and "Ravi Kumar" not in page
    assert "How the bridge was built" in page and "River data" in page
    assert 'alt="The bridge lit up"' in page and "Lights on the bridge" in page
    assert "Ravi Kumar" in Client().get(live.get_absolute_url()).content.decode()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks held by another connection"
)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_preview_answers_while_a_save_holds_the_story():
    """A desk save holds the story's row until it commits; a link holder
    opening the update's preview meanwhile gets the page at once."""
    editor = make_editor()
    live = make_article(authors=[make_author()], headline="Polls open")
    update = prepare_update(
        live, editor, timezone.now() + timedelta(hours=1), headline="Polls close"
    )
    url = previews.url(update)
    locked, answered, released = threading.Event(), threading.Event(), threading.Event()

    def hold_the_story():
        try:
            with transaction.atomic():
                Article.objects.select_for_update().get(pk=live.pk)
                locked.set()
                answered.wait(timeout=10)
                released.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_story)
    holder.start()
    assert locked.wait(timeout=10)
    response = Client().get(url)
    answered_while_held = not released.is_set()
    answered.set()
    holder.join(timeout=15)
    assertContains(response, "Polls close")
    assert answered_while_held
