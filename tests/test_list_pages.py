"""Home, section, tag and author pages as readers browse them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from articles.views import TOP_STORIES

from .factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def test_home_leads_with_top_stories_then_each_top_sections_latest(client):
    now = timezone.now()
    news, sport = make_section("News", position=1), make_section("Sport", position=2)
    world = make_section("World", parent=news)
    make_article(
        sport, headline="The desk top story", is_featured=True, published_at=now - timedelta(days=3)
    )
    for hour in range(1, 7):
        make_article(
            world, headline=f"World story {hour}", published_at=now - timedelta(hours=hour)
        )
    make_article(sport, headline="A match report", published_at=now - timedelta(days=1))
    html = client.get("/").content.decode()
    top, rest = html.split('<div class="ad-slot" data-slot="list">')
    assert top.index("The desk top story") < top.index("World story 1") < top.index("World story 4")
    assert "World story 5" not in top and "A match report" not in top
    assert rest.index("News</a></h2>") < rest.index("World story 5") < rest.index("World story 6")
    assert rest.index("Sport</a></h2>") < rest.index("A match report")
    assert "The desk top story" not in rest


def test_home_never_shows_drafts(client):
    make_article(headline="Unfinished draft", status=Article.Status.DRAFT)
    assertNotContains(client.get("/"), "Unfinished draft")


def test_section_page_lists_its_subsections_stories_newest_first(client):
    news = make_section("News")
    world = make_section("World", parent=news)
    now = timezone.now()
    make_article(news, headline="Older national story", published_at=now - timedelta(hours=2))
    make_article(world, headline="Newer world story", published_at=now - timedelta(hours=1))
    response = client.get("/news/")
    html = response.content.decode()
    assert html.index("Newer world story") < html.index("Older national story")
    assertInHTML("<h1>News</h1>", html)
    assertInHTML('<a href="/news/world/">World</a>', html)


def test_section_page_is_paginated_and_a_page_past_the_end_is_not_found(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    news = make_section("News")
    for _ in range(3):
        make_article(news)
    first, second = client.get("/news/"), client.get("/news/?page=2")
    assertContains(first, '<a rel="next" href="?page=2">Older stories</a>', html=True)
    assertContains(second, '<a rel="prev" href="/news/">Newer stories</a>', html=True)
    assertContains(second, '<link rel="canonical" href="http://testserver/news/?page=2">')
    for page in ("3", "abc", "0", "-1", "²", "99999999999999999999", "1" * 5000):
        assert client.get("/news/", {"page": page}).status_code == 404, page


def test_unknown_section_is_not_found(client):
    make_section("News")
    response = client.get("/news/nowhere/")
    assertContains(response, "We could not find that page", status_code=404)


def test_tag_page_lists_visible_stories_with_that_tag(client):
    make_article(headline="Tagged and live", tags=["monsoon"])
    make_article(headline="Tagged draft", tags=["monsoon"], status=Article.Status.DRAFT)
    make_article(headline="Other topic", tags=["cricket"])
    response = client.get("/tag/monsoon/")
    assertContains(response, "Tagged and live")
    assertNotContains(response, "Tagged draft")
    assertNotContains(response, "Other topic")
    assertContains(response, "<h1>monsoon</h1>", html=True)


def test_unknown_tag_and_author_are_not_found(client):
    assert client.get("/tag/nothing/").status_code == 404
    assert client.get("/author/nobody/").status_code == 404


def test_tag_and_author_with_only_unpublished_stories_are_not_found(client):
    embargoed = make_author("Embargo Reporter")
    make_article(tags=["secret merger"], authors=[embargoed], status=Article.Status.DRAFT)
    assert client.get("/tag/secret-merger/").status_code == 404
    assert client.get("/author/embargo-reporter/").status_code == 404


def test_hindi_tags_get_their_own_pages(client):
    story = make_article(headline="Monsoon session opens", tags=["भारत", "संसद"])
    html = client.get(story.get_absolute_url()).content.decode()
    assert ">भारत</a>" in html and ">संसद</a>" in html
    tag_href = html.split('rel="tag" href="')[1].split('"')[0]
    assertContains(client.get(tag_href), "Monsoon session opens")


def test_author_page_shows_the_bio_and_their_stories(client):
    asha = make_author("Asha Menon", role="Chief Correspondent", bio="Covers the hills.")
    make_article(headline="Story by Asha", authors=[asha])
    make_article(headline="Story by someone else", authors=[make_author()])
    response = client.get("/author/asha-menon/")
    assertContains(response, "Covers the hills.")
    assertContains(response, "Chief Correspondent")
    assertContains(response, "Story by Asha")
    assertNotContains(response, "Story by someone else")


def test_desk_author_page_says_it_is_a_desk(client):
    make_article(authors=[make_author("Business Desk", kind="desk")])
    assertContains(client.get("/author/business-desk/"), '<p class="kicker">Desk</p>', html=True)


def test_story_cards_name_authors_and_show_time_in_ist(client):
    world = make_section("World")
    make_article(
        world,
        authors=[make_author("Asha Menon"), make_author("Dev Khanna")],
        published_at=timezone.datetime(2024, 4, 19, 4, 0, tzinfo=timezone.UTC),
    )
    response = client.get("/world/")
    assertContains(response, "Asha Menon and Dev Khanna")
    assertContains(response, "April 19, 2024 09:30 IST")


def test_browsers_asking_for_favicon_ico_are_sent_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")


def test_the_newest_story_leads_a_section_tag_or_author_page(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PAGE_SIZE": 2}
    news = make_section("News")
    writer = make_author("Asha Menon")
    older = make_article(news, headline="Older story", tags=["floods"], authors=[writer])
    older.published_at = timezone.now() - timedelta(days=1)
    older.save()
    make_article(news, headline="Middle story", tags=["floods"], authors=[writer])
    make_article(news, headline="Newest story", tags=["floods"], authors=[writer])

    for address in ("/news/", "/tag/floods/", writer.get_absolute_url()):
        cards = re.findall(r'<article class="card( card-featured)?">', client.get(address).text)
        assert cards == [" card-featured", ""], address
    later = client.get("/news/?page=2").text
    assert re.findall(r'<article class="card( card-featured)?">', later) == [""]


def test_a_front_s_section_block_fills_its_row_whatever_its_number_of_stories(client):
    lone, pair = make_section("Science"), make_section("Business")
    earlier = timezone.now() - timedelta(days=1)
    make_article(lone, headline="The only science story", published_at=earlier)
    make_article(pair, headline="First business story", published_at=earlier)
    make_article(pair, headline="Second business story", published_at=earlier)
    # Newer stories fill the top stories, which the section blocks leave out.
    for number in range(TOP_STORIES):
        make_article(make_section(f"Desk {number}"))

    home = client.get("/").text

    science = home[home.index('id="section-science"') :]
    assert '<div class="story-list stories-1">' in science[:300]
    assert science.index('class="card card-featured"') < science.index("The only science story")
    business = home[home.index('id="section-business"') :]
    assert '<div class="story-list stories-2">' in business[:300]
