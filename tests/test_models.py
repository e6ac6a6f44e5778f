from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse, set_script_prefix
from django.utils import timezone

from articles.links import tag_url
from articles.models import Article, Author, Image, RelatedLink, Section

from .factories import image_bytes, make_article, make_author, make_image, make_section


def test_section_slug_cannot_take_a_reserved_top_level_address():
    section = Section(name="Admin", slug="admin")
    with pytest.raises(ValidationError, match="used by another page"):
        section.full_clean(exclude=["path"])


def test_section_slug_must_be_lowercase():
    section = Section(name="World", slug="World")
    with pytest.raises(ValidationError, match="lowercase"):
        section.full_clean(exclude=["path"])


def test_section_slug_cannot_end_like_a_story_address():
    section = Section(name="Top 10", slug="top-10")
    with pytest.raises(ValidationError, match="cannot end with a hyphen and a number"):
        section.full_clean(exclude=["path"])


@pytest.mark.django_db
def test_section_cannot_move_inside_its_own_subsection():
    news = make_section("News")
    world = make_section("World", parent=news)
    news.parent = world
    with pytest.raises(ValidationError, match="cannot sit inside itself"):
        news.full_clean()


@pytest.mark.django_db
def test_two_top_level_sections_cannot_share_a_slug():
    make_section("News")
    with pytest.raises(ValidationError, match="top-level section with this slug"):
        Section(name="News again", slug="news", path="x").full_clean()


@pytest.mark.django_db
def test_story_slug_is_made_from_the_headline_when_left_empty():
    article = make_article(headline="Rains lash the coast: 3 dead, 40 rescued")
    assert article.slug == "rains-lash-the-coast-3-dead-40-rescued"


@pytest.mark.django_db
def test_story_address_is_its_section_path_slug_and_number():
    world = make_section("World", parent=make_section("News"))
    article = make_article(world, slug="ceasefire-called")
    assert article.get_absolute_url() == f"/news/world/ceasefire-called-{article.pk}/"


@pytest.mark.django_db
def test_story_address_is_the_one_the_url_patterns_read():
    world = make_section("World", parent=make_section("News"))
    article = make_article(world, slug="ceasefire-called")
    kwargs = {"section_path": "news/world", "slug": "ceasefire-called", "pk": str(article.pk)}

    assert article.get_absolute_url() == reverse("article", kwargs=kwargs)
    match = resolve(article.get_absolute_url())
    assert (match.url_name, match.kwargs) == ("article", kwargs)


@pytest.mark.django_db
def test_section_address_is_the_one_the_url_patterns_read():
    world = make_section("World", parent=make_section("News"))
    assert world.get_absolute_url() == reverse("section", kwargs={"path": "news/world"})
    match = resolve(world.get_absolute_url())
    assert (match.url_name, match.kwargs) == ("section", {"path": "news/world"})


@pytest.mark.django_db
def test_author_address_is_the_one_the_url_patterns_read():
    author = make_author("Asha Rao", slug="asha-rao")
    assert author.get_absolute_url() == reverse("author", kwargs={"slug": "asha-rao"})
    match = resolve(author.get_absolute_url())
    assert (match.url_name, match.kwargs) == ("author", {"slug": "asha-rao"})


@pytest.mark.parametrize("slug", ["monsoon", "मानसून", "rain_fall-2026"])
def test_tag_address_is_the_one_the_url_patterns_read(slug):
    assert tag_url(slug) == reverse("tag", kwargs={"slug": slug})
    # The server decodes the path before it resolves it.
    match = resolve(unquote(tag_url(slug)))
    assert (match.url_name, match.kwargs) == ("tag", {"slug": slug})
    set_script_prefix("/news-site/")
    try:
        assert tag_url(slug) == reverse("tag", kwargs={"slug": slug})
        assert tag_url(slug).startswith("/news-site/tag/")
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
def test_body_is_sanitised_whenever_a_story_is_saved():
    article = make_article(body='<p onclick="x()">Hi</p><script>steal()</script>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


@pytest.mark.django_db
def test_story_caption_prefers_its_own_over_the_images():
    image = make_image(caption="Library caption")
    assert make_article(lead_image=image).caption == "Library caption"
    assert make_article(lead_image=image, lead_image_caption="Ours").caption == "Ours"


def test_story_counts_as_updated_only_after_first_publication():
    now = timezone.now()
    story = Article(published_at=now, updated_at=now)
    assert not story.is_updated
    story.updated_at = now + timedelta(hours=2)
    assert story.is_updated


@pytest.mark.django_db
def test_image_width_and_height_are_read_from_the_file():
    image = make_image(size=(1200, 675))
    assert (image.width, image.height) == (1200, 675)


def test_a_renamed_pdf_is_refused_as_an_image():
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture at all", "image/jpeg")
    image = Image(title="Fake", alt_text="x", credit="y", file=fake)
    with pytest.raises(ValidationError, match="is not a picture"):
        image.clean_fields()


def test_an_image_in_a_format_we_do_not_serve_is_refused():
    tiff = SimpleUploadedFile("scan.tif", image_bytes(image_format="TIFF"), "image/tiff")
    image = Image(title="Scan", alt_text="x", credit="y", file=tiff)
    with pytest.raises(ValidationError, match="TIFF file"):
        image.clean_fields()


@pytest.mark.django_db
def test_related_link_needs_exactly_one_destination():
    article = make_article()
    other = make_article()
    both = RelatedLink(article=article, target=other, url="https://example.org", title="x")
    with pytest.raises(ValidationError, match="not both"):
        both.full_clean()
    with pytest.raises(ValidationError, match="not both"):
        RelatedLink(article=article).full_clean()


@pytest.mark.django_db
def test_external_related_link_needs_a_title():
    link = RelatedLink(article=make_article(), url="https://example.org/report")
    with pytest.raises(ValidationError, match="title of the external page"):
        link.full_clean()


@pytest.mark.django_db
def test_story_cannot_link_to_itself():
    article = make_article()
    with pytest.raises(ValidationError, match="cannot link to itself"):
        RelatedLink(article=article, target=article).full_clean()


def test_author_profile_links_must_be_web_addresses_one_a_line():
    author = Author(name="Dev Khanna", slug="dev-khanna", links="https://dev.example/\nnot one")
    with pytest.raises(ValidationError, match="“not one” is not a web address"):
        author.full_clean(validate_unique=False, validate_constraints=False)
    author.links = "https://dev.example/\r\n\r\n  http://social.example/dev  "
    author.full_clean(validate_unique=False, validate_constraints=False)
    assert author.profile_links == ["https://dev.example/", "http://social.example/dev"]
