"""A reader's open live page in a real Chromium: entries posted after it
loaded appear without a reload, newest first, and are told to screen
readers; a changed entry is replaced where it stands, a deleted one goes,
and the page stops asking once coverage ends."""

import pytest
from playwright.sync_api import expect

from articles.services import live
from articles.services.live import EntryText

from .factories import make_article, make_author, make_editor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quick_polls(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "LIVE_POLL_SECONDS": 1}


@pytest.mark.parametrize("width", [390, 1280])
def test_an_open_live_page_shows_entries_posted_after_it_loaded(
    browser, live_server, world, quick_polls, width
):
    editor = make_editor()
    blog = make_article(
        world, headline="Cyclone makes landfall", is_live=True, authors=[make_author()]
    )
    first = live.live_entry_post(
        article=blog, user=editor, text=EntryText(body="<p>Winds pick up on the coast.</p>")
    )
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}{blog.get_absolute_url()}")
    entries = page.locator(".live-entries > .live-entry")
    expect(entries).to_have_count(1)

    live.live_entry_post(
        article=blog,
        user=editor,
        text=EntryText(body="<p>The eye crosses the shore.</p>", headline="Landfall"),
    )
    expect(entries).to_have_count(2, timeout=10_000)
    expect(entries.first).to_contain_text("The eye crosses the shore.")
    expect(page.locator(".live-status")).to_have_text("New update: Landfall")
    expect(page.locator(".live-status")).to_have_attribute("role", "status")

    live.live_entry_change(
        entry=first,
        user=editor,
        text=EntryText(body="<p>Winds reach 150 km/h on the coast.</p>"),
        correction="The first version gave no wind speed.",
    )
    expect(entries.last).to_contain_text("The first version gave no wind speed.", timeout=10_000)
    live.live_entry_delete(entry=first, user=editor)
    expect(entries).to_have_count(1, timeout=10_000)

    live.live_coverage_end(article=blog, user=editor)
    expect(page.locator(".live-heading")).to_contain_text("Coverage ended", timeout=10_000)
    expect(page.locator(".live-status")).to_have_text("Coverage has ended.")
    page.close()
