"""What every test shares: a media folder of its own, an empty cache, and
the desk's people, a section and logged-in browsers to use them with."""

import pytest
from django.core.cache import cache
from django.test import Client

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


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


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
