"""What every test shares: a media folder of its own, an empty cache, the
desk's people, a section and logged-in browsers to use them with, and a
reader who goes through the page cache as readers of the served site do."""

import os
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from playwright.sync_api import expect, sync_playwright

from articles import readership
from articles.pagecache import store
from articles.pagecache.wsgi import PageCache

from .factories import make_editor, make_reporter, make_section


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes its uploads to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests log in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def start_cold() -> None:
    """Every cache empty, and what this process keeps (pages, remembered
    values) gone, as in a process that has just started."""
    for cache in caches.all():
        cache.clear()
    store.LOCAL.clear()
    # Reads counted and not yet written.
    readership.reads_take()


@pytest.fixture(autouse=True)
def empty_cache():
    start_cold()
    yield
    start_cold()


@pytest.fixture
def cold_start():
    """Call it to start cold again in the middle of a test."""
    return start_cold


@pytest.fixture
def world():
    """News › World, where the stories under test are filed."""
    return make_section("World", parent=make_section("News"))


@pytest.fixture
def editor():
    return make_editor("asha", first_name="Asha", last_name="Rao")


@pytest.fixture
def desk(client, editor):
    """The editor's browser, logged in to the desk."""
    client.force_login(editor)
    return client


@pytest.fixture
def reporter():
    return make_reporter("tanvi", first_name="Tanvi", last_name="Mehta")


@pytest.fixture
def reporter_desk(reporter):
    """The reporter's browser, logged in to the desk."""
    browser = Client()
    browser.force_login(reporter)
    return browser


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cached(self) -> bool:
        return self.headers.get("X-Cache") == "HIT"


class Reader:
    """Requests through the whole served stack, the page cache in front of
    Django, as `newsroom.wsgi` builds it when PAGE_CACHE is on."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.app = PageCache(WSGIHandler())
        self.cookies = cookies or {}

    def get(self, path: str, method: str = "GET", **headers: str) -> Answer:
        request = RequestFactory().generic(method, path, headers=headers)
        environ = request.environ
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        said: dict = {}

        def start_response(status, response_headers, exc_info=None):
            said.update(status=int(status.split()[0]), headers=dict(response_headers))

        # As Django's test client does: the test's transaction must outlive
        # the request, which would otherwise close old connections.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(said["status"], said["headers"], body)


@pytest.fixture
def reader():
    """A reader of the site as served, page cache and all."""
    return Reader()


@pytest.fixture
def logged_in_reader(client, editor):
    """An editor reading the site as served, with their session cookie."""
    client.force_login(editor)
    cookie: SimpleCookie = client.cookies
    return Reader({name: morsel.value for name, morsel in cookie.items()})


# Real browsers ------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser(live_server):
    # One Chromium per test, started after the test's database is set up
    # and closed before it is flushed: while Playwright's event loop runs,
    # Django sees another context, and would miss the serialized data it
    # restores between transactional tests.
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def pick(page, field_selector: str, typed: str, choice: str):
    """Open a select2 box in the admin, type, and pick the suggestion."""
    page.click(f"{field_selector} .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).first.click()


def log_in(browser, live_server, username: str, width: int = 1280, height: int = 900):
    """A new window of `width` by `height` pixels, logged in to the desk as
    `username` (whose password is the factories')."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.get_by_text("Editorial desk")).to_be_visible()
    return page
