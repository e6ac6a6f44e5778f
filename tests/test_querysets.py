from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_drafts_are_not_visible():
    make_article(status=Article.Status.DRAFT)
    assert not Article.objects.visible().exists()


def test_story_with_a_future_publication_time_is_invisible_until_then():
    now = timezone.now()
    story = make_article(published_at=now + timedelta(minutes=10))
    assert story not in Article.objects.visible(now)
    assert story in Article.objects.visible(now + timedelta(minutes=10))


def test_section_includes_its_subsections_stories_but_not_lookalikes():
    news = make_section("News")
    world = make_section("World", parent=news)
    lookalike = make_section("News Extra", slug="news-extra")
    own, nested, other = make_article(news), make_article(world), make_article(lookalike)
    in_news = set(Article.objects.in_section(news))
    assert {own, nested} == in_news
    assert other not in in_news


def test_newest_per_group_keeps_the_newest_few_of_each_section_tree():
    now = timezone.now()
    news, sport = make_section("News"), make_section("Sport")
    world = make_section("World", parent=news)
    stories = [make_article(world, published_at=now - timedelta(hours=h)) for h in range(1, 5)]
    match = make_article(sport, published_at=now - timedelta(hours=9))
    latest = list(
        Article.objects.visible()
        .newest_first()
        .newest_per_group([Q(section__root=news), Q(section__root=sport)], 2)
    )
    assert latest == [stories[0], stories[1], match]
