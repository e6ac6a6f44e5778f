"""The story form as an editor uses it, in a real Chromium at a desktop's
1280 px and a phone's 390 px: its layout, counts and previews, typing
kept through a reload, the warning on leaving unsaved changes, who else
has the story open, and Ctrl+S."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article

from .conftest import log_in, pick
from .factories import make_article, make_author, make_editor, make_image, make_section

pytestmark = [
    pytest.mark.browser,
    # The data migration's Editor group must survive this test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP, PHONE = 1280, 390
WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE])


@pytest.fixture
def story():
    make_editor(username="asha", first_name="Asha", last_name="Rao")
    return make_article(
        make_section("World"),
        authors=[make_author("Asha Menon")],
        headline="Ferry services suspended",
        standfirst="All crossings stopped at noon.",
        body="<p>The first ferry was held at the jetty.</p><p>Buses run instead.</p>",
    )


def change_url(live_server, story: Article) -> str:
    return f"{live_server.url}/admin/articles/article/{story.pk}/change/"


@WIDTHS
def test_the_story_form_puts_writing_first_and_keeps_the_buttons_in_reach(
    browser, live_server, story, width
):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))

    headline = page.locator("#id_headline").bounding_box()
    panel = page.locator(".story-panel").bounding_box()
    save = page.locator(".story-panel input[name=_save]")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(save).to_be_in_viewport()
    if width == DESKTOP:
        # Writing on the left, the panel beside it, the byline near its top.
        assert headline["width"] >= 600
        assert panel["x"] >= headline["x"] + headline["width"]
        byline = page.locator(".story-panel #bylines-group").bounding_box()
        assert byline["y"] < panel["y"] + 500
        # The panel stays in view as the editor scrolls down the body.
        page.mouse.wheel(0, 1500)
        expect(save).to_be_in_viewport()
    else:
        # One column, the headline across it, and the buttons still at hand
        # at the bottom of the window, a long way from the end of the form.
        assert headline["width"] >= width - 60
        assert page.evaluate("document.documentElement.scrollHeight") > 2 * 844
        save_box = save.bounding_box()
        assert save_box["y"] + save_box["height"] <= 900


@WIDTHS
def test_counts_and_previews_follow_the_typing(browser, live_server, story, width):
    picture = make_image(title="Jetty at noon", alt_text="A jetty", credit="Staff")
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))

    page.fill("#id_headline", "Ferries back on all four crossings")
    page.fill("#id_standfirst", "x" * 410)
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press("Control+End")
    body.press_sequentially(" More words here.")

    expect(page.locator("#id_headline_count")).to_have_text("34 of 110 characters")
    # The box takes no more than the limit, and says it is full.
    expect(page.locator("#id_standfirst")).to_have_value("x" * 400)
    expect(page.locator("#id_standfirst_count")).to_have_text("400 of 400 characters")
    expect(page.locator(".story-body-count")).to_have_text("14 words · about 1 minute to read")
    expect(page.locator(".search-preview-title")).to_have_text(
        "Ferries back on all four crossings | Newsroom Daily"
    )
    expect(page.locator(".social-preview [data-preview=headline]")).to_have_text(
        "Ferries back on all four crossings"
    )
    social = page.locator(".social-preview img")
    expect(social).to_have_attribute("src", re.compile(r"site-card"))

    pick(page, ".field-lead_image", "Jetty", "Jetty at noon")

    expect(social).not_to_have_attribute("src", re.compile(r"site-card"))
    assert page.evaluate("(img) => img.complete && img.naturalWidth", social.element_handle())
    assert picture.pk


@WIDTHS
def test_typing_survives_a_reload_and_is_put_back(browser, live_server, story, width):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))

    page.fill("#id_headline", "Ferries resume after the storm")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press("End")
    body.press_sequentially(" Typed and never saved.")
    expect(page.locator(".story-autosave")).to_contain_text("Your typing is kept")
    # As if the window had crashed: nothing asks, nothing is saved.
    page.context.close()

    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))
    offer = page.locator("[data-unsaved-offer]")
    expect(offer).to_contain_text("that was not saved")
    expect(page.locator("#id_headline")).to_have_value("Ferry services suspended")
    offer.get_by_text("Put my text back").click()
    body = page.locator(".ProseMirror[contenteditable=true]")

    expect(page.locator("#id_headline")).to_have_value("Ferries resume after the storm")
    expect(body).to_contain_text("Typed and never saved.")
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    story.refresh_from_db()
    assert story.headline == "Ferries resume after the storm"
    assert "Typed and never saved." in story.body

    # Saved: nothing is offered back any more.
    page.goto(change_url(live_server, story))
    expect(page.locator("#id_headline")).to_have_value("Ferries resume after the storm")
    assert page.locator("[data-unsaved-offer]").count() == 0


def test_discarding_the_offered_text_keeps_the_saved_story(browser, live_server, story):
    page = log_in(browser, live_server, "asha")
    page.goto(change_url(live_server, story))
    page.fill("#id_headline", "A headline to throw away")
    expect(page.locator(".story-autosave")).to_contain_text("Your typing is kept")
    page.context.close()

    page = log_in(browser, live_server, "asha")
    page.goto(change_url(live_server, story))
    page.get_by_role("button", name="Discard it").click()
    expect(page.locator("[data-unsaved-offer]")).to_have_count(0)
    page.reload()

    expect(page.locator("#id_headline")).to_have_value("Ferry services suspended")
    assert page.locator("[data-unsaved-offer]").count() == 0


@WIDTHS
def test_leaving_with_unsaved_changes_asks_first(browser, live_server, story, width):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    # Unchanged: leaving asks nothing.
    page.goto(f"{live_server.url}/admin/")
    assert asked == []

    page.goto(change_url(live_server, story))
    page.fill("#id_standfirst", "Crossings stopped at noon; buses run instead.")
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        page.goto(f"{live_server.url}/admin/")
    assert asked == ["beforeunload"]
    # Staying: the typing is still there.
    expect(page.locator("#id_standfirst")).to_have_value(
        "Crossings stopped at noon; buses run instead."
    )

    # Saved: leaving asks nothing.
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(f"{live_server.url}/admin/")
    assert asked == ["beforeunload"]


def test_ctrl_s_saves_and_stays_on_the_story(browser, live_server, story):
    page = log_in(browser, live_server, "asha")
    page.goto(change_url(live_server, story))

    page.fill("#id_dateline", "Kolkata")
    page.locator("#id_dateline").press("Control+s")

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page).to_have_url(change_url(live_server, story))
    story.refresh_from_db()
    assert story.dateline == "Kolkata"


@WIDTHS
def test_the_form_shows_who_else_has_the_story_open_before_anyone_saves(
    browser, live_server, story, width
):
    make_editor(username="vikram", first_name="Vikram", last_name="Anand")
    first = log_in(browser, live_server, "asha", width=width)
    second = log_in(browser, live_server, "vikram", width=width)
    first.goto(change_url(live_server, story))
    second.goto(change_url(live_server, story))

    expect(second.locator(".story-sessions")).to_contain_text("Also open now by Asha Rao")
    # The first learns of the second at its next report, without saving.
    expect(first.locator(".story-sessions")).to_contain_text(
        "Also open now by Vikram Anand", timeout=20_000
    )

    first.fill("#id_dateline", "Kolkata")
    first.locator(".story-panel input[name=_continue]").click()
    expect(first.locator(".messagelist .success")).to_be_visible()
    expect(second.locator(".story-sessions")).to_contain_text(
        "Asha Rao saved this story", timeout=20_000
    )


@WIDTHS
def test_the_story_list_gives_the_headline_room_and_fits_a_phone(
    browser, live_server, story, width
):
    for number in range(3):
        make_article(story.section, headline=f"Monsoon reaches the coast, day {number}")
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(f"{live_server.url}/admin/articles/article/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    headline = page.locator("#result_list .field-story").first.bounding_box()
    table = page.locator("#result_list").bounding_box()
    assert headline["width"] >= table["width"] / 3
    # A headline reads on two or three lines, not eight.
    assert headline["height"] <= 100
    expect(page.locator("#result_list .state-badge").first).to_be_visible()
    page.get_by_role("navigation", name="Quick views").get_by_role("link", name="Live").click()
    expect(page.locator("#result_list .field-story")).to_have_count(4)
