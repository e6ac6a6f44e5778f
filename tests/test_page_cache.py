"""The page cache: readers' pages are answered from the cache, and every
change the desk makes shows on the very next request, by the keys of what
each page shows; the time of the next scheduled change bounds how long a
page is kept."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date
from taggit.models import Tag

from articles import previews
from articles.models import AdSlot, Article
from articles.pagecache import store
from articles.pictures import services as pictures
from articles.services import authors, sections, tags, workflow

from .factories import (
    body_figure,
    edit_story,
    make_article,
    make_author,
    make_image,
    make_section,
    site_admin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    return make_article(
        world,
        headline="Monsoon reaches the coast early",
        authors=[make_author("Asha Rao", slug="asha-rao")],
        tags=["Monsoon"],
    )


def publish(editor, world, headline: str, **fields) -> Article:
    draft = make_article(world, headline=headline, status=Article.Status.DRAFT, **fields)
    workflow.article_publish(article=draft, user=editor)
    return draft


def test_a_readers_second_visit_is_answered_from_the_cache_without_a_query(
    reader, story, django_assert_num_queries
):
    first = reader.get(story.get_absolute_url())
    assert first.status == 200 and not first.cached
    with django_assert_num_queries(0):
        again = reader.get(story.get_absolute_url())
    assert again.cached
    assert again.body == first.body
    assert "Monsoon reaches the coast early" in again.text


def test_every_public_page_is_kept_and_search_is_not(reader, story):
    pages = [
        "/",
        "/news/",
        "/news/world/",
        story.get_absolute_url(),
        "/tag/monsoon/",
        "/author/asha-rao/",
        "/feeds/rss.xml",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]
    for path in pages:
        assert reader.get(path).status == 200, path
        assert reader.get(path).cached, path
    reader.get("/search/?q=monsoon")
    assert not reader.get("/search/?q=monsoon").cached


def test_a_page_names_everything_it_shows_for_purging(reader, world, editor):
    picture, in_body = make_image(), make_image()
    other = make_article(world, headline="Earlier story")
    story = make_article(
        world,
        authors=[make_author("Asha Rao")],
        tags=["Monsoon"],
        lead_image=picture,
        body=f"<p>Before.</p>{body_figure(in_body, caption='Rain')}",
        edited_by=make_author("Dev Mehta"),
    )
    story.related_links.create(target=other, position=0)
    shown = set(reader.get(story.get_absolute_url()).headers["Surrogate-Key"].split())
    byline, editor_author = story.bylines.get().author, story.edited_by
    assert shown == {
        "site",
        f"story-{story.pk}",
        f"section-{world.pk}",
        f"author-{byline.pk}",
        f"author-{editor_author.pk}",
        f"tag-{story.tags.get().pk}",
        f"picture-{picture.pk}",
        f"picture-{in_body.pk}",
        f"story-{other.pk}",
    }


def test_publishing_shows_the_story_on_every_list_at_once(reader, world, editor):
    asha = make_author("Asha Rao", slug="asha-rao")
    make_article(world, authors=[asha], tags=["Monsoon"])
    lists = ["/", "/news/", "/news/world/", "/tag/monsoon/", "/author/asha-rao/", "/feeds/rss.xml"]
    for path in lists:
        reader.get(path)
        assert reader.get(path).cached
    publish(editor, world, "Floods close the highway", authors=[asha], tags=["Monsoon"])
    for path in lists:
        page = reader.get(path)
        assert not page.cached, path
        assert "Floods close the highway" in page.text, path


def test_an_edit_shows_on_the_story_and_its_lists_at_once(reader, story, editor):
    for path in (story.get_absolute_url(), "/news/world/"):
        reader.get(path)
    edit_story(story, editor, headline="Monsoon reaches the coast a week early")
    for path in (story.get_absolute_url(), "/news/world/"):
        assert "Monsoon reaches the coast a week early" in reader.get(path).text


def test_an_unpublished_story_is_gone_on_the_next_request(reader, story, editor):
    assert reader.get(story.get_absolute_url()).status == 200
    assert "Monsoon reaches the coast early" in reader.get("/").text
    workflow.article_unpublish(article=story, user=editor)
    assert reader.get(story.get_absolute_url()).status == 404
    assert "Monsoon reaches the coast early" not in reader.get("/").text
    assert reader.get("/tag/monsoon/").status == 404


def test_a_story_taken_off_a_tag_leaves_that_tags_page(reader, world, story, editor):
    make_article(world, headline="Another monsoon story", tags=["Monsoon"])
    assert "Monsoon reaches the coast early" in reader.get("/tag/monsoon/").text
    edit_story(story, editor, tags=["Weather"])
    assert "Monsoon reaches the coast early" not in reader.get("/tag/monsoon/").text
    assert "Monsoon reaches the coast early" in reader.get("/tag/weather/").text


def test_a_story_moved_to_another_section_leaves_the_old_sections_page(
    reader, world, story, editor
):
    india = make_section("India", parent=world.parent)
    assert "Monsoon reaches the coast early" in reader.get("/news/world/").text
    edit_story(story, editor, section=india)
    assert "Monsoon reaches the coast early" not in reader.get("/news/world/").text
    assert "Monsoon reaches the coast early" in reader.get("/news/india/").text


def test_a_correction_shows_on_the_next_request(reader, story, editor):
    reader.get(story.get_absolute_url())
    edit_story(story, editor, corrections=[("correction", "The rain came on Monday.")])
    assert "The rain came on Monday." in reader.get(story.get_absolute_url()).text


def test_a_change_to_an_author_tag_picture_section_or_ad_slot_shows_at_once(reader, world, editor):
    picture = make_image(caption="Clouds over the bay")
    story = make_article(
        world, authors=[make_author("Asha Rao")], tags=["Monsoon"], lead_image=picture
    )
    url = story.get_absolute_url()
    reader.get(url)

    asha = story.bylines.get().author
    asha.name = "Asha R. Rao"
    authors.author_save(author=asha, user=editor)
    assert "Asha R. Rao" in reader.get(url).text

    tags.tag_rename(tag=Tag.objects.get(name="Monsoon"), name="Monsoon 2026", user=editor)
    assert "Monsoon 2026" in reader.get(url).text

    picture.caption = "Dark clouds over the bay"
    pictures.image_save(image=picture, user=editor)
    assert "Dark clouds over the bay" in reader.get(url).text

    world.name = "World news"
    sections.section_save(section=world, user=editor)
    assert "World news" in reader.get(url).text

    slot = AdSlot(name="article-top", markup='<div class="ad">Monsoon sale</div>')
    sections.ad_slot_save(slot=slot, user=site_admin())
    assert "Monsoon sale" in reader.get(url).text


def test_a_page_is_not_kept_past_the_next_scheduled_publication(reader, world, editor):
    make_article(world, headline="Already out")
    going_live = timezone.now() + timedelta(seconds=3)
    draft = make_article(
        world,
        headline="Budget speech at noon",
        status=Article.Status.DRAFT,
        authors=[make_author()],
    )
    workflow.article_publish(article=draft, user=editor, at=going_live)
    before = reader.get("/")
    assert "Budget speech at noon" not in before.text
    assert reader.get("/").cached
    assert "s-maxage=" in before.headers["Cache-Control"]
    kept = int(before.headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < kept <= 3
    time.sleep(max(0.0, (going_live - timezone.now()).total_seconds()) + 0.1)
    assert "Budget speech at noon" in reader.get("/").text


def test_a_page_is_not_kept_past_its_storys_expiry(reader, world):
    expiring = timezone.now() + timedelta(seconds=2)
    story = make_article(world, headline="Traffic advisory", expires_at=expiring)
    assert reader.get(story.get_absolute_url()).status == 200
    assert reader.get(story.get_absolute_url()).cached
    time.sleep(max(0.0, (expiring - timezone.now()).total_seconds()) + 0.1)
    assert reader.get(story.get_absolute_url()).status == 404


def test_editors_logged_in_always_get_a_fresh_page(reader, logged_in_reader, story):
    reader.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(headline="Changed without a purge")
    assert "Monsoon reaches the coast early" in reader.get(story.get_absolute_url()).text
    page = logged_in_reader.get(story.get_absolute_url())
    assert "X-Cache" not in page.headers
    assert "Changed without a purge" in page.text


def test_preview_links_are_never_kept(reader, world):
    draft = make_article(world, status=Article.Status.DRAFT)
    link = previews.url(draft)
    reader.get(link)
    page = reader.get(link)
    assert "X-Cache" not in page.headers
    assert "no-cache" in page.headers["Cache-Control"]


def test_a_revisit_with_the_same_copy_gets_304_without_a_query(
    reader, story, django_assert_num_queries
):
    # A page stored in the second something it shows was purged carries no
    # date (two versions could share it); this one is stored a second later.
    time.sleep(1.05 - time.time() % 1)
    url = story.get_absolute_url()
    first = reader.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "max-age=0" in first.headers["Cache-Control"]
    with django_assert_num_queries(0):
        same = reader.get(url, **{"If-None-Match": etag})
        dated = reader.get(url, **{"If-Modified-Since": modified})
    assert same.status == dated.status == 304 and same.body == b""
    assert same.headers["ETag"] == etag


def test_a_revisit_after_a_change_gets_the_new_page(reader, story, editor):
    url = story.get_absolute_url()
    etag = reader.get(url).headers["ETag"]
    edit_story(story, editor, headline="Monsoon arrives early")
    page = reader.get(url, **{"If-None-Match": etag})
    assert page.status == 200
    assert "Monsoon arrives early" in page.text
    assert page.headers["ETag"] != etag


def test_a_date_older_than_the_page_gets_the_page(reader, story):
    url = story.get_absolute_url()
    reader.get(url)
    long_ago = http_date(time.time() - 3600)
    assert reader.get(url, **{"If-Modified-Since": long_ago}).status == 200


def test_a_first_visit_with_a_copy_in_hand_still_stores_the_page(reader, story, cold_start):
    url = story.get_absolute_url()
    etag = reader.get(url).headers["ETag"]
    cold_start()
    assert reader.get(url, **{"If-None-Match": etag}).status == 304
    assert reader.get(url).cached


def test_campaign_parameters_share_the_page_and_odd_page_numbers_pass_by(reader, story):
    reader.get("/news/world/")
    assert reader.get("/news/world/?utm_source=social&utm_medium=share").cached
    assert not reader.get("/news/world/?page=2").cached
    for odd in ("?page=abc", "?page=1&page=2", "?page=99999999999"):
        answer = reader.get("/news/world/" + odd)
        assert "X-Cache" not in answer.headers, odd


def test_a_head_request_is_answered_from_the_cache_without_a_body(reader, story):
    reader.get(story.get_absolute_url())
    head = reader.get(story.get_absolute_url(), method="HEAD")
    assert head.status == 200 and head.cached and head.body == b""


def test_a_page_built_while_a_change_was_committed_is_not_kept(reader, story):
    """The race the clock guards against: a page read from the rows before
    a change, finished after the change's purge."""
    keys, now = (f"story-{story.pk}",), time.time()
    started = store.clock()
    store.stamp(keys)
    page = store.Page(started, keys, "200 OK", [], b"old", now, now + 60)
    assert store.ready(page) is None
    fresh = store.Page(store.clock(), keys, "200 OK", [], b"new", now, now + 60)
    assert store.ready(fresh) is not None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="stamps are shared through Redis")
def test_a_lost_purge_record_never_serves_an_old_page(reader, story):
    url = story.get_absolute_url()
    reader.get(url)
    assert reader.get(url).cached
    store.caches[store.STAMPS].delete(store.STAMP + f"story-{story.pk}")
    store.LOCAL.clear()
    assert not reader.get(url).cached


def test_a_page_asked_for_by_another_spelling_of_the_host_is_kept_apart(reader, story):
    """Without SITE_URL a page names the host it was asked by: one spelling
    never serves another's links."""
    assert reader.get("/", HOST="TESTSERVER").status == 200
    assert reader.get("/", HOST="TESTSERVER").cached
    assert not reader.get("/", HOST="testserver").cached


def test_a_compressed_answer_is_never_kept():
    from articles.pagecache.wsgi import keep_for

    plain = [("Surrogate-Key", "site"), ("Cache-Control", "public, s-maxage=60")]
    get = {"REQUEST_METHOD": "GET"}
    assert keep_for(get, "200 OK", plain) == 60
    assert keep_for(get, "200 OK", [*plain, ("Content-Encoding", "gzip")]) is None


def test_malformed_conditions_get_the_whole_page(reader, story):
    url = story.get_absolute_url()
    reader.get(url)
    for asked in (
        {"If-Modified-Since": "yesterday, roughly"},
        {"If-Modified-Since": "Sun, 99 Foo 20x6 99:99:99 GMT"},
        {"If-None-Match": '"not-this-one", W/"nor-this", ,,'},
        {"If-None-Match": "\x00" * 5000},
    ):
        page = reader.get(url, **asked)
        assert page.status == 200, asked
        assert "Monsoon reaches the coast early" in page.text
