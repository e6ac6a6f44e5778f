"""Whatever is typed into the desk's addresses, forms and search boxes, the
desk answers with a page and a reason, never a server error, and keeps
the work (and the database) bounded."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.asserts import assertContains

from articles.models import Article

from .factories import make_article, make_author, make_image
from .forms import change_url, opened_form, post_form

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
PASTED = " ".join(f"word{n}" for n in range(1000))


@pytest.fixture
def chief(client, world):
    """A superuser: every page of the desk is theirs to try."""
    client.raise_request_exception = False
    client.force_login(User.objects.create_superuser("chief", password="a-long-password"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/add/?section=abc",
        f"/admin/articles/article/add/?section={HUGE}",
        "/admin/articles/article/add/?lead_image=abc",
        "/admin/articles/article/add/?edited_by=1.5",
        "/admin/articles/article/add/?published_at=notadate",
        "/admin/articles/article/add/?published_at=0001-01-01T00:00:00",
        "/admin/articles/article/?published_at__year=99999",
        "/admin/articles/article/?published_at__year=9999",
        "/admin/articles/article/?published_at__year=1",
        "/admin/articles/article/?published_at__year=1&published_at__month=1&published_at__day=1",
        "/admin/articles/article/?published_at__gte=0001-01-01",
        "/admin/articles/image/?uploaded_at__year=9999",
        "/admin/articles/image/?uploaded_at__gte=0001-01-01",
        "/admin/articles/scheduledupdate/?due_at__gte=0001-01-01",
        "/admin/articles/article/?published_at__gte=notadate",
        "/admin/articles/article/?section=../..",
        f"/admin/articles/article/{HUGE}/change/",
        "/admin/articles/article/abc/history/",
        f"/admin/articles/article/{HUGE}/history/",
        "/admin/articles/article/abc/notes/",
        f"/admin/articles/article/{HUGE}/withdraw/",
        f"/admin/articles/image/{HUGE}/shown/",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=section&page=x",
    ],
)
def test_a_mistyped_address_gets_a_page_not_a_server_error(chief, url):
    assert chief.get(url).status_code < 500


@pytest.mark.parametrize(
    "url",
    [
        "/tag/%00/",
        "/tag/a%01b/",
        "/feeds/tag/%00/rss.xml",
        "/feeds/tag/a%1fb/atom.xml",
        "/sitemap-tags-99999999999999999999.xml",
        "/sitemap-stories-99999999999999999999.xml",
        "/news/world/a-story-99999999999999999999/",
        "/news/world/a-story-9223372036854775808/",
        "/news/world/a-story-000000000000000000000000000001/",
    ],
)
def test_a_readers_mistyped_address_is_not_found_not_a_server_error(client, url):
    assert client.get(url).status_code == 404


def test_a_prefilled_value_that_does_not_fit_is_left_out_with_a_note(chief, world):
    url = "/admin/articles/article/add/?section=abc&headline=Storm+warning"
    page = chief.get(url)
    assertContains(page, "The address pre-filled “Section” with a value it cannot take")
    form = opened_form(chief, url)
    assert (form["headline"], form["section"]) == ("Storm warning", [])


def test_a_prefilled_value_that_fits_is_kept(chief, world):
    form = opened_form(chief, f"/admin/articles/article/add/?section={world.pk}")
    assert form["section"] == str(world.pk)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/image/",
        "/admin/articles/image/picker/",
        "/admin/articles/author/",
        "/admin/articles/section/",
        "/admin/articles/scheduledupdate/",
        "/admin/taggit/tag/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ],
)
def test_a_pasted_page_in_a_search_box_is_searched_by_its_first_words(chief, world, url):
    make_article(world, headline="word0 word1 rally in the capital")
    response = chief.get(url, {"q": PASTED})
    assert response.status_code == 200


def test_a_pasted_page_in_an_autocomplete_is_bounded_too(chief, world):
    make_image(title="word0 word1 word2 word3 word4 word5 word6 word7 crowd")
    found = chief.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": PASTED,
        },
    )
    titles = [result["text"] for result in found.json()["results"]]
    assert titles == ["word0 word1 word2 word3 word4 word5 word6 word7 crowd"]
    tags = chief.get("/admin/articles/article/tags/autocomplete/", {"term": "x" * 10_000})
    assert tags.status_code == 200 and tags.json()["results"] == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("section", "abc"),
        ("section", HUGE),
        ("lead_image", HUGE),
        ("edited_by", "-1"),
        ("bylines-0-author", HUGE),
        ("related_links-0-target", "abc"),
        ("base_version", "abc"),
        ("base_version", HUGE),
        ("corrections-0-kind", "not-a-kind"),
    ],
)
def test_a_malformed_id_posted_in_the_story_form_is_refused_and_the_text_kept(
    chief, world, field, value
):
    story = make_article(world, status=Article.Status.DRAFT, authors=[make_author()])
    extra = {"related_links-TOTAL_FORMS": "1"} if field.startswith("related") else {}
    if field.startswith("corrections"):
        extra = {"corrections-TOTAL_FORMS": "1", "corrections-0-text": "A correction."}
    response = post_form(
        chief, change_url(story), headline="Typed before the odd id", **extra, **{field: value}
    )
    assert response.status_code == 200
    assertContains(response, "Typed before the odd id")
    story.refresh_from_db()
    assert story.headline != "Typed before the odd id"


@pytest.mark.parametrize(
    "day, time",
    [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:59"), ("1899-12-31", "12:00:00")],
)
def test_a_publication_time_out_of_range_is_refused_and_the_text_kept(chief, world, day, time):
    story = make_article(world, status=Article.Status.DRAFT, authors=[make_author()])
    response = post_form(
        chief,
        change_url(story),
        button="_schedule",
        headline="Budget session opens",
        published_at_0=day,
        published_at_1=time,
    )
    assertContains(response, "Give a time between the year 1900 and ten years from now.")
    assertContains(response, "Budget session opens")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at is None
    # The list's date filters keep working afterwards.
    assert chief.get("/admin/articles/article/").status_code == 200


def test_an_update_time_out_of_range_is_refused(chief, world):
    story = make_article(world, authors=[make_author()])
    response = post_form(
        chief,
        change_url(story),
        button="_schedule_update",
        headline="Polls close",
        update_at_0="9999-12-31",
        update_at_1="23:00:00",
    )
    assertContains(response, "Give a time between the year 1900 and ten years from now.")
    assert not story.scheduled_updates.exists()


def test_a_restore_of_a_story_that_is_not_there_is_not_a_server_error(chief):
    for story_id in ("abc", HUGE, "12345"):
        response = chief.post(f"/admin/articles/article/{story_id}/history/1/restore/")
        assert response.status_code in (302, 404)


def test_a_guest_posting_garbage_to_the_login_page_gets_the_form_back():
    response = Client().post("/admin/login/", {"username": "x" * 5000, "password": ""})
    assert response.status_code == 200


def test_a_list_filtered_by_a_date_out_of_range_is_shown_without_it_and_says_why(chief, world):
    make_article(world, headline="Budget day")
    response = chief.get("/admin/articles/article/?published_at__year=9999", follow=True)
    assertContains(response, "Dates in a list&#x27;s address must fall between the year 1900")
    assertContains(response, "Budget day")
