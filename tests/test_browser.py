"""An editor writes and publishes a story in a real Chromium; a reader
opens it. Playwright drives Debian's Chromium, nothing is downloaded."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article
from articles.pictures import services as pictures

from .conftest import log_in, pick
from .factories import make_article, make_author, make_editor, make_image, make_section

pytestmark = [
    pytest.mark.browser,
    # The data migration's Editor group must survive this test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_publishes_in_the_desk_and_a_reader_opens_the_story(browser, live_server):
    world = make_section("World", parent=make_section("News"))
    make_author("Asha Menon")
    make_editor(username="asha", password="a-long-test-password")

    desk = browser.new_page()
    csp_errors = []
    desk.on("console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text))
    desk.goto(f"{live_server.url}/admin/")
    desk.fill("#id_username", "asha")
    desk.fill("#id_password", "a-long-test-password")
    desk.click("input[type=submit]")
    expect(desk.get_by_text("Editorial desk")).to_be_visible()

    desk.goto(f"{live_server.url}/admin/articles/article/add/")
    desk.fill("#id_headline", "River ferries resume after the storm")
    desk.fill("#id_standfirst", "Boats are running again on all four crossings.")
    editor_area = desk.locator(".ProseMirror[contenteditable=true]")
    editor_area.click()
    editor_area.press_sequentially("The first ferry left at dawn with ninety passengers.")
    pick(desk, ".field-section", "Wor", "World")
    pick(desk, "#bylines-0 .field-author", "Asha", "Asha Menon")
    desk.locator(".field-tags .select2-search__field").press_sequentially("ferries")
    desk.locator(".select2-results__option", has_text="ferries").first.click()
    desk.click("input[name=_publish]")
    expect(desk.locator(".messagelist .success")).to_contain_text("was saved and published")
    assert csp_errors == []

    story = Article.objects.get(headline="River ferries resume after the storm")
    assert story.section == world
    assert list(story.tags.names()) == ["ferries"]

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(reader.locator("h1")).to_have_text("River ferries resume after the storm")
    expect(reader.locator(".story-body")).to_contain_text("The first ferry left at dawn")
    expect(reader.locator(".byline")).to_have_text("By Asha Menon")
    expect(reader.locator(".tags a")).to_have_text("ferries")
    reader.click("nav[aria-label=Breadcrumb] >> text=World")
    expect(reader.locator("h1")).to_have_text("World")
    listed = reader.locator(".story-list").get_by_text("River ferries resume after the storm")
    expect(listed).to_be_visible()


def test_two_editors_at_once_the_second_keeps_their_typing(browser, live_server):
    story = make_article(
        make_section("World"),
        authors=[make_author("Asha Menon")],
        headline="Ferry services suspended",
        body="<p>All crossings stopped at noon.</p>",
    )
    make_editor(username="asha", first_name="Asha", last_name="Rao")
    make_editor(username="vikram")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    first, second = log_in(browser, live_server, "asha"), log_in(browser, live_server, "vikram")
    first.goto(change)
    second.goto(change)

    first.fill("#id_headline", "Ferry services suspended as storm nears")
    first.click("input[name=_save]")
    expect(first.locator(".messagelist .success")).to_be_visible()

    second.fill("#id_dateline", "Kolkata")
    body = second.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press("End")
    body.press_sequentially(" Buses will replace the boats.")
    second.click("input[name=_save]")

    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator("form#article_form")).to_contain_text("by Asha Rao")
    expect(body).to_contain_text("Buses will replace the boats.")
    expect(second.locator("#id_dateline")).to_have_value("Kolkata")
    story.refresh_from_db()
    assert story.headline == "Ferry services suspended as storm nears"
    assert "Buses" not in story.body and story.dateline == ""


def test_editor_sets_a_focal_point_by_clicking_the_picture(browser, live_server):
    picture = make_image(size=(800, 450), title="Harbour at dawn")
    make_editor(username="asha")
    desk = log_in(browser, live_server, "asha")
    desk.goto(f"{live_server.url}/admin/articles/image/{picture.pk}/change/")
    shown = desk.locator(".focal-picker img")
    box = shown.bounding_box()
    shown.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    expect(desk.locator("#id_focal_x")).to_have_value("0.800")
    desk.click("input[name=_save]")
    expect(desk.locator(".messagelist .success")).to_be_visible()
    picture.refresh_from_db()
    assert abs(picture.focal_x - 0.8) < 0.01 and abs(picture.focal_y - 0.25) < 0.01


def test_editor_places_a_library_picture_in_the_body_and_readers_see_it(browser, live_server):
    make_section("World")
    make_author("Asha Menon")
    picture = make_image(
        size=(1200, 900),
        title="Tea pickers at dawn",
        alt_text="Pickers among the tea bushes at first light",
        credit="Estate Photo Service",
    )
    make_image(title="Parliament in session")
    pictures.image_render(image_id=picture.pk)
    make_editor(username="asha")
    desk = log_in(browser, live_server, "asha")
    csp_errors = []
    desk.on("console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text))
    desk.goto(f"{live_server.url}/admin/articles/article/add/")
    desk.fill("#id_headline", "Tea harvest starts early")
    desk.fill("#id_standfirst", "A warm spring brought the first flush forward.")
    body = desk.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially("Picking began on Monday in the hills.")
    body.press("Enter")

    desk.locator(".prose-menubar__button[title=figure]").click()
    dialog = desk.locator("dialog[open]")
    with desk.expect_popup() as opened:
        dialog.get_by_role("button", name="Choose or upload a picture…").click()
    library = opened.value
    library.fill("#picker-q", "tea")
    library.get_by_role("button", name="Search").click()
    expect(library.get_by_text("Parliament in session")).to_have_count(0)
    with library.expect_event("close"):
        try:
            library.get_by_text("Tea pickers at dawn").click(no_wait_after=True)
        except PlaywrightError:
            # The click's own result: the picker closes as it hands the
            # picture over, and may do so before the click reports back.
            if not library.is_closed():
                raise
    expect(dialog.locator("input[name=altText]")).to_have_value(
        "Pickers among the tea bushes at first light"
    )
    dialog.locator("input[name=caption]").fill("First flush at the Makaibari estate")
    dialog.get_by_role("button", name="Insert").click()
    expect(body.locator("img")).to_have_count(1)

    # The lead picture is chosen by sight: each result is a thumbnail.
    desk.click(".field-lead_image .select2-selection")
    desk.locator(".select2-container--open .select2-search__field").fill("tea")
    result = desk.locator(".select2-results__option", has_text="Tea pickers at dawn")
    expect(result.locator("img")).to_have_attribute("src", re.compile(r"-1x1-160\.jpg$"))
    result.click()
    pick(desk, ".field-section", "Wor", "World")
    pick(desk, "#bylines-0 .field-author", "Asha", "Asha Menon")
    desk.click("input[name=_publish]")
    expect(desk.locator(".messagelist .success")).to_contain_text("was saved and published")
    assert csp_errors == []

    story = Article.objects.get(headline="Tea harvest starts early")
    assert story.lead_image == picture
    assert list(story.body_picture_links.values_list("image_id", flat=True)) == [picture.pk]
    for width in (390, 1280):
        reader = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        reader.goto(f"{live_server.url}{story.get_absolute_url()}")
        shown = reader.locator(".story-body figure.body-picture")
        expect(shown).to_contain_text("First flush at the Makaibari estate")
        expect(shown).to_contain_text("Image Source: Estate Photo Service")
        image = shown.locator("img")
        image.scroll_into_view_if_needed()
        expect(image).to_have_attribute("alt", "Pickers among the tea bushes at first light")
        reader.wait_for_function(
            "el => el.complete && el.naturalWidth > 0", arg=image.element_handle()
        )
        # The browser chose a WebP rendition, not the original upload.
        assert "/renditions/" in image.evaluate("el => el.currentSrc")
        assert image.evaluate("el => el.currentSrc").endswith(".webp")
