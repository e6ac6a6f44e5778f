"""The article page carries every element of a real national news page."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.template.defaultfilters import date
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.formats import reader_time
from articles.models import AdSlot, Article

from .factories import make_article, make_author, make_image, make_link

pytestmark = pytest.mark.django_db

# 10:20 UTC is 15:50 in India.
PUBLISHED = datetime(2021, 9, 6, 10, 20, tzinfo=UTC)


@pytest.fixture
def story(world):
    desk = make_author("National Desk", kind="desk")
    return make_article(
        world,
        headline="Valley council calls for talks",
        standfirst="The council proposed a pause in the fighting.",
        dateline="Kabul",
        authors=[make_author("Asha Menon"), make_author("Dev Khanna"), desk],
        edited_by=desk,
        tags=["mountains", "ceasefire talks"],
        lead_image=make_image(
            caption="Volunteers at the pass.", credit="AP", alt_text="Men in a line"
        ),
        published_at=PUBLISHED,
        updated_at=PUBLISHED + timedelta(days=1),
        body="<p>First paragraph.</p><h2>Background</h2><p>Second paragraph.</p>",
    )


def get(client, article):
    return client.get(article.get_absolute_url())


def test_breadcrumb_leads_from_home_through_the_sections_to_the_story(client, story):
    assertInHTML(
        '<nav class="breadcrumb story-trail" aria-label="Breadcrumb"><ol>'
        '<li><a href="/">Home</a></li><li><a href="/news/">News</a></li>'
        '<li><a href="/news/world/">World</a></li>'
        '<li aria-current="page">Valley council calls for talks</li></ol></nav>',
        get(client, story).content.decode(),
    )


def test_headline_is_the_only_h1_and_the_standfirst_follows(client, story):
    html = get(client, story).content.decode()
    assert html.count("<h1") == 1
    assertInHTML("<h1>Valley council calls for talks</h1>", html)
    assertInHTML('<p class="standfirst">The council proposed a pause in the fighting.</p>', html)


def test_byline_keeps_the_editors_order_and_names_the_desk(client, story):
    html = get(client, story).content.decode()
    assertInHTML(
        '<p class="byline">By <a rel="author" href="/author/asha-menon/">Asha Menon</a>, '
        '<a rel="author" href="/author/dev-khanna/">Dev Khanna</a> and '
        '<a rel="author" href="/author/national-desk/">National Desk</a></p>',
        html,
    )
    assertInHTML(
        '<p class="edited-by">Edited by: <a href="/author/national-desk/">National Desk</a></p>',
        html,
    )
    assertInHTML('<span class="dateline">Kabul</span>', html)


def test_publication_and_update_times_show_in_ist_with_full_iso_values(client, story):
    html = get(client, story).content.decode()
    assertInHTML(
        '<time datetime="2021-09-06T15:50:00+05:30" class="published">'
        "September 06, 2021 15:50 IST</time>",
        html,
    )
    assertInHTML(
        '<time datetime="2021-09-07T15:50:00+05:30" class="updated">'
        "September 07, 2021 15:50 IST</time>",
        html,
    )


@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        ("Asia/Kolkata", datetime(2024, 1, 9, 3, 5, tzinfo=UTC), "January 09, 2024 08:35 IST"),
        ("Europe/London", datetime(2024, 7, 1, 11, 0, tzinfo=UTC), "July 01, 2024 12:00 BST"),
        ("Europe/London", datetime(2024, 12, 1, 11, 0, tzinfo=UTC), "December 01, 2024 11:00 GMT"),
    ],
)
def test_a_time_reads_in_the_sites_zone_as_djangos_date_filter_writes_it(zone, moment, shown):
    with timezone.override(zone):
        assert reader_time(moment) == shown == date(timezone.localtime(moment), "F d, Y H:i T")


def test_a_story_never_updated_shows_no_updated_line(client, world):
    html = get(client, make_article(world)).content.decode()
    assert "Updated on" not in html


def test_tags_link_to_their_tag_pages(client, story):
    html = get(client, story).content.decode()
    assertInHTML('<a rel="tag" href="/tag/mountains/">mountains</a>', html)
    assertInHTML('<a rel="tag" href="/tag/ceasefire-talks/">ceasefire talks</a>', html)


def test_lead_image_is_a_figure_with_caption_and_source(client, story):
    html = get(client, story).content.decode()
    image = story.lead_image
    assertInHTML(
        f'<figure class="lead-image"><img src="{image.file.url}" alt="Men in a line" '
        f'width="{image.width}" height="{image.height}" decoding="async"><figcaption>'
        '<span class="caption">Volunteers at the pass.</span>'
        '<span class="credit">Image Source: AP</span></figcaption></figure>',
        html,
    )


def test_body_is_shown_as_written(client, story):
    html = get(client, story).content.decode()
    assertInHTML("<h2>Background</h2>", html)
    assertInHTML("<p>Second paragraph.</p>", html)


def test_read_more_lines_sit_where_the_editor_placed_them(client, story, world):
    other = make_article(world, headline="Earlier: the valley holds out")
    make_link(story, target=other, after_paragraph=1)
    make_link(story, url="https://example.org/report", title="The full report")
    html = get(client, story).content.decode()
    first, inner, closing = (
        html.index("First paragraph."),
        html.index("Earlier: the valley"),
        html.index("The full report"),
    )
    assert first < inner < html.index("Background") < html.index("Second paragraph.") < closing
    assertInHTML(
        f'<p class="read-more"><strong>READ MORE:</strong> '
        f'<a href="{other.get_absolute_url()}">Earlier: the valley holds out</a></p>',
        html,
    )
    assertInHTML(
        '<p class="read-more"><strong>READ MORE:</strong> '
        '<a href="https://example.org/report" rel="noopener">The full report</a></p>',
        html,
    )


def test_read_more_link_to_an_unpublished_story_is_never_shown(client, story, world):
    hidden = make_article(world, headline="Secret draft", status=Article.Status.DRAFT)
    future = make_article(
        world, headline="Not yet out", published_at=timezone.now() + timedelta(hours=1)
    )
    make_link(story, target=hidden)
    make_link(story, target=future)
    response = get(client, story)
    assertNotContains(response, "Secret draft")
    assertNotContains(response, "Not yet out")
    assertNotContains(response, "READ MORE")


def test_more_from_this_section_lists_other_visible_stories(client, story, world):
    make_article(world, headline="Another world story")
    make_article(world, headline="World draft", status=Article.Status.DRAFT)
    response = get(client, story)
    assertContains(response, "More from World")
    assertContains(response, "Another world story")
    assertNotContains(response, "World draft")


def test_ad_slots_are_placed_by_name_outside_the_body(client, story, world, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "AD_SLOTS": {"article-top": "<b>house ad</b>"}}
    AdSlot.objects.create(name="article-bottom", markup="<i>site-wide bottom</i>")
    AdSlot.objects.create(name="article-bottom", section=world, markup="<i>world bottom</i>")
    AdSlot.objects.create(name="sidebar", markup="<i>switched off</i>", is_active=False)
    html = get(client, story).content.decode()
    assertInHTML('<div class="ad-slot" data-slot="article-top"><b>house ad</b></div>', html)
    assertInHTML('<div class="ad-slot" data-slot="article-bottom"><i>world bottom</i></div>', html)
    assert "site-wide bottom" not in html and "switched off" not in html
    body = html[html.index('<div class="story-body">') : html.index("</article>")]
    assert body.index("Second paragraph.") < body.index("world bottom")


def test_header_shows_todays_date_in_the_site_time_zone(client, story):
    # 20:00 UTC on a Thursday is already Friday in India.
    with time_machine.travel(datetime(2024, 4, 18, 20, 0, tzinfo=UTC), tick=False):
        html = get(client, story).content.decode()
    assertInHTML('<time datetime="2024-04-19">Friday, April 19, 2024</time>', html)


def test_canonical_link_and_description_name_the_story(client, story):
    html = get(client, story).content.decode()
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in html
    assert (
        '<meta name="description" content="The council proposed a pause in the fighting.">' in html
    )


def test_markup_in_headline_and_standfirst_is_escaped(client, world):
    story = make_article(
        world, headline='<script>alert("h")</script>', standfirst='<img src=x onerror="s()">'
    )
    html = get(client, story).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_markup_in_a_pictures_words_is_escaped_wherever_it_shows(client, world):
    hostile = '"><script>steal()</script>'
    picture = make_image(alt_text=hostile, credit=hostile, caption=hostile)
    story = make_article(world, lead_image=picture, lead_image_caption=hostile)
    for page in (story.get_absolute_url(), "/news/world/", "/"):
        html = client.get(page).content.decode()
        assert "<script>steal" not in html, page
        assert 'alt="&quot;&gt;&lt;script&gt;steal()&lt;/script&gt;"' in html, page


def test_old_address_of_a_story_redirects_permanently(client, story):
    old = f"/news/world/an-old-slug-{story.pk}/"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_draft_and_unknown_stories_answer_with_the_not_found_page(client, world):
    draft = make_article(world, status=Article.Status.DRAFT)
    for url in (draft.get_absolute_url(), "/news/world/no-such-story-999999/"):
        response = client.get(url)
        assert response.status_code == 404
        assertContains(response, "We could not find that page", status_code=404)
        assertContains(response, '<meta name="robots" content="noindex">', status_code=404)


def test_the_menu_marks_the_section_a_reader_is_in(client, story):
    html = get(client, story).content.decode()
    assertInHTML('<a href="/news/" aria-current="true">News</a>', html)

    section_page = client.get("/news/").content.decode()
    assertInHTML('<a href="/news/" aria-current="page">News</a>', section_page)


def test_tags_follow_the_story_s_body(client, story):
    html = get(client, story).content.decode()
    assert html.index('class="story-body"') < html.index('class="tags"')


def test_the_not_found_page_offers_a_search_for_the_address_and_the_sections(client, world):
    response = client.get('/news/world/river-ferries-resume-"><script>x-999999/')

    assert response.status_code == 404
    assertInHTML(
        '<input type="search" id="not-found-q" name="q" maxlength="200" '
        'value="river ferries resume &quot;&gt;&lt;script&gt;x">',
        response.content.decode(),
    )
    assertContains(response, '<a href="/news/">News</a>', status_code=404)
    assertContains(response, "The front page", status_code=404)


def test_share_links_are_plain_addresses_with_no_outside_script(client, story):
    html = get(client, story).content.decode()
    address = quote(f"http://testserver{story.get_absolute_url()}", safe="/")
    headline = quote("Valley council calls for talks", safe="/")

    assert f'href="https://wa.me/?text={headline}%20{address}"' in html
    assert f'href="https://x.com/intent/post?text={headline}&amp;url={address}"' in html
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={address}"' in html
    assert f'href="mailto:?subject={headline}&amp;body={address}"' in html
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_more_from_the_section_shows_thumbnails(client, story, world):
    other = make_article(world, headline="Passes reopen", lead_image=make_image())

    html = get(client, story).content.decode()

    more = html[html.index('class="more-from-section"') :]
    assert "Passes reopen" in more
    assert 'class="more-thumbnail"' in more
    assert other.lead_image.alt_text in more
