"""One typographic system: every reader's page, error pages included, sets
its headings in the same self-hosted face, preloaded, and shows the same
masthead: the logo SITE_LOGO names, or else the site's name."""

import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.views import defaults
from pytest_django.asserts import assertInHTML

from .factories import make_article
from .test_settings import start

pytestmark = pytest.mark.django_db

FACE = "/static/fonts/newsreader/newsreader-latin-700-normal.woff2"
PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>')


@pytest.fixture
def story(world):
    return make_article(world, headline="Ferries resume after the storm")


def error_pages() -> list[str]:
    """What Django's own handlers draw for a refused request and a server
    error (the second with no context at all)."""
    request = RequestFactory().get("/")
    return [
        defaults.bad_request(request, exception=None).content.decode(),
        defaults.server_error(request).content.decode(),
    ]


def pages(client, story) -> list[str]:
    """The front page, a story, a missing page and both error pages."""
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    return [
        client.get("/").content.decode(),
        client.get(story.get_absolute_url()).content.decode(),
        missing.content.decode(),
        *error_pages(),
    ]


def test_every_page_preloads_the_same_headline_face(client, story):
    for html in pages(client, story):
        assert PRELOAD.findall(html) == [FACE]


def test_every_page_shows_the_site_name_as_its_wordmark(client, story):
    for html in pages(client, story):
        assertInHTML('<p class="site-name"><a href="/">Newsroom Daily</a></p>', html)


def test_a_logo_in_settings_replaces_the_wordmark_on_every_page(client, story, settings):
    logo = {"path": "img/logo.png", "width": 512, "height": 512}
    settings.NEWSROOM = {**settings.NEWSROOM, "LOGO": logo}
    for html in pages(client, story):
        assertInHTML(
            '<p class="site-name"><a href="/"><img class="site-logo" src="/static/img/logo.png" '
            'alt="Newsroom Daily" width="512" height="512"></a></p>',
            html,
        )


def test_a_logo_at_an_absolute_address_is_shown_from_there(client, settings):
    logo = {"path": "https://cdn.example.com/masthead.svg", "width": 600, "height": 80}
    settings.NEWSROOM = {**settings.NEWSROOM, "LOGO": logo}
    assert 'src="https://cdn.example.com/masthead.svg"' in client.get("/").content.decode()


@pytest.fixture
def collected(settings, tmp_path):
    """Static files collected under hashed names, as `make serve` does."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)


def test_the_served_stylesheet_sets_headings_in_the_preloaded_face(client, collected):
    html = client.get("/").content.decode()
    [face] = PRELOAD.findall(html)
    # Hashed, so it can be cached for good.
    assert re.fullmatch(FACE.replace(".woff2", r"\.\w{12}\.woff2"), face)
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    css = b"".join(client.get(stylesheet).streaming_content).decode()
    # The stylesheet names the very file preloaded, or the browser would
    # fetch the face twice.
    name = face.rsplit("/", 1)[1]
    assert re.search(rf'font-family: Newsreader;[^}}]*url\("[^"]*/{re.escape(name)}"\)', css)
    assert "font-display: swap;" in css
    assert "--headline: Newsreader," in css
    assert "h1, h2, h3 { font-family: var(--headline); }" in css
    assert "font: 700 2rem/1.1 var(--headline)" in css  # .site-name


def test_the_headline_face_is_served_as_woff2(client, collected):
    [face] = PRELOAD.findall(client.get("/").content.decode())
    response = client.get(face)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"wOF2"


def test_a_logo_without_its_size_refuses_to_start():
    result = start(DJANGO_DEBUG="true", SITE_LOGO="img/logo.png", SITE_LOGO_WIDTH="512")
    assert result.returncode != 0
    assert "SITE_LOGO needs SITE_LOGO_WIDTH and SITE_LOGO_HEIGHT" in result.stderr


def test_a_logo_elsewhere_may_be_loaded_from_there():
    result = start(
        "settings.NEWSROOM['LOGO']['height'], settings.SECURE_CSP['img-src'][-1]",
        DJANGO_DEBUG="true",
        SITE_LOGO="https://cdn.example.com/masthead.svg",
        SITE_LOGO_WIDTH="600",
        SITE_LOGO_HEIGHT="80",
    )
    assert result.stdout.split() == ["80", "https://cdn.example.com/masthead.svg"]
