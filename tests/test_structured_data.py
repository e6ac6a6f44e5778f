"""Structured data: every page tells search engines what it shows, as
JSON-LD read straight out of the served HTML, following Google's rules for
articles, breadcrumbs, organisations and profile pages; and shared links
always get a large card."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image as PILImage

from articles import previews
from articles.models import Article, Correction
from articles.pictures import services as pictures

from .factories import make_article, make_author, make_image, make_section, structured_data

pytestmark = pytest.mark.django_db

ORIGIN = "https://news.example"
# 10:20 UTC is 15:50 in India, the site's time zone.
PUBLISHED = datetime(2021, 9, 6, 10, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": ORIGIN}


def page_data(client, url: str) -> dict[str, list[dict]]:
    """The page's JSON-LD objects, by type."""
    response = client.get(url)
    assert response.status_code == 200
    by_type: dict[str, list[dict]] = {}
    for data in structured_data(response.content.decode()):
        by_type.setdefault(data["@type"], []).append(data)
    return by_type


def article_data(client, story) -> dict:
    [article] = page_data(client, story.get_absolute_url())["NewsArticle"]
    return article


def stored_size(url: str) -> tuple[int, int]:
    """The pixel size of a media file, from its absolute address."""
    with default_storage.open(url.removeprefix(f"{ORIGIN}/media/")) as stored:
        with PILImage.open(stored) as picture:
            return picture.size


def static_size(url: str) -> tuple[int, int]:
    """The pixel size of one of our static files, from its absolute address."""
    path = finders.find(url.removeprefix(f"{ORIGIN}/static/"))
    assert path, f"{url} is not one of our static files"
    with PILImage.open(path) as picture:
        assert picture.format == "PNG"
        return picture.size


@pytest.fixture
def story(world):
    return make_article(
        world,
        headline="Valley council calls for talks",
        standfirst="The council proposed a pause in the fighting.",
        dateline="Kabul",
        authors=[make_author("Asha Menon"), make_author("National Desk", kind="desk")],
        tags=["mountains", "ceasefire talks"],
        published_at=PUBLISHED,
        updated_at=PUBLISHED + timedelta(days=1),
    )


def rendered_picture(size: tuple[int, int]):
    image = make_image(size=size, caption="Its own caption", credit="AP")
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    return image


def test_a_story_is_a_news_article_saying_what_its_page_shows(client, story):
    article = article_data(client, story)
    canonical = f"{ORIGIN}{story.get_absolute_url()}"
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Valley council calls for talks"
    assert article["description"] == "The council proposed a pause in the fighting."
    assert article["mainEntityOfPage"] == canonical
    assert article["articleSection"] == "World"
    assert sorted(article["keywords"]) == ["ceasefire talks", "mountains"]
    assert article["dateline"] == "Kabul"
    assert article["isAccessibleForFree"] is True
    assert "correction" not in article
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{canonical}">' in html


def test_authors_are_people_and_desks_are_organisations_with_their_pages(client, story):
    person, desk = article_data(client, story)["author"]
    assert person == {
        "@type": "Person",
        "name": "Asha Menon",
        "url": f"{ORIGIN}/author/asha-menon/",
    }
    assert desk == {
        "@type": "Organization",
        "name": "National Desk",
        "url": f"{ORIGIN}/author/national-desk/",
    }


def test_the_publisher_is_the_site_with_a_logo_that_exists(client, story):
    publisher = article_data(client, story)["publisher"]
    assert publisher["@type"] == "Organization"
    assert (publisher["name"], publisher["url"]) == ("Newsroom Daily", f"{ORIGIN}/")
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject"
    assert static_size(logo["url"]) == (logo["width"], logo["height"])
    # Google asks at least 112 pixels a side of a logo.
    assert min(logo["width"], logo["height"]) >= 112


def test_times_carry_the_site_offset_and_the_update_comes_after(client, story):
    article = article_data(client, story)
    assert article["datePublished"] == "2021-09-06T15:50:00+05:30"
    assert article["dateModified"] == "2021-09-07T15:50:00+05:30"
    published, modified = (
        datetime.fromisoformat(article[key]) for key in ("datePublished", "dateModified")
    )
    assert modified >= published and published == PUBLISHED


def test_a_story_never_updated_was_last_modified_when_published(client, world):
    story = make_article(world, published_at=PUBLISHED, updated_at=PUBLISHED - timedelta(hours=1))
    article = article_data(client, story)
    assert article["dateModified"] == article["datePublished"] == "2021-09-06T15:50:00+05:30"


def test_corrections_are_correction_comments_with_their_dates(client, story):
    Correction.objects.create(article=story, text="An earlier version misspelt a name.")
    Correction.objects.create(
        article=story, text="The pass is in the north.", kind=Correction.Kind.CLARIFICATION
    )
    corrections = article_data(client, story)["correction"]
    assert [(item["@type"], item["text"]) for item in corrections] == [
        ("CorrectionComment", "An earlier version misspelt a name."),
        ("CorrectionComment", "The pass is in the north."),
    ]
    for item, stored in zip(corrections, story.corrections.all(), strict=True):
        published = stored.published_at.replace(microsecond=0)
        assert datetime.fromisoformat(item["datePublished"]) == published
        assert item["datePublished"].endswith("+05:30")


def test_a_headline_that_closes_the_script_stays_inside_the_data(client, world):
    headline = "Tricks </script><script>alert(1)</script> & <!-- fail"
    story = make_article(world, headline=headline, standfirst="Ends </script> here")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    # Every script the page opens it closes, and each of the data blocks
    # is whole (the page's one other script is a file of our own).
    assert len(re.findall(r"<script\b", html)) == html.count("</script>")
    data_blocks = re.findall(r'<script type="application/ld\+json">', html)
    assert len(data_blocks) == len(structured_data(html))
    article = article_data(client, story)
    assert (article["headline"], article["description"]) == (headline, "Ends </script> here")


def test_the_lead_picture_is_cut_three_ways_at_least_1200_wide(client, world):
    image = rendered_picture((2400, 1600))
    story = make_article(world, lead_image=image, lead_image_caption="Volunteers at the pass.")
    data = page_data(client, story.get_absolute_url())
    urls = data["NewsArticle"][0]["image"]
    assert len(urls) == 3
    sizes = [stored_size(url) for url in urls]
    assert [round(width / height, 2) for width, height in sizes] == [1.78, 1.33, 1.0]
    assert all(width >= 1200 for width, _ in sizes)
    objects = data["ImageObject"]
    assert [item["url"] for item in objects] == urls
    for item, (width, height) in zip(objects, sizes, strict=True):
        assert (item["width"], item["height"]) == (width, height)
        assert item["contentUrl"] == item["url"]
        assert (item["caption"], item["creditText"]) == ("Volunteers at the pass.", "AP")


def test_a_small_original_gives_the_largest_cuts_it_has(client, world):
    story = make_article(world, lead_image=rendered_picture((900, 600)))
    urls = article_data(client, story)["image"]
    assert [stored_size(url) for url in urls] == [(900, 506), (800, 600), (600, 600)]


def test_until_the_renditions_are_made_the_original_stands_in(client, world):
    image = make_image(size=(2400, 1600), caption="The picture's caption")
    story = make_article(world, lead_image=image)
    data = page_data(client, story.get_absolute_url())
    assert data["NewsArticle"][0]["image"] == [f"{ORIGIN}{image.file.url}"]
    [picture] = data["ImageObject"]
    assert (picture["width"], picture["height"]) == (2400, 1600)
    assert picture["caption"] == "The picture's caption"


def test_a_story_without_a_picture_shows_the_site_card(client, world):
    story = make_article(world)
    html = client.get(story.get_absolute_url()).content.decode()
    [card] = article_data(client, story)["image"]
    assert static_size(card) == (1200, 630)
    assert f'<meta property="og:image" content="{card}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert "ImageObject" not in page_data(client, story.get_absolute_url())


def test_the_site_card_can_be_a_picture_elsewhere(client, world, settings):
    card = "https://cdn.example/brand/card.png"
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_CARD": card}
    story = make_article(world)
    assert article_data(client, story)["image"] == [card]
    assert (
        f'<meta property="og:image" content="{card}">'
        in client.get(story.get_absolute_url()).content.decode()
    )


def test_the_story_breadcrumb_leads_from_home_through_the_sections(client, story):
    [trail] = page_data(client, story.get_absolute_url())["BreadcrumbList"]
    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ORIGIN}/"},
        {"@type": "ListItem", "position": 2, "name": "News", "item": f"{ORIGIN}/news/"},
        {"@type": "ListItem", "position": 3, "name": "World", "item": f"{ORIGIN}/news/world/"},
        {"@type": "ListItem", "position": 4, "name": "Valley council calls for talks"},
    ]


def test_a_section_page_has_its_breadcrumb(client, world):
    make_article(world)
    data = page_data(client, world.get_absolute_url())
    [trail] = data["BreadcrumbList"]
    assert [(item["position"], item["name"]) for item in trail["itemListElement"]] == [
        (1, "Home"),
        (2, "News"),
        (3, "World"),
    ]
    assert trail["itemListElement"][1]["item"] == f"{ORIGIN}/news/"
    assert "item" not in trail["itemListElement"][2]


def test_the_home_page_names_the_website_and_the_organisation(client):
    data = page_data(client, "/")
    [website] = data["WebSite"]
    assert (website["name"], website["url"]) == ("Newsroom Daily", f"{ORIGIN}/")
    [organisation] = data["Organization"]
    assert (organisation["name"], organisation["url"]) == ("Newsroom Daily", f"{ORIGIN}/")
    assert static_size(organisation["logo"]["url"]) == (512, 512)


def test_an_author_page_is_a_profile_of_the_person(client, world):
    photo = rendered_picture((1600, 1200))
    author = make_author(
        "Asha Menon",
        role="Chief Correspondent",
        bio="Covers the mountains.",
        photo=photo,
        links="https://social.example/@asha\n\n  https://asha.example/  \n",
    )
    make_article(world, authors=[author])
    [profile] = page_data(client, author.get_absolute_url())["ProfilePage"]
    person = profile["mainEntity"]
    assert person == {
        "@type": "Person",
        "name": "Asha Menon",
        "url": f"{ORIGIN}/author/asha-menon/",
        "jobTitle": "Chief Correspondent",
        "description": "Covers the mountains.",
        "image": person["image"],
        "sameAs": ["https://social.example/@asha", "https://asha.example/"],
    }
    assert stored_size(person["image"]) == (1200, 1200)
    [trail] = page_data(client, author.get_absolute_url())["BreadcrumbList"]
    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ORIGIN}/"},
        {"@type": "ListItem", "position": 2, "name": "Asha Menon"},
    ]


def test_a_desk_page_is_a_profile_of_an_organisation(client, world):
    desk = make_author("National Desk", kind="desk", role="Desk")
    make_article(world, authors=[desk])
    [profile] = page_data(client, desk.get_absolute_url())["ProfilePage"]
    assert profile["mainEntity"] == {
        "@type": "Organization",
        "name": "National Desk",
        "url": f"{ORIGIN}/author/national-desk/",
    }


@pytest.mark.parametrize("url", ["/", "/news/world/", "story"])
def test_public_pages_allow_large_image_previews(client, story, url):
    html = client.get(story.get_absolute_url() if url == "story" else url).content.decode()
    assert '<meta name="robots" content="max-image-preview:large">' in html


def test_a_preview_is_kept_out_of_search_altogether(world):
    draft = make_article(make_section("Sport"), status=Article.Status.DRAFT, published_at=None)
    html = Client().get(previews.url(draft)).content.decode()
    assert re.findall(r'<meta name="robots" content="([^"]*)">', html) == ["noindex, nofollow"]
    [article] = [data for data in structured_data(html) if data["@type"] == "NewsArticle"]
    assert "datePublished" not in article
