"""The desk as editors and reporters use it, in a real Chromium at a
desktop's 1280 px and a phone's 390 px: the story form's layout, counts
and previews, typing kept through a reload, the warning on leaving unsaved
changes, who else has the story open, Ctrl+S; the story list; pictures
uploaded and focused in the picker; a prepared update seen, changed and
cancelled; a restore that asks first; and the note thread."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article, Image, ScheduledUpdate

from .conftest import log_in, pick
from .factories import (
    make_article,
    make_author,
    make_editor,
    make_image,
    make_reporter,
    make_section,
)

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


# Pictures -------------------------------------------------------------------


def picture_file(tmp_path, name: str, colour) -> str:
    """A real JPEG made with Pillow: a wide sky with a sun near its top right."""
    picture = PILImage.new("RGB", (1600, 900), (200, 220, 240))
    ImageDraw.Draw(picture).ellipse((1200, 100, 1450, 350), fill=colour)
    path = tmp_path / name
    picture.save(path, quality=90)
    return str(path)


def upload_in_picker(picker, path: str, title: str):
    picker.get_by_text("Upload a new picture").click()
    picker.set_input_files("#upload-file", path)
    picker.fill("#upload-title", title)
    picker.fill("#upload-alt", "A red sun low over a pale harbour sky")
    picker.fill("#upload-credit", "Staff photographer")
    picker.get_by_role("button", name="Upload, then set its focal point").click()


def click_on_the_sun(picker):
    # Once the page's script is ready for the click.
    picker.wait_for_load_state("load")
    picture = picker.locator(".focal-picker img").bounding_box()
    picker.mouse.click(
        picture["x"] + picture["width"] * 0.83, picture["y"] + picture["height"] * 0.25
    )


@WIDTHS
def test_a_lead_picture_is_uploaded_and_focused_without_leaving_the_story(
    browser, live_server, story, width, tmp_path
):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))
    page.fill("#id_headline", "Harbour reopens")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Choose or upload a picture…").click()
    picker = opened.value

    upload_in_picker(picker, picture_file(tmp_path, "sun.jpg", (220, 60, 40)), "Red sun")
    expect(picker.get_by_text("The crops readers get")).to_be_visible()
    square = picker.locator(".focal-crop img").nth(2)
    expect(square).to_have_css("object-position", "50% 50%")
    click_on_the_sun(picker)
    # The square crop moves right, to keep the sun in frame.
    expect(square).to_have_css("object-position", "100% 50%")
    with picker.expect_event("close"):
        picker.get_by_role("button", name="Save the focal point and place the picture").click()

    picture = Image.objects.get(title="Red sun")
    assert abs(picture.focal_x - 0.83) < 0.02 and abs(picture.focal_y - 0.25) < 0.02
    expect(page.locator("#id_lead_image")).to_have_value(str(picture.pk))
    expect(page.locator(".field-lead_image .picture-choice img")).to_be_visible()
    expect(page.locator(".social-preview img")).not_to_have_attribute(
        "src", re.compile("site-card")
    )
    # The story's typing is still there, unsaved, and saves with the picture.
    expect(page.locator("#id_headline")).to_have_value("Harbour reopens")
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    story.refresh_from_db()
    assert story.lead_image == picture and story.headline == "Harbour reopens"


def test_a_body_picture_is_uploaded_in_the_picker_and_placed(browser, live_server, story, tmp_path):
    page = log_in(browser, live_server, "asha")
    page.goto(change_url(live_server, story))
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press("Control+End")
    page.locator(".prose-menubar button:has-text('image')").first.click()
    dialog = page.locator("dialog[open]")
    # No internal address to fill in: a picture to choose.
    address = dialog.locator("input[name=imageUrl]")
    expect(address).to_have_attribute("aria-hidden", "true")
    assert address.bounding_box()["width"] <= 1
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog.get_by_text("Choose a picture first.")).to_be_visible()

    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Choose or upload a picture…").click()
    picker = opened.value
    upload_in_picker(picker, picture_file(tmp_path, "sun.jpg", (240, 180, 30)), "Yellow sun")
    click_on_the_sun(picker)
    with picker.expect_event("close"):
        picker.get_by_role("button", name="Save the focal point and place the picture").click()

    expect(dialog.locator(".story-dialog-picture")).to_be_visible()
    expect(dialog.locator("input[name=altText]")).to_have_value(
        "A red sun low over a pale harbour sky"
    )
    dialog.get_by_role("button", name="Insert").click()
    expect(body.locator("img")).to_have_count(1)
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    picture = Image.objects.get(title="Yellow sun")
    assert list(story.body_picture_links.values_list("image_id", flat=True)) == [picture.pk]


# A prepared update, a restore, a note ------------------------------------------


@WIDTHS
def test_a_scheduled_update_shows_against_the_live_story_and_is_changed_then_cancelled(
    browser, live_server, story, width
):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))
    due = timezone.localtime(timezone.now() + timedelta(hours=3))
    page.fill("#id_headline", "Ferries resume at dusk")
    page.fill("#id_update_at_0", due.strftime("%d/%m/%Y"))
    page.fill("#id_update_at_1", due.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Schedule these changes as an update").click()

    update = page.locator(".story-update")
    expect(update).to_contain_text("Update due")
    expect(update.locator("del")).to_have_text("Ferry services suspended")
    expect(update.locator("ins")).to_have_text("Ferries resume at dusk")
    expect(page.locator("#id_headline")).to_have_value("Ferry services suspended")

    update.get_by_role("link", name="Change this update").click()
    expect(page.locator("#id_headline")).to_have_value("Ferries resume at dusk")
    page.fill("#id_headline", "Ferries resume at dusk after the storm")
    page.get_by_role("button", name="Schedule these changes as an update").click()
    expect(page.locator(".story-update ins")).to_have_text("Ferries resume at dusk after the storm")
    assert ScheduledUpdate.objects.open().filter(article=story).count() == 1

    # Enter in a one-line box saves the story; it cancels nothing.
    page.fill("#id_dateline", "Kolkata")
    page.locator("#id_dateline").press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert ScheduledUpdate.objects.open().filter(article=story).count() == 1

    # It asks first; a loaded machine may also see the leave warning, if
    # the body editor tidied its text after the form took its measure.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel this update").click()
    expect(page.locator(".messagelist .success")).to_contain_text("is cancelled")
    expect(page.locator(".story-update")).to_have_count(0)
    story.refresh_from_db()
    assert story.headline == "Ferry services suspended"


@WIDTHS
def test_restore_asks_first_and_shows_the_story_as_it_would_read(
    browser, live_server, story, width
):
    page = log_in(browser, live_server, "asha", width=width)
    page.goto(change_url(live_server, story))
    page.fill("#id_dateline", "Kolkata")
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.fill("#id_headline", "A headline to regret")
    page.locator(".story-panel input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(f"{change_url(live_server, story)[: -len('change/')]}history/")

    page.get_by_role("link", name="restore…").first.click()
    expect(page.locator(".restore-effect")).to_contain_text("This story is live")
    expect(page.locator(".restore-preview-headline")).to_have_text("Ferry services suspended")
    story.refresh_from_db()
    assert story.headline == "A headline to regret"
    page.get_by_role("button", name=re.compile("on the live page")).click()

    expect(page.locator(".messagelist .success")).to_contain_text("restored")
    story.refresh_from_db()
    assert story.headline == "Ferry services suspended"


@WIDTHS
def test_a_story_sent_back_carries_a_note_both_sides_read_and_answer(browser, live_server, width):
    reporter = make_reporter("tanvi", first_name="Tanvi", last_name="Rao")
    make_editor(username="asha", first_name="Asha", last_name="Rao")
    sent = make_article(
        make_section("World"),
        authors=[make_author("Tanvi Rao")],
        headline="Tea auction sets a record",
        status="in_review",
        created_by=reporter,
    )
    editor = log_in(browser, live_server, "asha", width=width)
    editor.goto(change_url(live_server, sent))
    editor.get_by_role("button", name="Send back to draft").click()
    expect(editor.locator(".errorlist")).to_contain_text("note")
    editor.fill("#id_note", "Add the auction house's own figure, please.")
    editor.get_by_role("button", name="Send back to draft").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("sent back to draft")

    reporter_page = log_in(browser, live_server, "tanvi", width=width)
    expect(reporter_page.locator("#board-notes + ul")).to_contain_text(
        "Add the auction house's own figure"
    )
    reporter_page.goto(change_url(live_server, sent))
    expect(reporter_page.locator(".field-notes_thread")).to_contain_text("Asha Rao")
    reporter_page.fill("#id_note", "Added: 4.2 crore rupees, from their release.")
    reporter_page.locator(".story-panel input[name=_continue]").click()
    expect(reporter_page.locator(".field-notes_thread")).to_contain_text("4.2 crore rupees")

    editor.goto(change_url(live_server, sent))
    expect(editor.locator(".field-notes_thread")).to_contain_text("Tanvi Rao")
    expect(editor.locator(".field-notes_thread")).to_contain_text("4.2 crore rupees")
