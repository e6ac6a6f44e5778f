"""Stories, pictures, authors and sections read from the database are made
without Django's general-purpose constructor (`articles.loading`): each
must come out as the constructor would have made it."""

import pytest
from django.db.models.signals import post_init, pre_init

from articles.models import Article, Author, Image

from .factories import make_article, make_author, make_image

pytestmark = pytest.mark.django_db


def test_a_loaded_story_holds_its_row_and_saves_as_itself(world):
    made = make_article(world, headline="Rains close schools", authors=[make_author()])
    loaded = Article.objects.get(pk=made.pk)
    assert not loaded._state.adding and loaded._state.db == "default"
    assert (loaded.headline, loaded.section_id, loaded.published_at) == (
        made.headline,
        world.pk,
        made.published_at,
    )
    assert loaded.section == world
    loaded.headline = "Rains close schools for a week"
    loaded.save(update_fields=["headline"])
    assert Article.objects.get(pk=made.pk).headline == "Rains close schools for a week"
    assert Article.objects.count() == 1


def test_a_column_left_out_is_read_when_first_asked_for(world, django_assert_num_queries):
    make_article(world, body="<p>The full text.</p>")
    with django_assert_num_queries(1):
        story = Article.objects.defer("body", "section").get()
    assert {"body", "section_id"} <= story.get_deferred_fields()
    assert "headline" not in story.get_deferred_fields()
    with django_assert_num_queries(1):
        assert story.body == "<p>The full text.</p>"
    with django_assert_num_queries(2):
        assert story.section.name == world.name


def test_what_listens_for_new_instances_hears_of_loaded_ones(world):
    make_author("Asha Rao")
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append((sender, instance.name))

    post_init.connect(listener, sender=Author)
    try:
        assert Author.objects.get().name == "Asha Rao"
    finally:
        post_init.disconnect(listener, sender=Author)
    assert heard == [(Author, "Asha Rao")]


def test_what_listens_before_construction_gets_the_constructors_arguments(world):
    make_author("Asha Rao", slug="asha-rao")
    heard = []

    def listener(sender, args, kwargs, **extra):
        heard.append(args)

    pre_init.connect(listener, sender=Author)
    try:
        loaded = Author.objects.only("name", "slug").get()
    finally:
        pre_init.disconnect(listener, sender=Author)
    assert (loaded.name, loaded.slug) == ("Asha Rao", "asha-rao")
    assert len(heard) == 1 and "Asha Rao" in heard[0] and "asha-rao" in heard[0]


def test_a_picture_without_its_dimensions_gets_them_from_its_file():
    picture = make_image()
    Image.objects.filter(pk=picture.pk).update(width=0, height=0)
    loaded = Image.objects.get(pk=picture.pk)
    assert (loaded.width, loaded.height) == (640, 360)
