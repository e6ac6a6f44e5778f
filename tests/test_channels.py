"""One story's life as every channel tells it: the page, its structured
data, the feeds, the sitemaps and the Google News sitemap, at each moment."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone

from articles.services import workflow

from .factories import edit_story, make_article, make_author

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def channels(client, story) -> dict[str, bool]:
    """Where the story shows, channel by channel."""
    address = f"http://testserver{story.get_absolute_url()}"
    page = client.get(story.get_absolute_url())
    shown = {"page": page.status_code == 200}
    if shown["page"]:
        data = [
            json.loads(block)
            for block in re.findall(
                r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S
            )
        ]
        articles = [item for item in data if item.get("@type") == "NewsArticle"]
        shown["structured data"] = articles[0]["headline"] == story.headline
    feeds = {
        "site feed": "/feeds/rss.xml",
        "section feed": "/feeds/section/news/world/atom.xml",
        "tag feed": "/feeds/tag/monsoon/rss.xml",
    }
    for name, url in feeds.items():
        response = client.get(url)
        shown[name] = response.status_code == 200 and address in response.content.decode()
    for name, url in {
        "stories sitemap": "/sitemap-stories-0.xml",
        "news sitemap": "/sitemap-news.xml",
        "tags sitemap": "/sitemap-tags-0.xml",
    }.items():
        response = client.get(url)
        listed = []
        if response.status_code == 200:
            listed = [loc.text for loc in ElementTree.fromstring(response.content).iter(f"{SM}loc")]
        wanted = "http://testserver/tag/monsoon/" if name == "tags sitemap" else address
        shown[name] = wanted in listed
    return shown


def test_a_scheduled_story_appears_everywhere_at_its_time_and_leaves_when_it_expires(
    client, world, editor
):
    now = timezone.now()
    story = make_article(
        world,
        headline="Monsoon reaches Kerala",
        tags=["monsoon"],
        authors=[make_author("Asha Rao")],
        published_at=now + timedelta(hours=1),
        expires_at=now + timedelta(days=3),
    )

    assert not any(channels(client, story).values())

    with time_machine.travel(now + timedelta(hours=1, seconds=1)):
        assert all(channels(client, story).values()), channels(client, story)

    with time_machine.travel(now + timedelta(hours=50)):
        # Past two days: out of the news sitemap, still everywhere else.
        shown = channels(client, story)
        assert not shown.pop("news sitemap")
        assert all(shown.values()), shown

    with time_machine.travel(now + timedelta(days=3, seconds=1)):
        assert not any(channels(client, story).values())


def test_an_unpublished_story_leaves_every_channel_at_once(client, world, editor):
    story = make_article(
        world, headline="Monsoon reaches Kerala", tags=["monsoon"], authors=[make_author()]
    )
    assert all(channels(client, story).values())

    workflow.article_unpublish(article=story, user=editor)

    assert not any(channels(client, story).values())


def test_an_update_reaches_every_channel_at_once(client, world, editor):
    story = make_article(
        world, headline="Monsoon reaches Kerala", tags=["monsoon"], authors=[make_author()]
    )
    assert all(channels(client, story).values())

    edit_story(story, editor, headline="Monsoon reaches Kerala a week early", mark_updated=True)

    story.refresh_from_db()
    assert all(channels(client, story).values())
    feed = client.get("/feeds/rss.xml").content.decode()
    assert "Monsoon reaches Kerala a week early" in feed
