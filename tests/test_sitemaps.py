"""Sitemaps and robots.txt: what search engines and Google News read."""

import threading
from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import freshness, sitemaps
from articles.models import Article
from articles.pictures import services as pictures
from articles.services import sections, workflow

from .factories import edit_story, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def locs(root) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def urls(root) -> dict[str, ElementTree.Element]:
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.iterfind("sm:url", NS)}


def test_robots_names_the_sitemaps_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for private in ("/admin/", "/preview/", "/search/"):
        assert f"Disallow: {private}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_the_index_lists_every_sitemap_with_its_last_change(client, world):
    story = make_article(
        world,
        tags=["floods"],
        authors=[make_author("Asha Rao")],
        published_at=timezone.now() - timedelta(hours=2),
    )

    index = xml(client, "/sitemap.xml")

    entries = {
        sitemap.findtext("sm:loc", namespaces=NS): sitemap.findtext("sm:lastmod", namespaces=NS)
        for sitemap in index.iterfind("sm:sitemap", NS)
    }
    assert list(entries) == [
        "http://testserver/sitemap-stories-0.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-tags-0.xml",
        "http://testserver/sitemap-authors-0.xml",
    ]
    assert set(entries.values()) == {sitemaps.w3c(story.published_at)}
    for location in entries:
        assert client.get(location.removeprefix("http://testserver")).status_code == 200


def test_a_story_is_listed_with_its_last_update_and_lead_picture(client, world):
    image = make_image(size=(2400, 1350))
    pictures.image_render(image_id=image.pk)
    published = timezone.now() - timedelta(days=3)
    story = make_article(
        world, lead_image=image, published_at=published, updated_at=published + timedelta(days=1)
    )
    plain = make_article(world, published_at=published)

    listed = urls(xml(client, "/sitemap-stories-0.xml"))

    entry = listed[f"http://testserver{story.get_absolute_url()}"]
    assert entry.findtext("sm:lastmod", namespaces=NS) == sitemaps.w3c(story.updated_at)
    picture = entry.findtext("image:image/image:loc", namespaces=NS)
    assert picture.startswith("http://testserver/media/renditions/")
    assert client.get(picture.removeprefix("http://testserver")).status_code == 200
    bare = listed[f"http://testserver{plain.get_absolute_url()}"]
    assert bare.findtext("sm:lastmod", namespaces=NS) == sitemaps.w3c(published)
    assert bare.find("image:image", NS) is None


def test_only_live_stories_are_listed(client, world):
    now = timezone.now()
    live = make_article(world)
    make_article(world, status=Article.Status.DRAFT)
    make_article(world, published_at=now + timedelta(hours=1))
    make_article(world, published_at=now - timedelta(days=2), expires_at=now - timedelta(days=1))
    make_article(world, status=Article.Status.UNPUBLISHED)

    assert locs(xml(client, "/sitemap-stories-0.xml")) == [
        f"http://testserver{live.get_absolute_url()}"
    ]


def test_stories_are_windowed_by_number_without_counting_or_offsets(client, world):
    first = make_article(world)
    far = make_article(world, pk=sitemaps.WINDOW * 3 + 7)

    with CaptureQueriesContext(connection) as queries:
        index = locs(xml(client, "/sitemap.xml"))
        window = locs(xml(client, "/sitemap-stories-3.xml"))

    assert "http://testserver/sitemap-stories-0.xml" in index
    assert "http://testserver/sitemap-stories-3.xml" in index
    assert "http://testserver/sitemap-stories-1.xml" not in index
    assert window == [f"http://testserver{far.get_absolute_url()}"]
    assert f"http://testserver{first.get_absolute_url()}" in locs(
        xml(client, "/sitemap-stories-0.xml")
    )
    assert client.get("/sitemap-stories-1.xml").status_code == 404
    for query in queries.captured_queries:
        assert "OFFSET" not in query["sql"].upper()
        assert "COUNT(" not in query["sql"].upper()


def test_sections_tags_and_authors_are_listed_with_their_newest_story(client, world):
    asia = make_section("Asia", parent=world)
    sport = make_section("Sport")
    now = timezone.now()
    make_article(world, tags=["floods"], published_at=now - timedelta(days=2))
    newest = make_article(
        asia,
        tags=["floods"],
        authors=[make_author("Asha Rao")],
        published_at=now - timedelta(hours=1),
    )
    make_article(sport, status=Article.Status.DRAFT, tags=["secret"], authors=[make_author("Ravi")])
    # Crawled a while after the desk's work.
    with time_machine.travel(now + timedelta(minutes=10)):
        sections = urls(xml(client, "/sitemap-sections.xml"))
        assert sections["http://testserver/news/world/"].findtext(
            "sm:lastmod", namespaces=NS
        ) == sitemaps.w3c(newest.published_at)
        assert "http://testserver/sport/" in sections
        tags = urls(xml(client, "/sitemap-tags-0.xml"))
        assert list(tags) == ["http://testserver/tag/floods/"]
        assert tags["http://testserver/tag/floods/"].findtext(
            "sm:lastmod", namespaces=NS
        ) == sitemaps.w3c(newest.published_at)
        # A draft's tag or author has no public page yet.
        assert list(urls(xml(client, "/sitemap-authors-0.xml"))) == [
            "http://testserver/author/asha-rao/"
        ]


def test_a_tag_leaves_the_sitemap_when_its_last_story_is_unpublished(client, world, editor):
    story = make_article(world, tags=["floods"], authors=[make_author("Asha Rao")])
    assert "http://testserver/tag/floods/" in locs(xml(client, "/sitemap-tags-0.xml"))

    workflow.article_unpublish(article=story, user=editor)

    assert client.get("/sitemap-tags-0.xml").status_code == 404
    assert "sitemap-tags" not in client.get("/sitemap.xml").content.decode()


def news_entries(client) -> dict[str, ElementTree.Element]:
    root = xml(client, "/sitemap-news.xml")
    return {
        url.findtext("sm:loc", namespaces=NS): url.find("news:news", NS)
        for url in root.iterfind("sm:url", NS)
    }


def test_the_news_sitemap_tells_google_news_what_it_asks(client, world, settings):
    story = make_article(world, headline="Parliament passes the <data> bill & more")

    news = news_entries(client)[f"http://testserver{story.get_absolute_url()}"]

    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom Daily"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == story.headline
    assert news.findtext("news:publication_date", namespaces=NS) == sitemaps.w3c(story.published_at)
    settings.LANGUAGE_CODE = "hi"
    news = news_entries(client)[f"http://testserver{story.get_absolute_url()}"]
    assert news.findtext("news:publication/news:language", namespaces=NS) == "hi"


def test_the_news_sitemap_follows_each_story_moment_by_moment(client, world, editor):
    now = timezone.now()
    story = make_article(
        world, published_at=now + timedelta(minutes=5), expires_at=now + timedelta(hours=30)
    )
    address = f"http://testserver{story.get_absolute_url()}"
    old = make_article(world, published_at=now - timedelta(hours=47))

    assert address not in news_entries(client)
    with time_machine.travel(now + timedelta(minutes=5, seconds=1)):
        # Live a second ago: in it.
        assert address in news_entries(client)
    with time_machine.travel(now + timedelta(hours=2)):
        # Older than 48 hours: out.
        assert f"http://testserver{old.get_absolute_url()}" not in news_entries(client)
    with time_machine.travel(now + timedelta(hours=30, seconds=1)):
        # Expired: out.
        assert address not in news_entries(client)

    back = make_article(world, headline="Back in a moment")
    assert f"http://testserver{back.get_absolute_url()}" in news_entries(client)
    workflow.article_unpublish(article=back, user=editor)
    assert f"http://testserver{back.get_absolute_url()}" not in news_entries(client)


def test_the_news_sitemap_holds_at_most_its_limit_newest_first(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    now = timezone.now()
    stories = [make_article(world, published_at=now - timedelta(minutes=m)) for m in range(5)]

    assert list(news_entries(client)) == [
        f"http://testserver{story.get_absolute_url()}" for story in stories[:3]
    ]


def test_sitemaps_list_final_addresses_after_a_section_moves(client, world, editor):
    story = make_article(world)
    xml(client, "/sitemap-stories-0.xml")
    xml(client, "/sitemap-sections.xml")

    world.slug = "international"
    sections.section_save(section=world, user=editor)

    story.refresh_from_db()
    assert locs(xml(client, "/sitemap-stories-0.xml")) == [
        f"http://testserver/news/international/{story.slug}-{story.pk}/"
    ]
    assert "http://testserver/news/international/" in locs(xml(client, "/sitemap-sections.xml"))


def test_a_deleted_story_leaves_the_sitemap_at_once(client, world, editor):
    # The story deleted is neither the newest nor the one saved last.
    now = timezone.now()
    deleted = make_article(world, published_at=now - timedelta(hours=2))
    kept = make_article(world, published_at=now - timedelta(hours=1))
    assert len(locs(xml(client, "/sitemap-stories-0.xml"))) == 2

    workflow.article_delete(article=deleted, user=editor)

    assert locs(xml(client, "/sitemap-stories-0.xml")) == [
        f"http://testserver{kept.get_absolute_url()}"
    ]


def test_after_the_first_pass_a_crawl_reads_only_the_stories_touched_since(client, world):
    now = timezone.now()
    make_article(world, tags=["floods"], published_at=now - timedelta(hours=3))
    xml(client, "/sitemap.xml")  # The first pass over the archive.

    later = now + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        fresh = make_article(
            world, pk=sitemaps.WINDOW + 1, tags=["heat"], published_at=later - timedelta(minutes=1)
        )
        with CaptureQueriesContext(connection) as queries:
            index = xml(client, "/sitemap.xml")

    assert not [q for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    entries = {
        sitemap.findtext("sm:loc", namespaces=NS): sitemap.findtext("sm:lastmod", namespaces=NS)
        for sitemap in index.iterfind("sm:sitemap", NS)
    }
    # The window changed when the story was saved, live already.
    assert entries["http://testserver/sitemap-stories-1.xml"] == sitemaps.w3c(fresh.modified_at)
    with time_machine.travel(later, tick=False):
        assert "http://testserver/tag/heat/" in locs(xml(client, "/sitemap-tags-0.xml"))


def test_a_story_expiring_by_the_clock_leaves_its_lists(client, world):
    now = timezone.now()
    make_article(world, tags=["floods"], published_at=now - timedelta(hours=3))
    make_article(
        world,
        tags=["budget"],
        published_at=now - timedelta(hours=2),
        expires_at=now + timedelta(hours=1),
    )
    assert "http://testserver/tag/budget/" in locs(xml(client, "/sitemap-tags-0.xml"))

    with time_machine.travel(now + timedelta(hours=1, seconds=1)):
        assert locs(xml(client, "/sitemap-tags-0.xml")) == ["http://testserver/tag/floods/"]
        assert len(locs(xml(client, "/sitemap-stories-0.xml"))) == 1


def test_a_tag_taken_off_its_only_story_leaves_the_sitemap(client, world, editor):
    story = make_article(world, tags=["floods", "heat"], authors=[make_author("Asha Rao")])
    assert len(locs(xml(client, "/sitemap-tags-0.xml"))) == 2

    edit_story(story, editor, tags=["floods"])

    assert locs(xml(client, "/sitemap-tags-0.xml")) == ["http://testserver/tag/floods/"]
    assert client.get("/tag/heat/").status_code == 404


def test_a_live_story_moved_back_to_a_later_time_leaves_the_sitemaps(client, world, editor):
    story = make_article(world, tags=["floods"], authors=[make_author("Asha Rao")])
    assert "http://testserver/sitemap-stories-0.xml" in locs(xml(client, "/sitemap.xml"))

    edit_story(story, editor, published_at=timezone.now() + timedelta(days=1))

    index = locs(xml(client, "/sitemap.xml"))
    assert "http://testserver/sitemap-stories-0.xml" not in index
    assert "http://testserver/sitemap-tags-0.xml" not in index
    assert client.get("/sitemap-stories-0.xml").status_code == 404


def test_a_section_move_marks_its_stories_window_changed(client, world, editor):
    now = timezone.now()
    make_article(world, published_at=now - timedelta(days=3))

    def window_lastmod():
        index = xml(client, "/sitemap.xml")
        return {
            s.findtext("sm:loc", namespaces=NS): s.findtext("sm:lastmod", namespaces=NS)
            for s in index.iterfind("sm:sitemap", NS)
        }["http://testserver/sitemap-stories-0.xml"]

    with time_machine.travel(now + timedelta(minutes=10), tick=False):
        before = window_lastmod()
    with time_machine.travel(now + timedelta(minutes=20), tick=False):
        world.slug = "international"
        sections.section_save(section=world, user=editor)
        after = window_lastmod()

    assert before == sitemaps.w3c(now - timedelta(days=3))
    assert after == sitemaps.w3c(now + timedelta(minutes=20))


def test_a_crawl_waits_for_the_full_pass_another_request_is_making(client, world):
    story = make_article(world)
    # Another request has begun the full pass over the archive ...
    assert cache.add(freshness.BUILDING, True, 10)
    made = freshness.Freshness(at=timezone.now(), windows={0: story.published_at})
    # ... and stores its result a moment later.
    threading.Timer(0.3, lambda: cache.set(freshness.KEY, made)).start()

    with CaptureQueriesContext(connection) as queries:
        index = locs(xml(client, "/sitemap.xml"))

    assert "http://testserver/sitemap-stories-0.xml" in index
    assert not [q for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
