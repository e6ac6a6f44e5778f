"""RSS and Atom feeds: what an aggregator or a feed reader gets, and what
it costs to poll them."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.pictures import services as pictures
from articles.services import authors, tags, workflow

from .factories import body_figure, edit_story, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def rss(client, url="/feeds/rss.xml", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content).find("channel")


def atom(client, url="/feeds/atom.xml"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def titles(channel) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def test_the_site_feed_carries_live_stories_only_newest_first(client, world):
    now = timezone.now()
    older = make_article(world, headline="Older live story", published_at=now - timedelta(hours=2))
    newer = make_article(world, headline="Newer live story", published_at=now - timedelta(hours=1))
    make_article(world, headline="A draft", status=Article.Status.DRAFT)
    make_article(world, headline="Scheduled", published_at=now + timedelta(hours=1))
    make_article(
        world,
        headline="Expired",
        published_at=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    )
    make_article(world, headline="Taken down", status=Article.Status.UNPUBLISHED)

    assert titles(rss(client)) == [newer.headline, older.headline]
    entries = atom(client).findall("atom:entry", NS)
    assert [entry.findtext("atom:title", namespaces=NS) for entry in entries] == [
        newer.headline,
        older.headline,
    ]


def test_a_story_joins_the_feed_when_it_goes_live_and_leaves_when_it_expires(client, world):
    now = timezone.now()
    story = make_article(
        world,
        headline="Embargoed budget story",
        published_at=now + timedelta(hours=1),
        expires_at=now + timedelta(hours=3),
    )
    make_article(world, headline="Already out", published_at=now - timedelta(hours=1))

    assert story.headline not in titles(rss(client))
    with time_machine.travel(now + timedelta(hours=1, seconds=1)):
        assert titles(rss(client))[0] == story.headline
    with time_machine.travel(now + timedelta(hours=3, seconds=1)):
        assert story.headline not in titles(rss(client))


def test_an_unpublished_story_leaves_the_feed_at_once(client, world, editor):
    story = make_article(world, headline="A story the desk takes down")
    assert titles(rss(client)) == [story.headline]

    workflow.article_unpublish(article=story, user=editor)

    assert titles(rss(client)) == []


def test_each_item_says_who_wrote_it_when_and_about_what(client, world):
    asha, desk = make_author("Asha Rao"), make_author("News Desk", kind="desk")
    published = timezone.now() - timedelta(hours=3)
    story = make_article(
        world,
        headline="Monsoon arrives early & heavy",
        standfirst="Rain reached the coast a week ahead of the forecast.",
        authors=[asha, desk],
        tags=["monsoon", "weather"],
        published_at=published,
        updated_at=published + timedelta(hours=1),
    )

    item = rss(client).find("item")
    assert item.findtext("title") == "Monsoon arrives early & heavy"
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    assert item.findtext("description") == story.standfirst
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Asha Rao", "News Desk"]
    assert sorted(c.text for c in item.findall("category")) == ["monsoon", "weather"]
    # The site's own offset (India), not a bare UTC time.
    assert item.findtext("pubDate").endswith("+0530")
    assert item.find("guid").get("isPermaLink") == "false"

    entry = atom(client).find("atom:entry", NS)
    authors = entry.findall("atom:author", NS)
    assert [a.findtext("atom:name", namespaces=NS) for a in authors] == ["Asha Rao", "News Desk"]
    assert authors[0].findtext("atom:uri", namespaces=NS) == "http://testserver/author/asha-rao/"
    assert entry.findtext("atom:published", namespaces=NS).endswith("+05:30")
    updated = entry.findtext("atom:updated", namespaces=NS)
    assert updated.startswith(timezone.localtime(story.updated_at).isoformat()[:19])


def test_an_items_address_and_id_survive_a_new_slug(client, world, editor):
    story = make_article(world, headline="First headline", authors=[make_author()])
    guid = rss(client).find("item").findtext("guid")

    edit_story(story, editor, slug="a-better-headline")

    item = rss(client).find("item")
    assert item.findtext("guid") == guid
    assert item.findtext("link").endswith(f"/a-better-headline-{story.pk}/")


def test_the_lead_picture_comes_as_media_content_and_an_enclosure(client, world):
    image = make_image(size=(2400, 1350), caption="Boats at the harbour", credit="Photo Desk")
    pictures.image_render(image_id=image.pk)
    make_article(world, lead_image=image)

    item = rss(client).find("item")
    media = item.find("media:content", NS)
    assert media.get("medium") == "image"
    assert (media.get("width"), media.get("height")) == ("1280", "720")
    assert media.get("url").startswith("http://testserver/media/renditions/")
    assert media.findtext("media:description", namespaces=NS) == "Boats at the harbour"
    assert media.findtext("media:credit", namespaces=NS) == "Photo Desk"
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == media.get("url")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0
    # The file is really there, at the size the feed says.
    picture = client.get(media.get("url").removeprefix("http://testserver"))
    assert picture.status_code == 200
    assert len(b"".join(picture.streaming_content)) == int(enclosure.get("length"))


def test_a_picture_without_renditions_yet_is_given_as_its_original(client, world):
    image = make_image(size=(800, 450))
    make_article(world, lead_image=image)

    media = rss(client).find("item").find("media:content", NS)
    assert media.get("url") == f"http://testserver{image.file.url}"
    assert (media.get("width"), media.get("height")) == ("800", "450")


def test_the_full_body_is_carried_only_where_the_site_says_so(client, world, settings):
    image = make_image(size=(1600, 900))
    pictures.image_render(image_id=image.pk)
    make_article(
        world,
        body=f"<p>The whole first paragraph.</p>{body_figure(image, alt='Harbour at dawn')}",
    )
    assert rss(client).find("item").find("content:encoded", NS) is None

    settings.NEWSROOM = {**settings.NEWSROOM, "FEED_FULL_TEXT": True}

    body = rss(client).find("item").findtext("content:encoded", namespaces=NS)
    assert "<p>The whole first paragraph.</p>" in body
    assert 'alt="Harbour at dawn"' in body
    # Pictures point at the site, as a reader elsewhere needs.
    assert 'src="http://testserver/media/renditions/' in body
    assert 'src="/media' not in body and ", /media" not in body
    entry = atom(client).find("atom:entry", NS)
    assert entry.find("atom:content", NS).get("type") == "html"


def test_a_section_feed_holds_its_subsections_and_nothing_else(client, world):
    asia = make_section("Asia", parent=world)
    sport = make_section("Sport")
    make_article(world, headline="World story")
    make_article(asia, headline="Asia story")
    make_article(sport, headline="Sport story")

    channel = rss(client, "/feeds/section/news/world/rss.xml")
    assert sorted(titles(channel)) == ["Asia story", "World story"]
    assert channel.findtext("link") == "http://testserver/news/world/"
    assert titles(rss(client, "/feeds/section/news/world/asia/rss.xml")) == ["Asia story"]
    assert client.get("/feeds/section/news/nowhere/rss.xml").status_code == 404


def test_tag_and_author_feeds_exist_while_something_of_theirs_is_live(client, world):
    asha = make_author("Asha Rao")
    make_article(world, headline="Tagged and signed", tags=["elections"], authors=[asha])
    make_article(world, headline="Something else", tags=["cricket"])
    make_article(world, tags=["budget"], authors=[make_author("Ravi Das")], status="draft")

    assert titles(rss(client, "/feeds/tag/elections/rss.xml")) == ["Tagged and signed"]
    assert titles(rss(client, "/feeds/author/asha-rao/rss.xml")) == ["Tagged and signed"]
    # Only drafts: the feed would tell what the desk is working on.
    assert client.get("/feeds/tag/budget/rss.xml").status_code == 404
    assert client.get("/feeds/author/ravi-das/atom.xml").status_code == 404
    assert client.get("/feeds/tag/no-such-tag/rss.xml").status_code == 404


def test_a_feed_holds_the_latest_fifty(client, world):
    now = timezone.now()
    for minutes in range(52):
        published = now - timedelta(minutes=minutes)
        make_article(world, headline=f"Story {minutes}", published_at=published)

    found = titles(rss(client))
    assert len(found) == 50
    assert found[0] == "Story 0" and found[-1] == "Story 49"


def test_markup_in_a_headline_stays_text(client, world):
    make_article(world, headline='Court rules on <script>alert("x")</script> & more')

    # Parsed as XML at all, and the title is the headline as typed.
    assert titles(rss(client)) == ['Court rules on <script>alert("x")</script> & more']


def test_a_poller_with_the_current_copy_gets_304_for_one_query(
    client, world, django_assert_max_num_queries
):
    make_article(world, headline="Steady story")
    first = client.get("/feeds/rss.xml")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "max-age=60" in first["Cache-Control"].split(", ")

    with django_assert_max_num_queries(1):
        again = client.get("/feeds/rss.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304
    by_date = client.get("/feeds/rss.xml", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    # A poller without a copy is answered from the stored feed.
    with django_assert_max_num_queries(1):
        assert client.get("/feeds/rss.xml").content == first.content


@pytest.mark.parametrize("change", ["publish", "edit", "expire", "unpublish", "delete"])
def test_any_change_to_the_feeds_stories_gives_pollers_a_new_copy(client, world, editor, change):
    now = timezone.now()
    story = make_article(world, headline="First version", expires_at=now + timedelta(hours=1))
    first = client.get("/feeds/rss.xml")

    moment = now
    if change == "publish":
        make_article(world, headline="Breaking")
    elif change == "edit":
        story.headline = "Second version"
        story.save()
    elif change == "expire":
        moment = now + timedelta(hours=1, seconds=1)
    elif change == "unpublish":
        workflow.article_unpublish(article=story, user=editor)
    else:
        workflow.article_delete(article=story, user=editor)

    with time_machine.travel(moment):
        again = client.get("/feeds/rss.xml", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content


def test_every_page_links_its_feeds(client, world):
    tagged = make_article(world, tags=["floods"], authors=[make_author("Asha Rao")])

    home = client.get("/").content.decode()
    assert 'rss+xml" title="Newsroom Daily (RSS)" href="/feeds/rss.xml"' in home
    assert 'atom+xml" title="Newsroom Daily (Atom)" href="/feeds/atom.xml"' in home
    pages = {
        "/news/world/": "/feeds/section/news/world/rss.xml",
        tagged.get_absolute_url(): "/feeds/section/news/world/rss.xml",
        "/tag/floods/": "/feeds/tag/floods/rss.xml",
        "/author/asha-rao/": "/feeds/author/asha-rao/rss.xml",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert f'href="{feed}"' in html
        # The footer lists them for readers too.
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'<a href="{feed}">RSS</a>' in footer
        assert '<a href="/feeds/atom.xml">Atom</a>' in footer
        assert client.get(feed).status_code == 200


def test_renditions_made_after_publication_reach_the_feed(client, world):
    image = make_image(size=(1600, 900))
    make_article(world, lead_image=image)
    before = rss(client).find("item").find("media:content", NS).get("url")
    assert "/renditions/" not in before

    pictures.image_render(image_id=image.pk)

    assert "/renditions/" in rss(client).find("item").find("media:content", NS).get("url")


def test_an_authors_new_name_reaches_the_feed(client, world, editor):
    asha = make_author("Asha Rao")
    make_article(world, authors=[asha])
    assert rss(client).find("item").findtext("dc:creator", namespaces=NS) == "Asha Rao"

    asha.name = "Asha Rao-Menon"
    authors.author_save(author=asha, user=editor)

    assert rss(client).find("item").findtext("dc:creator", namespaces=NS) == "Asha Rao-Menon"


def test_text_pasted_with_control_characters_still_makes_a_feed(client, world, editor):
    story = make_article(world, authors=[make_author()])
    edit_story(story, editor, headline="Budget\x0bday", standfirst="What the\x01 budget holds.")

    story.refresh_from_db()
    assert story.headline == "Budget day"
    item = rss(client).find("item")
    assert item.findtext("title") == "Budget day"
    assert item.findtext("description") == "What the  budget holds."
    assert client.get("/sitemap-news.xml").status_code == 200
    ElementTree.fromstring(client.get("/sitemap-news.xml").content)


def test_a_tag_name_with_a_control_character_is_refused_with_a_reason(world, editor):
    story = make_article(world, authors=[make_author()])

    with pytest.raises(ValidationError) as refused:
        edit_story(story, editor, tags=["Budget\x01day"])

    assert "control character" in str(refused.value)


def test_a_renamed_tag_reaches_the_feed_at_once(client, world, editor):
    make_article(world, tags=["cricket"])
    assert [c.text for c in rss(client).find("item").findall("category")] == ["cricket"]

    tags.tag_rename(tag=Tag.objects.get(name="cricket"), name="Cricket World Cup", user=editor)

    assert [c.text for c in rss(client).find("item").findall("category")] == ["Cricket World Cup"]


def test_an_atom_entry_without_a_byline_is_credited_to_the_site(client, world):
    make_article(world)

    feed = atom(client)

    assert feed.findtext("atom:author/atom:name", namespaces=NS) == "Newsroom Daily"
    assert feed.find("atom:entry/atom:author", NS) is None


def test_a_full_text_feed_follows_a_change_to_a_picture_in_the_body(
    client, world, editor, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "FEED_FULL_TEXT": True}
    image = make_image(size=(1600, 900), credit="Photo Desk")
    make_article(world, body=f"<p>First paragraph.</p>{body_figure(image, alt='Harbour')}")
    assert "Photo Desk" in rss(client).find("item").findtext("content:encoded", namespaces=NS)

    image.credit = "Photo Desk / Asha Rao"
    pictures.image_save(image=image, user=editor)

    body = rss(client).find("item").findtext("content:encoded", namespaces=NS)
    assert "Photo Desk / Asha Rao" in body
