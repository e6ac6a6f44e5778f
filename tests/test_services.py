from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Section

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_section_path_depth_and_root_follow_the_tree():
    news = make_section("News")
    world = make_section("World", parent=news)
    asia = make_section("Asia", parent=world)
    assert (asia.path, asia.depth, asia.root_id) == ("news/world/asia", 2, news.pk)
    assert str(asia) == "News › World › Asia"
    assert (news.path, news.depth, news.root_id) == ("news", 0, news.pk)


def test_renaming_a_section_moves_its_whole_subtree():
    news = make_section("News")
    world = make_section("World", parent=news)
    make_section("Asia", parent=world)
    news.slug = "headlines"
    services.section_save(section=news)
    assert Section.objects.get(name="Asia").path == "headlines/world/asia"


def test_moving_a_section_changes_its_subtree_root_and_depth():
    news = make_section("News")
    world = make_section("World", parent=news)
    asia = make_section("Asia", parent=world)
    world.parent = None
    services.section_save(section=world)
    asia.refresh_from_db()
    assert (asia.path, asia.depth, asia.root_id) == ("world/asia", 1, world.pk)


def test_sections_sort_in_reading_order_of_the_tree():
    news = make_section("News", position=1)
    sport = make_section("Sport", position=2)
    make_section("World", parent=news, position=2)
    make_section("India", parent=news, position=1)
    make_section("News Analysis", slug="news-analysis", position=3)
    assert [s.name for s in Section.objects.all()] == [
        "News",
        "India",
        "World",
        "Sport",
        "News Analysis",
    ]
    assert sport.tree_order < Section.objects.get(name="News Analysis").tree_order


def test_substantive_update_moves_the_updated_time():
    article = make_article()
    later = timezone.now() + timedelta(minutes=5)
    services.article_save(article=article, mark_updated=True, now=later)
    article.refresh_from_db()
    assert article.updated_at == later


def test_ordinary_save_leaves_the_updated_time_alone():
    article = make_article()
    article.headline = "A typo fixed"
    services.article_save(article=article, now=timezone.now())
    article.refresh_from_db()
    assert article.updated_at is None


def test_update_mark_on_a_draft_changes_nothing_readers_see():
    article = make_article(status=Article.Status.DRAFT)
    services.article_save(article=article, mark_updated=True)
    assert article.updated_at is None
