"""The demo newsroom that `make run` serves. Only the renditions test makes
the pictures' renditions (seconds of work); the others leave them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains

from articles.demo import content
from articles.models import Article, Author, Image, RelatedLink, ScheduledUpdate, Section
from articles.pictures import renditions

from .factories import card_headlines

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "sections": list(Section.objects.values_list("path", "tree_order")),
        "authors": list(Author.objects.values_list("slug", "name", "user_id")),
        "images": list(Image.objects.values_list("title", "file", "width")),
        "articles": list(
            Article.objects.values_list("slug", "modified_at", "published_at", "updated_at")
        ),
        "links": list(RelatedLink.objects.values_list("article_id", "target_id", "url")),
    }


def log_in(client, username: str, password: str) -> bool:
    """Through the desk's login page, as a person does: the login throttle
    needs the request, which `client.login()` does not pass."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", renditions=False, verbosity=0)
    first = snapshot()
    call_command("load_demo", renditions=False, verbosity=0)
    assert snapshot() == first


def test_demo_newsroom_has_every_kind_of_thing_a_story_can_carry(client):
    call_command("load_demo", renditions=False, verbosity=0)
    assert Section.objects.filter(depth=2).exists()
    assert Article.objects.visible().count() >= 12
    assert set(Author.objects.values_list("kind", flat=True)) == {"person", "desk"}
    assert Article.objects.filter(lead_image__isnull=False).count() >= 10
    assert Article.objects.exclude(tags=None).count() == Article.objects.count()
    assert RelatedLink.objects.filter(target__isnull=False).exists()
    assert RelatedLink.objects.filter(target__isnull=True).exists()
    # One story updated since it went live, and the live blog by its entries.
    updated = {story.slug for story in Article.objects.all() if story.is_updated}
    assert updated == {
        "mumbai-speeds-up-drain-desilting-before-monsoon",
        content.LIVE_BLOG["slug"],
    }
    assert Article.objects.visible().filter(body_picture_links__isnull=False).exists()


def test_demo_editor_can_log_in_to_the_desk(client):
    call_command("load_demo", renditions=False, verbosity=0)
    assert log_in(client, "editor", "newsroom-editor")
    assert client.get("/admin/articles/article/").status_code == 200


def test_every_live_demo_story_page_opens(client):
    call_command("load_demo", renditions=False, verbosity=0)
    for story in Article.objects.visible().select_related("section"):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_demo_desk_has_its_days_work_on_the_dashboard(client):
    call_command("load_demo", renditions=False, verbosity=0)
    assert log_in(client, "editor", "newsroom-editor")
    board = client.get("/admin/")
    in_review = Article.objects.get(status=Article.Status.IN_REVIEW)
    scheduled = Article.objects.scheduled().get()
    update = ScheduledUpdate.objects.pending().get()
    assert timedelta(hours=2) < scheduled.published_at - timezone.now() < timedelta(hours=4)
    assert update.due_at > timezone.now()
    for headline in (in_review.headline, scheduled.headline, update.article.headline):
        assertContains(board, escape(headline))
    assert board.context["desk"]["overdue"] == []


def test_demo_reporter_writes_but_cannot_publish(client):
    call_command("load_demo", renditions=False, verbosity=0)
    assert log_in(client, "reporter", "newsroom-reporter")
    own = Article.objects.get(status=Article.Status.IN_REVIEW)
    assert own.created_by.username == "reporter"
    assert client.get("/admin/articles/article/add/").status_code == 200
    published = Article.objects.visible().first()
    before = (published.headline, published.version)
    response = client.post(f"/admin/articles/article/{published.pk}/change/", {"_publish": "x"})
    assertContains(response, "Only editors can do that")
    published.refresh_from_db()
    assert (published.headline, published.version) == before


def test_demo_story_carries_a_correction_readers_see(client):
    call_command("load_demo", renditions=False, verbosity=0)
    story = Article.objects.get(corrections__isnull=False)
    assertContains(client.get(story.get_absolute_url()), "It weighed 20 kilograms.")


def test_every_demo_picture_has_its_renditions_before_the_first_reader(client):
    call_command("load_demo", verbosity=0)
    for image in Image.objects.all():
        assert renditions.is_current(image)
    story = Article.objects.visible().filter(lead_image__isnull=False).first()
    assertContains(client.get(story.get_absolute_url()), '<source type="image/webp"')
    essay = Article.objects.visible().filter(body_picture_links__isnull=False).first()
    page = client.get(essay.get_absolute_url()).content.decode()
    body = page[page.index('class="story-body"') :]
    assert '<figure class="body-picture">' in body and "-full-1280.webp" in body


def test_the_cricket_ground_shows_the_green_outfield_its_alt_text_names():
    """The ground's lower third is a striped green outfield with a pale
    pitch, as its alt text says, not a blank band."""
    from io import BytesIO

    from PIL import Image as PILImage

    from articles.demo.content import IMAGES
    from articles.demo.pictures import draw_picture

    ground = next(image for image in IMAGES if image["key"] == "kozhikode-ground")
    assert "green outfield" in ground["alt"]
    picture = PILImage.open(
        BytesIO(draw_picture(ground["key"], ground["scene"], ground["palette"]))
    )
    picture = picture.convert("RGB")
    outfield = [picture.getpixel((x, y)) for x in range(0, 600, 50) for y in range(600, 900, 20)]
    assert all(g > r + 40 and g > b + 20 for r, g, b in outfield)
    assert len({pixel for pixel in outfield}) >= 2  # the mowing stripes
    r, g, b = picture.getpixel((800, 800))
    assert min(r, g, b) > 200  # the pitch


def test_demo_front_page_is_arranged_and_a_breaking_story_has_the_banner(client):
    call_command("load_demo", renditions=False, verbosity=0)
    home = client.get("/").content.decode()
    cards = card_headlines(home)
    placed = [Article.objects.get(slug=slug).headline for slug, _ in content.FRONTS[""]]
    assert cards[: len(placed)] == placed
    banner = home.split('class="breaking"', 1)[1].split("</aside>", 1)[0]
    assert content.BREAKING["headline"].split(";")[0] in banner
    news = client.get("/news/").content.decode()
    lead = Article.objects.get(slug=content.FRONTS["news"][0][0]).headline
    assert card_headlines(news)[0] == lead


def test_demo_front_page_and_stories_show_what_is_most_read(client):
    call_command("load_demo", renditions=False, verbosity=0)
    home = client.get("/").content.decode()
    listed = home.split('class="most-read"', 1)[1].split("</section>", 1)[0]
    # Read most in the last 24 hours; reads 30 hours ago no longer count.
    assert listed.index("Mumbai races to clear") < listed.index("Fire at a Mumbai cloth market")
    assert "Himachal apple growers" not in listed.split("</li>")[0]
    story = Article.objects.get(slug="himachal-apple-growers-turn-to-hail-nets")
    assert "Most read in News" in client.get(story.get_absolute_url()).content.decode()


def test_demo_has_a_live_blog_with_a_pinned_entry_and_key_events(client):
    call_command("load_demo", renditions=False, verbosity=0)
    blog = Article.objects.get(slug=content.LIVE_BLOG["slug"])
    html = client.get(blog.get_absolute_url()).content.decode()
    assert html.count('data-entry="') == len(content.LIVE_BLOG["entries"]) + 1
    assert "What we know so far" in html.split('class="live-pinned"', 1)[1]
    key_events = html.split('class="key-events"', 1)[1].split("</nav>", 1)[0]
    assert "Orange alert" in key_events and "Two subways closed" in key_events
    assert "js/live.js" in html
