"""Around the story: a box about each of its authors, and related stories
by the tags it shares with them."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author
from articles.services import workflow

from .factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def author_box(html: str) -> str:
    return html.split('class="author-box"', 1)[1].split("</section>", 1)[0]


def related_headlines(html: str) -> list[str]:
    if 'class="related"' not in html:
        return []
    listed = html.split('class="related"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', listed)


def test_each_author_has_a_box_with_photo_role_bio_and_link(client, world):
    asha = make_author(
        "Asha Rao",
        role="Chief political correspondent",
        bio="Asha has covered Parliament for twelve years. <b>Bold</b> claims are checked.",
        photo=make_image(alt_text="Asha Rao"),
    )
    desk = make_author("News Desk", kind=Author.Kind.DESK)
    story = make_article(world, authors=[asha, desk])
    box = author_box(client.get(story.get_absolute_url()).content.decode())
    assert "Chief political correspondent" in box
    assert "Asha has covered Parliament" in box
    assert "&lt;b&gt;Bold&lt;/b&gt;" in box
    assert 'class="author-card-photo"' in box
    assert f'href="{asha.get_absolute_url()}">More by Asha Rao' in box
    # A desk byline is not a person to introduce.
    assert "News Desk" not in box


def test_a_long_bio_is_cut_short_in_the_box(client, world):
    writer = make_author("Long Writer", bio="word " * 200)
    story = make_article(world, authors=[writer])
    box = author_box(client.get(story.get_absolute_url()).content.decode())
    assert len(re.search(r'author-card-bio">([^<]*)<', box).group(1)) <= 240


def test_related_stories_share_the_most_tags_first(client, world):
    sport = make_section("Sport")
    business = make_section("Business")
    story = make_article(world, tags=["budget", "tax", "farmers"])
    one = make_article(sport, headline="Shares one tag", tags=["tax"])
    two = make_article(business, headline="Shares two tags", tags=["tax", "farmers"])
    make_article(business, headline="Shares nothing", tags=["cricket"])
    older_two = make_article(
        sport,
        headline="Older, shares two tags",
        tags=["budget", "farmers"],
        published_at=timezone.now() - timedelta(days=30),
    )
    shown = related_headlines(client.get(story.get_absolute_url()).content.decode())
    assert shown == [two.headline, older_two.headline, one.headline]


def test_related_stories_are_live_ones_not_already_listed_from_the_section(client, world):
    elsewhere = make_section("Elsewhere")
    story = make_article(world, tags=["monsoon"])
    make_article(world, headline="Same section, same tag", tags=["monsoon"])
    make_article(
        elsewhere, headline="A draft on the monsoon", tags=["monsoon"], status=Article.Status.DRAFT
    )
    live = make_article(elsewhere, headline="Monsoon elsewhere", tags=["monsoon"])
    html = client.get(story.get_absolute_url()).content.decode()
    # The one in the same section is under "More from World" already.
    assert related_headlines(html) == [live.headline]
    assert "A draft on the monsoon" not in html


def test_a_story_without_tags_has_no_related_stories(client, world):
    story = make_article(world)
    make_article(make_section("Elsewhere"), tags=["anything"])
    assert related_headlines(client.get(story.get_absolute_url()).content.decode()) == []


def test_related_stories_follow_a_story_taken_down_or_expiring(client, world, editor):
    elsewhere = make_section("Elsewhere")
    story = make_article(world, tags=["budget"])
    withdrawn = make_article(elsewhere, headline="To be withdrawn", tags=["budget"])
    expiring = make_article(
        elsewhere,
        headline="Expires in a moment",
        tags=["budget"],
        expires_at=timezone.now() + timedelta(seconds=2),
    )
    address = story.get_absolute_url()
    assert related_headlines(client.get(address).content.decode()) == [
        withdrawn.headline,
        expiring.headline,
    ]
    workflow.article_unpublish(article=withdrawn, user=editor)
    assert related_headlines(client.get(address).content.decode()) == [expiring.headline]
    time.sleep(max(0.0, (expiring.expires_at - timezone.now()).total_seconds()) + 0.1)
    assert related_headlines(client.get(address).content.decode()) == []
