"""Addresses every public page needs: the site's origin, its feeds, and
the one redirect an old address gets."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from taggit.models import Tag

from .models import Author, Section


def site_origin(request) -> str:
    """The site's absolute origin, e.g. https://news.example.com: from
    SITE_URL when set, else from the request."""
    return settings.NEWSROOM["SITE_URL"] or f"{request.scheme}://{request.get_host()}"


def feed_links(kind: str = "", obj: Section | Tag | Author | None = None) -> list[dict]:
    """The feeds a page offers: the whole site's, then its own."""
    links = [
        {
            "title": settings.NEWSROOM["SITE_NAME"],
            "rss": reverse("feed", kwargs={"fmt": "rss"}),
            "atom": reverse("feed", kwargs={"fmt": "atom"}),
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
