"""The editorial desk, used through its real forms."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.formats import reader_time
from articles.models import AdSlot, Article, Image, Section
from articles.pictures import uploads
from articles.pictures.admin import small_rendition_url

from .factories import (
    image_bytes,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_link,
    make_section,
)
from .forms import post_form

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


def new_story(client, world, author, button="_publish", **changes):
    fields = {
        "headline": "Flood barriers hold on the river",
        "standfirst": "Engineers said the new walls kept the water out.",
        "body": "<p>The barriers held overnight.</p>",
        "section": str(world.pk),
        "dateline": "Guwahati",
        "bylines-0-author": str(author.pk),
        "tags": ["floods", "rivers"],
    }
    return post_form(client, ADD_URL, button, **{**fields, **changes})


def test_editor_logs_in_through_the_desks_login_page(client):
    make_editor(username="asha", password="a-long-test-password")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "asha", "password": "a-long-test-password", "next": "/admin/"},
        follow=True,
    )
    assertContains(response, "Editorial desk")


def test_editor_writes_and_publishes_a_story_that_readers_then_see(desk, editor, world):
    author = make_author("Asha Menon")
    response = new_story(desk, world, author)
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED and story.published_at is not None
    assert story.created_by == editor
    assert sorted(story.tags.names()) == ["floods", "rivers"]

    desk.logout()
    page = desk.get(story.get_absolute_url())
    assertContains(page, "Flood barriers hold on the river")
    assertContains(page, "Asha Menon")
    assertContains(page, "Guwahati")


def test_draft_stays_hidden_until_the_editor_publishes_it(desk, world):
    new_story(desk, world, make_author(), button="_save")
    story = Article.objects.get()
    reader = type(desk)()
    assert reader.get(story.get_absolute_url()).status_code == 404

    change_url = f"/admin/articles/article/{story.pk}/change/"
    response = post_form(desk, change_url, "_publish")
    assert response.status_code == 302
    assert reader.get(story.get_absolute_url()).status_code == 200


def test_editors_typing_survives_a_form_error(desk, editor, world):
    response = new_story(
        desk,
        world,
        make_author(),
        section="",
        body="<p>A long paragraph the editor must not lose.</p>",
        tags=["brand new tag"],
    )
    assert response.status_code == 200
    assertContains(response, "This field is required.")
    assertContains(response, "Flood barriers hold on the river")
    assertContains(response, "A long paragraph the editor must not lose.")
    assertContains(
        response, '<option value="brand new tag" selected>brand new tag</option>', html=True
    )
    assert not Article.objects.exists()


def test_publishing_a_bare_story_names_everything_missing_at_once_and_saves_nothing(desk, world):
    response = post_form(desk, ADD_URL, "_publish", headline="Bridge opens")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["section"] == ["This field is required."]
    assert errors["body"] == ["The story has no body text."]
    assert "Add at least one author to the byline." in errors["__all__"]
    # Said beside the byline too, where it is put right.
    assertContains(
        response,
        '<ul class="errorlist story-inline-errors" id="bylines-problems">'
        "<li>Add at least one author to the byline.</li></ul>",
    )
    assertContains(response, "Bridge opens")
    assert not Article.objects.exists()


def test_publishing_past_its_expiry_is_refused_before_anything_is_saved(desk, world):
    response = new_story(
        desk,
        world,
        make_author(),
        expires_at_0="2020-01-01",
        expires_at_1="10:00:00",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expires_at"] == [
        "The expiry time has passed; clear it or move it on first."
    ]
    assert not Article.objects.exists()


def test_hostile_markup_posted_to_the_body_is_stripped(desk, world):
    new_story(
        desk,
        world,
        make_author(),
        body='<p onmouseover="x()">Hi<script>steal()</script></p><a href="javascript:x()">y</a>',
    )
    body = Article.objects.get().body
    assert "script" not in body and "onmouseover" not in body and "javascript" not in body


def test_substantive_update_tick_moves_the_updated_on_time(desk, world):
    new_story(desk, world, make_author())
    story = Article.objects.get()
    change_url = f"/admin/articles/article/{story.pk}/change/"
    post_form(desk, change_url, headline="Typo fixed")
    story.refresh_from_db()
    assert story.updated_at is None
    post_form(desk, change_url, mark_updated="on")
    story.refresh_from_db()
    assert story.updated_at is not None and story.is_updated


def test_story_list_costs_the_same_queries_for_many_rows(desk, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert desk.get("/admin/articles/article/").status_code == 200
        return len(queries)

    make_article(world, authors=[make_author()], tags=["a"])
    few = count()
    for n in range(15):
        make_article(world, authors=[make_author(), make_author()], tags=[f"tag{n}", "b"])
    assert count() == few


def test_the_desk_writes_every_time_as_readers_read_it_and_names_the_zone_once(desk, world):
    story = make_article(world, headline="Polls close", authors=[make_author()])
    listing = desk.get("/admin/articles/article/").content.decode()
    assert reader_time(story.published_at) in listing
    assert reader_time(story.published_at).endswith(" IST")
    assert not re.search(r"\d (a|p)\.m\.", listing)
    form = desk.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert form.count("Times are IST (Asia/Kolkata)") == 1


def test_story_list_filters_by_section_including_subsections(desk, world):
    news = world.parent
    make_article(world, headline="Inside world")
    make_article(make_section("Sport"), headline="Cricket news")
    response = desk.get(f"/admin/articles/article/?section={news.path}")
    assertContains(response, "Inside world")
    assertNotContains(response, "Cricket news")


def test_story_list_filters_by_tag_and_author_and_searches_headlines(desk, world):
    asha = make_author("Asha Menon")
    make_article(world, headline="Monsoon arrives", tags=["monsoon"], authors=[asha])
    make_article(world, headline="Budget passed", tags=["budget"])
    assertNotContains(desk.get("/admin/articles/article/?tag=monsoon"), "Budget passed")
    assertNotContains(
        desk.get(f"/admin/articles/article/?authors__id__exact={asha.pk}"), "Budget passed"
    )
    response = desk.get("/admin/articles/article/?q=monsoon")
    assertContains(response, "Monsoon arrives")
    assertNotContains(response, "Budget passed")


def test_tag_picker_suggests_existing_tags(desk):
    make_article(tags=["monsoon", "monsoon session", "cricket"])
    response = desk.get("/admin/articles/article/tags/autocomplete/?term=mons")
    assert [r["text"] for r in response.json()["results"]] == ["monsoon", "monsoon session"]


def test_byline_author_picker_finds_people_and_desks(desk):
    make_author("Asha Menon")
    make_author("Asia Desk", kind="desk")
    make_author("Dev Khanna")
    response = desk.get(
        "/admin/autocomplete/",
        {"term": "as", "app_label": "articles", "model_name": "byline", "field_name": "author"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Asha Menon", "Asia Desk"]


def test_tag_picker_refuses_staff_without_story_permissions(client):
    from django.contrib.auth.models import User

    client.force_login(
        User.objects.create_user("intern", password="x-long-password", is_staff=True)
    )
    response = client.get("/admin/articles/article/tags/autocomplete/?term=a")
    assert response.status_code == 403


def test_image_upload_reads_size_and_lists_a_thumbnail(desk, editor):
    upload = SimpleUploadedFile("harbour.jpg", image_bytes((800, 450)), "image/jpeg")
    response = desk.post(
        "/admin/articles/image/add/",
        {
            "file": upload,
            "title": "Harbour at dawn",
            "alt_text": "Boats in a harbour",
            "caption": "Fishing boats return.",
            "credit": "Staff photographer",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.uploaded_by) == (800, 450, editor)
    assertContains(desk.get("/admin/articles/image/"), f'src="{image.file.url}"')


def test_image_upload_that_is_not_a_picture_is_refused_and_loses_nothing(desk):
    fake = SimpleUploadedFile("report.jpg", b"%PDF-1.7 quarterly report", "image/jpeg")
    response = desk.post(
        "/admin/articles/image/add/",
        {
            "file": fake,
            "title": "Quarterly chart",
            "alt_text": "Bar chart of sales",
            "caption": "",
            "credit": "Business Desk",
            "_save": "Save",
        },
    )
    assertContains(response, "“report.jpg” is not a picture")
    assertContains(response, "Quarterly chart")
    assertContains(response, "Bar chart of sales")
    assert not Image.objects.exists()


def test_image_in_a_format_readers_cannot_get_is_refused_with_the_reason(desk):
    scan = SimpleUploadedFile("scan.tif", image_bytes(image_format="TIFF"), "image/tiff")
    response = desk.post(
        "/admin/articles/image/add/",
        {
            "file": scan,
            "title": "Scanned letter",
            "alt_text": "A typed letter",
            "caption": "",
            "credit": "Archive",
            "_save": "Save",
        },
    )
    assertContains(response, f"is a TIFF file; upload a {uploads.accepted_formats()}")
    assertContains(response, "Scanned letter")
    assert not Image.objects.exists()


def test_editors_cannot_change_ad_markup(desk):
    assert desk.get("/admin/articles/adslot/add/").status_code == 403
    response = desk.post(
        "/admin/articles/adslot/add/",
        {
            "name": "header",
            "markup": "<meta http-equiv=refresh content=0;url=https://x>",
            "is_active": "on",
        },
    )
    assert response.status_code == 403
    assert not AdSlot.objects.exists()


def test_advertising_staff_place_ad_markup(client):
    from django.contrib.auth.models import Group, User

    seller = User.objects.create_user("ads", password="x-long-password", is_staff=True)
    seller.groups.add(Group.objects.get(name="Advertising"))
    client.force_login(seller)
    response = client.post(
        "/admin/articles/adslot/add/",
        {
            "name": "header",
            "section": "",
            "markup": "<div>Sponsor</div>",
            "is_active": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert AdSlot.objects.get().markup == "<div>Sponsor</div>"
    assert client.get("/admin/articles/article/").status_code == 403


def test_tag_without_a_letter_or_digit_is_refused(desk, world):
    response = new_story(desk, world, make_author(), tags=["!!!"])
    assertContains(response, "needs at least one letter or digit")
    assert not Article.objects.exists()


def test_section_added_in_the_desk_takes_its_place_in_the_tree(desk, world):
    response = desk.post(
        "/admin/articles/section/add/",
        {
            "name": "Asia",
            "slug": "asia",
            "parent": str(world.pk),
            "position": "0",
            "description": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    asia = Section.objects.get(slug="asia")
    assert asia.path == "news/world/asia"
    assertContains(desk.get("/admin/articles/section/"), "— — Asia")


def test_view_on_site_appears_only_for_published_stories(desk, world):
    live = make_article(world)
    draft = make_article(world, status=Article.Status.DRAFT)
    assertContains(desk.get(f"/admin/articles/article/{live.pk}/change/"), "View on site")
    assertNotContains(desk.get(f"/admin/articles/article/{draft.pk}/change/"), "View on site")


def test_story_form_offers_a_real_rich_text_editor(desk, editor):
    html = desk.get(ADD_URL).content.decode()
    assert "django_prose_editor/editor.js" in html
    assert "data-django-prose-editor-configurable" in html


def test_an_update_cannot_carry_a_new_expiry_and_the_typing_survives(desk, world):
    story = make_article(world, authors=[make_author()], headline="Polls open")
    url = f"/admin/articles/article/{story.pk}/change/"
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    day, time = later.strftime("%Y-%m-%d"), later.strftime("%H:%M:%S")
    response = post_form(
        desk,
        url,
        "_schedule_update",
        headline="Polls close with record turnout",
        update_at_0=day,
        update_at_1=time,
        expires_at_0=day,
        expires_at_1=time,
    )
    assertContains(response, "Save this on its own: a scheduled update carries content only.")
    assertContains(response, "Polls close with record turnout")
    assert not story.scheduled_updates.exists()
    story.refresh_from_db()
    assert (story.headline, story.expires_at) == ("Polls open", None)


def test_the_story_form_never_offers_to_delete_a_picture_section_or_author(desk, world):
    """The ✕ beside a chooser would delete the library's own picture (or
    section, or author) for every story; it is done on the library's page."""
    story = make_article(world, authors=[make_author()], lead_image=make_image())

    form = desk.get(f"/admin/articles/article/{story.pk}/change/").content.decode()

    assert "delete-related" not in form
    assert 'id="change_id_lead_image"' in form


def test_a_headline_typed_over_two_lines_is_saved_as_one(desk, world):
    story = make_article(world, authors=[make_author()])

    post_form(
        desk,
        f"/admin/articles/article/{story.pk}/change/",
        headline="Ferries resume\r\n  after the storm",
    )

    story.refresh_from_db()
    assert story.headline == "Ferries resume after the storm"


def test_story_form_costs_the_same_queries_for_many_bylines_tags_and_links(desk, world):
    def count(story):
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(f"/admin/articles/article/{story.pk}/change/").status_code == 200
        return len(queries)

    few = make_article(world, authors=[make_author()], tags=["a"])
    many = make_article(world, authors=[make_author() for _ in range(5)], tags=list("bcdefgh"))
    for _ in range(5):
        make_link(many, target=make_article(world))
    make_link(few, target=make_article(world))

    assert count(many) == count(few)


def test_story_list_quick_views_open_the_lists_editors_use_most(desk, editor, world):
    noon_in_delhi = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)
    with time_machine.travel(noon_in_delhi, tick=False):
        mine = make_article(world, headline="My own draft", status="draft", created_by=editor)
        make_article(world, headline="Someone else's draft", status="draft")
        make_article(world, headline="Waiting for an editor", status="in_review")
        make_article(
            world, headline="Out this evening", published_at=noon_in_delhi + timedelta(hours=8)
        )
        make_article(world, headline="Out tomorrow", published_at=noon_in_delhi + timedelta(days=1))
        make_article(world, headline="Read now", published_at=noon_in_delhi - timedelta(hours=1))

        def listed(view: str) -> set[str]:
            page = desk.get(f"/admin/articles/article/?view={view}")
            return {story.headline for story in page.context["cl"].result_list}

        assert listed("mine") == {mine.headline}
        assert listed("review") == {"Waiting for an editor"}
        assert listed("today") == {"Out this evening"}
        assert listed("live") == {"Read now"}
        tabs = desk.get("/admin/articles/article/?view=today").content.decode()
        assert re.search(r'<a href="\?view=today" aria-current="page">Scheduled today</a>', tabs)


def test_story_list_shows_a_thumbnail_and_a_state_badge(desk, world):
    picture = make_image()
    make_article(world, headline="With a picture", lead_image=picture, authors=[make_author()])
    make_article(world, headline="Sent for review", status="in_review")

    listing = desk.get("/admin/articles/article/").content.decode()

    assert f'class="story-thumbnail" src="{small_rendition_url(picture, "1:1")}"' in listing
    assert '<span class="state-badge state-live">Live</span>' in listing
    assert '<span class="state-badge state-in_review">In review</span>' in listing


def test_date_boxes_show_and_take_dates_as_the_desk_writes_them(desk, world):
    story = make_article(world, authors=[make_author()], headline="Polls open")
    url = f"/admin/articles/article/{story.pk}/change/"
    shown = timezone.localtime(story.published_at)

    form = desk.get(url).content.decode()
    assert f'name="published_at_0" value="{shown:%B %d, %Y}"' in form

    later = timezone.localtime(timezone.now() + timedelta(days=3))
    post_form(desk, url, expires_at_0=f"{later:%B %d, %Y}", expires_at_1="18:30:00")
    story.refresh_from_db()
    expires = timezone.localtime(story.expires_at)
    assert (expires.date(), expires.hour, expires.minute) == (later.date(), 18, 30)
