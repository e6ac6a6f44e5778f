"""`generate_stories`: a newsroom's worth of live stories for benchmarks,
fast, on top of the demo."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Image, RelatedLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", renditions=False, verbosity=0)
    return set(Article.objects.values_list("pk", flat=True))


def generated(demo) -> list[Article]:
    stories = Article.objects.exclude(pk__in=demo).select_related("section", "lead_image")
    return list(stories.prefetch_related("bylines", "tags", "related_links"))


def test_it_adds_live_stories_with_everything_a_story_page_shows(client, demo):
    output = io.StringIO()
    call_command("generate_stories", count=60, stdout=output)

    stories = generated(demo)
    assert len(stories) == 60
    assert Article.objects.visible().filter(pk__in=[s.pk for s in stories]).count() == 60
    assert all(1 <= len(story.bylines.all()) <= 3 for story in stories)
    assert all(len(story.tags.all()) <= 4 for story in stories)
    assert sum(len(story.tags.all()) for story in stories) > 60
    assert sum(1 for story in stories if story.lead_image) > 30
    assert {story.lead_image for story in stories} <= {None, *Image.objects.all()}
    links = RelatedLink.objects.filter(article__in=stories, target__isnull=False)
    assert links.count() == 59
    # Older than anything the demo had, three minutes apart.
    dated = Article.objects.filter(pk__in=demo, published_at__isnull=False)
    demo_oldest = dated.order_by("published_at")[0].published_at
    times = sorted((story.published_at for story in stories), reverse=True)
    assert times[0] < demo_oldest and times[0] < timezone.now()
    assert {(a - b).total_seconds() for a, b in zip(times, times[1:], strict=False)} == {180}
    assert "[##############################] 60/60 stories" in output.getvalue()

    for story in stories[:5]:
        page = client.get(story.get_absolute_url())
        assert page.status_code == 200
        assert story.headline in page.content.decode()


def test_the_same_seed_gives_the_same_stories(demo):
    call_command("generate_stories", count=10, seed=7, verbosity=0)
    first = [(s.headline, s.section_id, s.lead_image_id) for s in generated(demo)]
    Article.objects.exclude(pk__in=demo).delete()

    call_command("generate_stories", count=10, seed=7, verbosity=0)

    assert [(s.headline, s.section_id, s.lead_image_id) for s in generated(demo)] == first


def test_it_asks_for_the_demo_first_on_an_empty_database():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_stories", count=10, verbosity=0)
