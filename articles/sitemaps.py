"""Sitemaps for search engines: an index over stories, sections, tags and
authors, the Google News sitemap, and robots.txt that names them.

A newsroom's archive runs to a million stories, so nothing here pages with
OFFSET or counts the archive per request. Stories are listed in windows of
their numbers (`/sitemap-stories-0.xml` holds stories 1 to 9,999, and so
on): a window never holds more than 10,000 addresses, each is one range
scan of the primary key, and old windows keep their content, so crawlers
need not fetch them again. Tags and authors are windowed the same way. What
needs a pass over the archive (the index's lastmod of each window, a
section's, tag's or author's newest story) is kept in the cache under the
archive's state (`archive_state`): one query of three indexed maximums that
any save, publication, expiry or deletion moves on.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .links import site_origin
from .models import Article, Author
from .navigation import SectionTree
from .pictures import renditions
from .querysets import BODY_PICTURE_FIELDS
from .sitewide import sitewide_version

# Numbers per window: at most this many addresses in one sitemap, the
# limit sitemaps.org sets at 50,000 and Google advises well under.
WINDOW = 10_000
# Google News takes stories first published in the last two days, at most
# a thousand of them.
NEWS_AGE = timedelta(hours=48)
NEWS_LIMIT = 1_000
# Kept until the archive's state moves on; a day bounds what a quiet site
# keeps of states nobody asks for.
STORED_FOR = 24 * 60 * 60

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

# What picking a lead picture's rendition reads of its row.
LEAD_PICTURE_FIELDS = [f"lead_image__{name}" for name in BODY_PICTURE_FIELDS]

# When readers last saw a story change: its publication, or its last
# substantive update.
LAST_CHANGED = Greatest("published_at", Coalesce("updated_at", "published_at"))


@dataclass
class Entry:
    loc: str
    lastmod: datetime | None = None
    image: str = ""
    news_title: str = ""
    news_date: datetime | None = None


def w3c(value: datetime) -> str:
    """W3C date-time in the site's time zone, to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def archive_state(now: datetime) -> str:
    """Changes whenever any list of stories could: a story saved (published,
    edited, unpublished, retagged), going live or expiring by the clock; a
    deletion or a change to sections or authors moves the site-wide version
    on. Three maximums over indexed columns, whatever the archive's size."""
    state = Article.objects.aggregate(
        saved=Max("modified_at"),
        live=Max("published_at", filter=Q(status="published", published_at__lte=now)),
        gone=Max("expires_at", filter=Q(expires_at__lte=now)),
    )
    return hashlib.sha256(repr((state, sitewide_version())).encode()).hexdigest()[:24]


def kept(name: str, now: datetime, build: Callable[[], Any]) -> Any:
    key = f"newsroom:sitemap:{name}:{archive_state(now)}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, STORED_FOR)
    return value


def xml_response(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    # A sitemap is for crawlers, not a page to show in results.
    response["X-Robots-Tag"] = "noindex"
    return response


def urlset(entries: Iterable[Entry], *, news: bool = False) -> str:
    namespaces = f'xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}"'
    if news:
        namespaces += f' xmlns:news="{NEWS_NS}"'
    publication = escape(settings.NEWSROOM["SITE_NAME"])
    language = escape(news_language())
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {namespaces}>"]
    for entry in entries:
        parts = [f"<url><loc>{escape(entry.loc)}</loc>"]
        if entry.lastmod:
            parts.append(f"<lastmod>{w3c(entry.lastmod)}</lastmod>")
        if entry.news_date:
            parts.append(
                "<news:news><news:publication>"
                f"<news:name>{publication}</news:name>"
                f"<news:language>{language}</news:language>"
                "</news:publication>"
                f"<news:publication_date>{w3c(entry.news_date)}</news:publication_date>"
                f"<news:title>{escape(entry.news_title)}</news:title></news:news>"
            )
        if entry.image:
            parts.append(f"<image:image><image:loc>{escape(entry.image)}</image:loc></image:image>")
        parts.append("</url>")
        lines.append("".join(parts))
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def news_language() -> str:
    """The ISO 639 code Google News asks for: "en" for en-gb; Chinese keeps
    its script, as Google lists it."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


@require_safe
def index(request):
    now = timezone.now()
    origin = site_origin(request)

    def build() -> list[tuple[str, datetime | None]]:
        live = Article.objects.visible(now)
        latest = live.aggregate(last=Max(LAST_CHANGED))["last"]
        sitemaps: list[tuple[str, datetime | None]] = []
        for window, last in _windows(live, F("pk")):
            sitemaps.append((reverse("sitemap_stories", args=[window]), last))
        sitemaps.append((reverse("sitemap_sections"), latest))
        for window, last in _windows(live.filter(tags__isnull=False), F("tags__id")):
            sitemaps.append((reverse("sitemap_tags", args=[window]), last))
        for window, last in _windows(live, F("bylines__author_id")):
            sitemaps.append((reverse("sitemap_authors", args=[window]), last))
        return sitemaps

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for location, lastmod in kept("index", now, build):
        modified = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<sitemap><loc>{escape(urljoin(origin, location))}</loc>{modified}</sitemap>")
    lines.append("</sitemapindex>")
    return xml_response("\n".join(lines) + "\n")


def _windows(stories, number) -> list[tuple[int, datetime]]:
    """The windows of `number` that hold live stories, with the newest
    change among them."""
    rows = (
        stories.annotate(window=number / WINDOW)
        .values("window")
        .annotate(last=Max(LAST_CHANGED))
        .order_by("window")
    )
    return [(row["window"], row["last"]) for row in rows if row["window"] is not None]


def _window(number: int) -> dict:
    return {"gte": number * WINDOW, "lt": (number + 1) * WINDOW}


@require_safe
def stories(request, window: int):
    now = timezone.now()
    origin = site_origin(request)
    bounds = _window(window)

    def build() -> str:
        live = (
            Article.objects.visible(now)
            .filter(pk__gte=bounds["gte"], pk__lt=bounds["lt"])
            .select_related("section", "lead_image")
            .only(
                "slug",
                "published_at",
                "updated_at",
                "section__path",
                *LEAD_PICTURE_FIELDS,
            )
            .order_by("pk")
        )
        return urlset(_story_entry(story, origin) for story in live)

    body = kept(f"stories:{window}:{origin}", now, build)
    if body.count("<url>") == 0:
        raise Http404("No stories in this sitemap.")
    return xml_response(body)


def _story_entry(story: Article, origin: str, *, news: bool = False) -> Entry:
    last = story.updated_at if story.is_updated else story.published_at
    entry = Entry(urljoin(origin, story.get_absolute_url()), last)
    if story.lead_image:
        best = renditions.best(story.lead_image, "16:9")
        entry.image = urljoin(origin, best["url"] if best else story.lead_image.file.url)
    if news:
        entry.news_title = story.headline
        entry.news_date = story.published_at
    return entry


@require_safe
def news(request):
    """Stories first published in the last 48 hours, newest first: computed
    on every request, so a story is in it the moment it goes live and out
    the moment it is unpublished or expires."""
    now = timezone.now()
    origin = site_origin(request)
    recent = (
        Article.objects.visible(now)
        .filter(published_at__gte=now - NEWS_AGE)
        .select_related("section", "lead_image")
        .only(
            "headline",
            "slug",
            "published_at",
            "updated_at",
            "section__path",
            *LEAD_PICTURE_FIELDS,
        )
        .newest_first()[:NEWS_LIMIT]
    )
    response = xml_response(urlset((_story_entry(s, origin, news=True) for s in recent), news=True))
    # Crawlers come back for it often; never let a proxy keep it long.
    response["Cache-Control"] = "max-age=60"
    return response


@require_safe
def sections(request):
    now = timezone.now()
    origin = site_origin(request)
    tree = SectionTree.for_request(request)

    def build() -> str:
        newest = dict(
            Article.objects.visible(now)
            .values("section")
            .annotate(last=Max(LAST_CHANGED))
            .values_list("section", "last")
        )
        entries = []
        for section in tree.sections:
            inside = [
                last
                for pk, last in newest.items()
                if pk in tree.by_pk
                and (
                    tree.by_pk[pk].path == section.path
                    or tree.by_pk[pk].path.startswith(f"{section.path}/")
                )
            ]
            entries.append(
                Entry(urljoin(origin, section.get_absolute_url()), max(inside, default=None))
            )
        return urlset(entries)

    return xml_response(kept(f"sections:{origin}", now, build))


@require_safe
def tags(request, window: int):
    now = timezone.now()
    origin = site_origin(request)
    bounds = _window(window)

    def build() -> str:
        rows = (
            Article.objects.visible(now)
            .filter(tags__id__gte=bounds["gte"], tags__id__lt=bounds["lt"])
            .values("tags__id", "tags__slug")
            .annotate(last=Max(LAST_CHANGED))
            .order_by("tags__id")
        )
        return urlset(
            Entry(urljoin(origin, reverse("tag", args=[row["tags__slug"]])), row["last"])
            for row in rows
        )

    body = kept(f"tags:{window}:{origin}", now, build)
    if body.count("<url>") == 0:
        raise Http404("No tags in this sitemap.")
    return xml_response(body)


@require_safe
def authors(request, window: int):
    now = timezone.now()
    origin = site_origin(request)
    bounds = _window(window)

    def build() -> str:
        newest = dict(
            Article.objects.visible(now)
            .filter(bylines__author__gte=bounds["gte"], bylines__author__lt=bounds["lt"])
            .values("bylines__author")
            .annotate(last=Max(LAST_CHANGED))
            .values_list("bylines__author", "last")
        )
        people = Author.objects.filter(pk__in=newest).only("slug").order_by("pk")
        return urlset(
            Entry(urljoin(origin, author.get_absolute_url()), newest[author.pk])
            for author in people
        )

    body = kept(f"authors:{window}:{origin}", now, build)
    if body.count("<url>") == 0:
        raise Http404("No authors in this sitemap.")
    return xml_response(body)


@require_safe
def robots(request):
    """Crawlers may read every public page, but not the desk, previews or
    search results; the sitemaps are named in full."""
    origin = site_origin(request)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {origin}{reverse('sitemap_index')}",
        f"Sitemap: {origin}{reverse('sitemap_news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
