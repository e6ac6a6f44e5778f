"""Readers' pages on a phone, measured in a real Chromium at 390 px: the
news comes first (the front page's first headline within the first 600 px,
a story's first paragraph within the first 900 px), the menu is one line
that scrolls sideways and marks the reader's section, and no advertisement
stands above the menu or the story's first paragraph. Wider screens keep
them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .factories import make_article, make_author, make_image, make_section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def newsroom():
    """A newsroom with a full menu and a story as long in its header as the
    demo's longest: three authors, an editor, a dateline, four tags and a
    lead picture."""
    news = make_section("News")
    for name in ("Business", "Sport", "Technology", "Opinion", "Entertainment", "Science"):
        make_section(name)
    india = make_section("India", parent=news)
    story = make_article(
        india,
        headline="Delhi opens 140 cooling shelters as civic body readies its summer heat plan",
        standfirst="Shaded rest points with drinking water and first-aid volunteers will open "
        "across every municipal zone within three weeks, with longer hours at bus depots.",
        body="".join(f"<p>Paragraph {n} of the story, told in plain words.</p>" for n in range(8)),
        authors=[make_author("Priya Raghunathan"), make_author("Farah Siddiqui"), make_author()],
        edited_by=make_author("Vikram Anand"),
        dateline="New Delhi",
        tags=["heat", "delhi", "urban planning", "public health"],
        lead_image=make_image(size=(1600, 900)),
    )
    for number in range(6):
        make_article(india, headline=f"Another story from India, number {number}")
    return story


def reader(browser, viewport):
    return browser.new_context(viewport=viewport).new_page()


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_on_a_phone_the_front_page_s_first_headline_comes_within_600_px(
    browser, live_server, newsroom
):
    page = reader(browser, PHONE)
    page.goto(live_server.url + "/")

    assert top(page, ".card-headline") <= 600
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_story_s_first_paragraph_comes_within_900_px(browser, live_server, newsroom):
    page = reader(browser, PHONE)
    page.goto(live_server.url + newsroom.get_absolute_url())

    assert top(page, ".story-body p") <= 900
    expect(page.locator(".site-header .ad-slot")).to_be_hidden()
    expect(page.locator(".ad-slot[data-slot=article-top]")).to_be_hidden()
    # Tags come after the story, not before it.
    assert top(page, ".tags") > top(page, ".story-body p")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_menu_is_one_line_that_scrolls_and_marks_the_section(
    browser, live_server, newsroom
):
    page = reader(browser, PHONE)
    page.goto(live_server.url + newsroom.get_absolute_url())
    menu = page.locator(".sections-nav ul")

    assert menu.bounding_box()["height"] <= 60
    assert page.evaluate("(menu) => menu.scrollWidth > menu.clientWidth", menu.element_handle())
    expect(menu.get_by_role("link", name="News")).to_have_attribute("aria-current", "true")
    menu.get_by_role("link", name="Science").click()
    expect(page.locator(".sections-nav a[aria-current=page]")).to_have_text("Science")


def test_a_wide_screen_keeps_the_advertisements_and_the_full_menu(browser, live_server, newsroom):
    page = reader(browser, DESKTOP)
    page.goto(live_server.url + newsroom.get_absolute_url())

    expect(page.locator(".site-header .ad-slot")).to_be_visible()
    expect(page.locator(".ad-slot[data-slot=article-top]")).to_be_visible()
    menu = page.locator(".sections-nav ul")
    assert page.evaluate("(menu) => menu.scrollWidth <= menu.clientWidth", menu.element_handle())


def test_a_reader_copies_the_story_s_link_on_a_phone(browser, live_server, newsroom):
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + newsroom.get_absolute_url())

    share = page.get_by_role("region", name="Share this story")
    expect(share.get_by_role("link", name="WhatsApp")).to_be_visible()
    share.get_by_role("button", name="Copy link").click()

    expect(share.get_by_role("status")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(newsroom.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_front_page_rows_are_full_on_a_wide_screen_and_compact_on_a_phone(
    browser, live_server, newsroom
):
    earlier = timezone.now() - timedelta(days=2)
    make_article(make_section("Weather"), headline="Rain due on Friday", published_at=earlier)
    markets = make_section("Markets")
    for headline in ("Shares rise", "Rupee steadies"):
        make_article(markets, headline=headline, published_at=earlier, lead_image=make_image())

    wide = reader(browser, DESKTOP)
    wide.goto(live_server.url + "/")
    for block, count in (("#section-weather", 1), ("#section-markets", 2)):
        section = wide.locator(f"section:has({block})")
        width = section.locator(".story-list").bounding_box()["width"]
        cards = section.locator(".card")
        expect(cards).to_have_count(count)
        # The stories share the row between them: no empty columns.
        assert sum(cards.nth(n).bounding_box()["width"] for n in range(count)) >= 0.9 * width

    phone = reader(browser, PHONE)
    phone.goto(live_server.url + "/")
    small = phone.locator("section:has(#section-markets) .card-image").first
    assert small.bounding_box()["width"] <= 120
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
