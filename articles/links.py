"""Addresses every public page needs: the site's origin, its feeds, and
the one redirect an old address gets."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from taggit.models import Tag

from .models import Author, Section


def site_origin(request) -> str:
    """The site's absolute origin, e.g. https://news.example.com: from
    SITE_URL when set, else from the request."""
    return settings.NEWSROOM["SITE_URL"] or f"{request.scheme}://{request.get_host()}"


# Addresses every page shows the same (the front page, search, the site's
# feeds, the stylesheet): worked out once per script prefix, and again when
# a setting behind them changes (as tests change them).
_fixed: dict[tuple[str, ...], str] = {}
FIXED_BY = {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES"}


@receiver(setting_changed)
def _forget_fixed(*, setting: str, **kwargs) -> None:
    if setting in FIXED_BY:
        _fixed.clear()


def fixed(*key: str, make: Callable[[], str]) -> str:
    """`make()`, an address that is the same on every page, made once."""
    key = (get_script_prefix(), *key)
    if (found := _fixed.get(key)) is None:
        found = _fixed[key] = make()
    return found


def page_url(name: str) -> str:
    """The address of the page named `name` that takes no arguments."""
    return fixed("url", name, make=lambda: reverse(name))


def tag_url(slug: str) -> str:
    """A tag's page, as the `tag` URL pattern reads it: built rather than
    reversed, as sections' and stories' are (`story_path`), since a story
    page links each of its tags. A slug of other scripts' letters is quoted
    as `reverse()` quotes it."""
    return f"{get_script_prefix()}tag/{quote(slug, safe=RFC3986_SUBDELIMS + '/~:@')}/"


def static_url(path: str) -> str:
    """The address of the static file at `path`, as `{% static %}` gives it."""
    return fixed("static", path, make=lambda: static(path))


def feed_links(kind: str = "", obj: Section | Tag | Author | None = None) -> list[dict]:
    """The feeds a page offers: the whole site's, then its own."""
    links = [
        {
            "title": settings.NEWSROOM["SITE_NAME"],
            "rss": fixed("feed", "rss", make=lambda: reverse("feed", kwargs={"fmt": "rss"})),
            "atom": fixed("feed", "atom", make=lambda: reverse("feed", kwargs={"fmt": "atom"})),
        }
    ]
    if obj is not None:
        key = obj.path if isinstance(obj, Section) else obj.slug
        name = obj.full_name if isinstance(obj, Section) else obj.name
        links.append(
            {
                "title": name,
                "rss": reverse(f"{kind}_feed", kwargs={"key": key, "fmt": "rss"}),
                "atom": reverse(f"{kind}_feed", kwargs={"key": key, "fmt": "atom"}),
            }
        )
    return links


def moved_permanently(request, url: str) -> HttpResponsePermanentRedirect:
    """One redirect from an old address straight to the current one, the
    query (a list's page) kept."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
