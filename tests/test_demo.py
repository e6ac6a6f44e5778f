"""The demo newsroom that `make run` serves."""

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Image, RelatedLink, Section

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


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_newsroom_has_every_kind_of_thing_a_story_can_carry(client):
    call_command("load_demo", verbosity=0)
    assert Section.objects.filter(depth=2).exists()
    assert Article.objects.visible().count() >= 12
    assert set(Author.objects.values_list("kind", flat=True)) == {"person", "desk"}
    assert Article.objects.filter(lead_image__isnull=False).count() >= 10
    assert Article.objects.exclude(tags=None).count() == Article.objects.count()
    assert RelatedLink.objects.filter(target__isnull=False).exists()
    assert RelatedLink.objects.filter(target__isnull=True).exists()
    assert sum(story.is_updated for story in Article.objects.all()) == 1


def test_demo_editor_can_log_in_to_the_desk(client):
    call_command("load_demo", verbosity=0)
    assert client.login(username="editor", password="newsroom-editor")
    assert client.get("/admin/articles/article/").status_code == 200


def test_every_demo_story_page_opens(client):
    call_command("load_demo", verbosity=0)
    for story in Article.objects.select_related("section"):
        assert client.get(story.get_absolute_url()).status_code == 200
