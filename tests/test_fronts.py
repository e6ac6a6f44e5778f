"""Front pages the desk arranges: the lead and top stories of the home page
and of each section's front, in the editors' order, each until its pin runs
out; the rest by recency."""

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, FrontSlot
from articles.services import workflow
from articles.services.fronts import Placing, front_arrange

from .factories import card_headlines, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def arrange(section, *stories, user, pins=None):
    pins = pins or {}
    placings = [Placing(story, pins.get(story.pk)) for story in stories]
    return front_arrange(section=section, placings=placings, user=user)


@pytest.fixture
def news(world):
    return world.parent


def test_the_desks_stories_lead_the_home_page_in_its_order(client, world, editor):
    older = make_article(
        world, headline="Older analysis", published_at=timezone.now() - timedelta(days=2)
    )
    oldest = make_article(
        world, headline="Oldest feature", published_at=timezone.now() - timedelta(days=3)
    )
    for n in range(6):
        make_article(world, headline=f"Fresh brief {n}")
    arrange(None, oldest, older, user=editor)
    shown = card_headlines(client.get("/").content.decode())
    assert shown[:2] == ["Oldest feature", "Older analysis"]
    # The newest fill the rest of the top stories, each story shown once.
    assert shown[2:5] == ["Fresh brief 0", "Fresh brief 1", "Fresh brief 2"]
    assert len(shown) == len(set(shown))


def test_ordering_again_changes_the_lead_at_once_even_from_the_page_cache(reader, world, editor):
    first = make_article(world, headline="Vote count begins")
    second = make_article(world, headline="Turnout at a record")
    arrange(None, first, second, user=editor)
    assert card_headlines(reader.get("/").text)[:2] == ["Vote count begins", "Turnout at a record"]
    assert reader.get("/").cached
    arrange(None, second, first, user=editor)
    page = reader.get("/")
    assert not page.cached
    assert card_headlines(page.text)[:2] == ["Turnout at a record", "Vote count begins"]


def test_a_pinned_story_leaves_its_place_when_the_pin_runs_out(reader, world, editor):
    make_article(world, headline="The newest story")
    pinned = make_article(
        world, headline="Pinned explainer", published_at=timezone.now() - timedelta(days=5)
    )
    until = timezone.now() + timedelta(seconds=2)
    arrange(None, pinned, user=editor, pins={pinned.pk: until})
    page = reader.get("/")
    assert card_headlines(page.text)[0] == "Pinned explainer"
    kept = int(page.headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 <= kept <= 2
    time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 0.1)
    assert card_headlines(reader.get("/").text)[0] == "The newest story"


def test_a_story_unpublished_leaves_the_front_and_the_next_takes_the_lead(client, world, editor):
    lead = make_article(world, headline="Lead that is withdrawn")
    make_article(world, headline="Another story", published_at=timezone.now() - timedelta(hours=1))
    arrange(None, lead, user=editor)
    workflow.article_unpublish(article=lead, user=editor)
    assert card_headlines(client.get("/").content.decode())[0] == "Another story"


def test_a_section_front_leads_with_its_arrangement_and_later_pages_keep_recency(
    client, world, news, editor, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 3}
    old = make_article(
        world, headline="Long read from last week", published_at=timezone.now() - timedelta(days=7)
    )
    for n in range(5):
        make_article(world, headline=f"World brief {n}")
    arrange(news, old, user=editor)
    first = card_headlines(client.get("/news/").content.decode())
    assert first == ["Long read from last week", "World brief 0", "World brief 1", "World brief 2"]
    # Page 2 goes on where page 1's newest stopped; the placed story is in
    # its own place in the archive too.
    assert card_headlines(client.get("/news/?page=2").content.decode()) == [
        "World brief 3",
        "World brief 4",
        "Long read from last week",
    ]
    # A subsection has its own front, and the parent's arrangement is not it.
    assert card_headlines(client.get("/news/world/").content.decode())[0] == "World brief 0"


def test_a_section_front_takes_only_its_own_stories(world, editor):
    sport = make_section("Sport")
    match = make_article(sport, headline="Cup final tonight")
    with pytest.raises(ValidationError) as refused:
        arrange(world, match, user=editor)
    assert "“Cup final tonight” is in Sport, not in News › World" in " ".join(
        refused.value.messages
    )
    assert not FrontSlot.objects.exists()


@pytest.mark.parametrize(
    "problem, expected",
    [
        ("draft", "is not published"),
        ("expired", "is not published"),
        ("twice", "is placed twice"),
        ("past pin", "which has passed"),
        ("too many", "at most 4 top stories"),
    ],
)
def test_an_arrangement_readers_could_not_get_is_refused_and_the_front_is_kept(
    world, editor, problem, expected
):
    kept = make_article(world, headline="Kept lead")
    arrange(None, kept, user=editor)
    story = make_article(world, headline="Asked for")
    placings = [Placing(story)]
    if problem == "draft":
        story.status = Article.Status.DRAFT
        story.save()
    elif problem == "expired":
        Article.objects.filter(pk=story.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif problem == "twice":
        placings = [Placing(story), Placing(story)]
    elif problem == "past pin":
        placings = [Placing(story, timezone.now() - timedelta(minutes=1))]
    else:
        placings = [Placing(make_article(world)) for _ in range(6)]
    with pytest.raises(ValidationError) as refused:
        front_arrange(section=None, placings=placings, user=editor)
    assert expected in " ".join(refused.value.messages)
    assert list(FrontSlot.objects.values_list("article__headline", flat=True)) == ["Kept lead"]


def test_a_reporter_cannot_arrange_a_front_by_any_path(client, world, reporter, reporter_desk):
    story = make_article(world, headline="Reporter's favourite")
    with pytest.raises(PermissionDenied):
        arrange(None, story, user=reporter)
    assert reporter_desk.get("/admin/articles/frontslot/").status_code == 403
    assert reporter_desk.get("/admin/articles/frontslot/home/").status_code == 403
    posted = reporter_desk.post("/admin/articles/frontslot/home/", form_data([(story, 1, "")]))
    assert posted.status_code == 403
    assert "Front pages" not in reporter_desk.get("/admin/").content.decode()
    assert not FrontSlot.objects.exists()


def form_data(rows, total=5) -> dict[str, str]:
    """The arrangement form as posted: (story, place, pinned date) rows."""
    data = {
        "front-TOTAL_FORMS": str(total),
        "front-INITIAL_FORMS": "0",
        "front-MIN_NUM_FORMS": "0",
        "front-MAX_NUM_FORMS": "5",
    }
    for n, (story, place, pin_date) in enumerate(rows):
        data[f"front-{n}-article"] = str(story.pk if hasattr(story, "pk") else story)
        data[f"front-{n}-ORDER"] = str(place)
        data[f"front-{n}-pinned_until_0"] = pin_date
        data[f"front-{n}-pinned_until_1"] = "18:00" if pin_date else ""
    return data


def test_an_editor_orders_the_home_page_by_number_on_the_desk(desk, world):
    first = make_article(world, headline="Numbered second")
    second = make_article(world, headline="Numbered first")
    index = desk.get("/admin/articles/frontslot/").content.decode()
    assert "Home page" in index and "News › World" in index
    page = desk.get("/admin/articles/frontslot/home/")
    assert page.status_code == 200
    assert page.content.decode().count('class="placing"') == 5
    saved = desk.post(
        "/admin/articles/frontslot/home/", form_data([(first, 2, ""), (second, 1, "")])
    )
    assert saved.status_code == 302
    order = FrontSlot.objects.filter(section=None).order_by("position")
    assert [slot.article.headline for slot in order] == ["Numbered first", "Numbered second"]
    again = desk.get("/admin/articles/frontslot/home/").content.decode()
    assert "The home page is arranged." in again
    assert re.search(r"<strong>Lead:</strong> Numbered first", again)


def test_a_refused_arrangement_comes_back_with_the_reason_and_the_rows_kept(desk, world):
    live = make_article(world, headline="A live story")
    draft = make_article(world, headline="An unfinished draft", status=Article.Status.DRAFT)
    answer = desk.post(
        "/admin/articles/frontslot/home/", form_data([(live, 1, ""), (draft.pk, 2, "")])
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    # The draft is not among the choices, so the form says so before the
    # service is asked; the live story's row is still filled in.
    assert "Select a valid choice" in html
    assert f'value="{live.pk}" selected' in html
    assert not FrontSlot.objects.exists()


@pytest.mark.parametrize(
    "rows, extra, said",
    [
        ([("not-a-number", 1, "")], {}, "Select a valid choice"),
        ([(None, "first", "")], {}, "Enter a whole number"),
        ([(None, 1, "31/31/2026")], {}, "Enter a valid date"),
        ([(None, 1, "")], {"front-TOTAL_FORMS": "500"}, "Please submit at most 5 forms"),
    ],
)
def test_malformed_rows_are_refused_with_a_message(desk, world, rows, extra, said):
    story = make_article(world)
    rows = [(story if who is None else who, place, pin) for who, place, pin in rows]
    answer = desk.post("/admin/articles/frontslot/home/", {**form_data(rows), **extra})
    assert answer.status_code == 200
    assert said in answer.content.decode()
    assert not FrontSlot.objects.exists()


def test_a_story_put_back_up_does_not_return_to_its_old_place(client, world, editor):
    lead = make_article(world, headline="Pulled for a legal check", authors=[make_author()])
    make_article(world, headline="Newer news", published_at=timezone.now())
    arrange(None, lead, user=editor)
    workflow.article_unpublish(article=lead, user=editor)
    lead.refresh_from_db()
    workflow.article_publish(article=lead, user=editor)
    assert card_headlines(client.get("/").content.decode())[0] == "Newer news"
    assert not FrontSlot.objects.exists()


def test_the_desk_has_no_page_that_changes_a_place_past_the_service(desk, world, editor):
    story = make_article(world)
    arrange(None, story, user=editor)
    slot = FrontSlot.objects.get()
    assert desk.get(f"/admin/articles/frontslot/{slot.pk}/change/").status_code == 404
    assert (
        desk.post(f"/admin/articles/frontslot/{slot.pk}/change/", {"position": 3}).status_code
        == 404
    )
    assert desk.get("/admin/articles/frontslot/add/").status_code == 404
