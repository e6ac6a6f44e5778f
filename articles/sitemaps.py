"""Sitemaps for search engines: an index over stories, sections, tags and
authors, the Google News sitemap, and robots.txt that names them.

A newsroom's archive runs to a million stories, so nothing here pages with
OFFSET or counts the archive per request. Stories are listed in windows of
their numbers (`/sitemap-stories-0.xml` holds stories 1 to 9,999, and so
on): a window never holds more than 10,000 addresses, each is one range
scan of the primary key, and old windows keep their content, so crawlers
need not fetch them again. Tags and authors are windowed the same way by
their own numbers. Each entry's `lastmod` comes from `freshness`, which
keeps when each list last changed without a pass over the archive.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .formats import plain_text
from .freshness import WINDOW, freshness
from .links import site_origin, tag_url
from .models import Article, Author
from .models.content import story_path
from .navigation import SectionTree
from .pagecache import keys
from .pagecache.keys import shows
from .pictures import renditions
from .pictures.models import Image
from .querysets import BODY_PICTURE_FIELDS

# Google News takes stories first published in the last two days, at most
# a thousand of them.
NEWS_AGE = timedelta(hours=48)
NEWS_LIMIT = 1_000

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

# A story's row as a sitemap reads it: its address, its times, and what
# picking its lead picture's rendition needs.
STORY_FIELDS = ("pk", "section__path", "slug", "headline", "published_at", "updated_at")
PICTURE_FIELDS = tuple(f"lead_image__{name}" for name in BODY_PICTURE_FIELDS)


def escape(text: str) -> str:
    return xml_escape(plain_text(text))


@dataclass
class Entry:
    loc: str
    lastmod: datetime | None = None
    image: str = ""
    news_title: str = ""
    news_date: datetime | None = None


def w3c(value: datetime, zone: tzinfo | None = None) -> str:
    """W3C date-time in the site's time zone (`zone`, looked up once by
    callers writing thousands), to the second."""
    return value.astimezone(zone or timezone.get_current_timezone()).isoformat(timespec="seconds")


def xml_response(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    # A sitemap is for crawlers, not a page to show in results.
    response["X-Robots-Tag"] = "noindex"
    return response


def urlset(entries: Iterable[Entry], *, news: bool = False) -> HttpResponse:
    namespaces = f'xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}"'
    if news:
        namespaces += f' xmlns:news="{NEWS_NS}"'
    publication = (
        "<news:publication>"
        f"<news:name>{escape(settings.NEWSROOM['SITE_NAME'])}</news:name>"
        f"<news:language>{escape(news_language())}</news:language>"
        "</news:publication>"
    )
    zone = timezone.get_current_timezone()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {namespaces}>"]
    for entry in entries:
        parts = [f"<url><loc>{escape(entry.loc)}</loc>"]
        if entry.lastmod:
            parts.append(f"<lastmod>{w3c(entry.lastmod, zone)}</lastmod>")
        if entry.news_date:
            parts.append(
                f"<news:news>{publication}"
                f"<news:publication_date>{w3c(entry.news_date, zone)}</news:publication_date>"
                f"<news:title>{escape(entry.news_title)}</news:title></news:news>"
            )
        if entry.image:
            parts.append(f"<image:image><image:loc>{escape(entry.image)}</image:loc></image:image>")
        parts.append("</url>")
        lines.append("".join(parts))
    lines.append("</urlset>")
    return xml_response("\n".join(lines) + "\n")


def news_language() -> str:
    """The ISO 639 code Google News asks for: "en" for en-gb; Chinese keeps
    its script, as Google lists it."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def windows(marks: dict[int, datetime]) -> dict[int, datetime]:
    """The windows of numbers the marked keys fall in, each with its newest
    mark."""
    found: dict[int, datetime] = {}
    for key, mark in marks.items():
        window = key // WINDOW
        found[window] = max(found.get(window, mark), mark)
    return found


@require_safe
def index(request):
    fresh = freshness(timezone.now())
    origin = site_origin(request)
    sitemaps: list[tuple[str, datetime | None]] = [
        (reverse("sitemap_stories", args=[window]), last)
        for window, last in sorted(fresh.windows.items())
    ]
    sitemaps.append((reverse("sitemap_sections"), max(fresh.sections.values(), default=None)))
    for kind, model, marks in (("tags", Tag, fresh.tags), ("authors", Author, fresh.authors)):
        for window, last in sorted(windows(marks).items()):
            numbers = [number for number in marks if number // WINDOW == window]
            # A window whose every tag has left readers would be empty.
            if _live(model, numbers).exists():
                sitemaps.append((reverse(f"sitemap_{kind}", args=[window]), last))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for location, lastmod in sitemaps:
        modified = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<sitemap><loc>{escape(origin + location)}</loc>{modified}</sitemap>")
    lines.append("</sitemapindex>")
    response = xml_response("\n".join(lines) + "\n")
    return shows(request, response, [keys.STORIES, keys.TAGS, keys.AUTHORS])


def _story_entries(stories, origin: str, *, news: bool = False) -> Iterable[Entry]:
    """Entries from rows, not model instances: a window is 10,000 stories."""
    prefix = get_script_prefix()
    for row in stories.values_list(*STORY_FIELDS, "lead_image_id", *PICTURE_FIELDS):
        pk, section_path, slug, headline, published_at, updated_at, image_id = row[:7]
        # Its last update, else its publication (as `freshness.LAST_CHANGED`).
        last_changed = max(published_at, updated_at or published_at)
        entry = Entry(origin + story_path(section_path, slug, pk, prefix), last_changed)
        if image_id:
            image = Image(**dict(zip(BODY_PICTURE_FIELDS, row[7:], strict=True)))
            best = renditions.best(image, "16:9")
            entry.image = origin + (best["url"] if best else image.file.url)
        if news:
            entry.news_title, entry.news_date = headline, published_at
        yield entry


@require_safe
def stories(request, window: int):
    live = (
        Article.objects.visible()
        .filter(pk__gte=window * WINDOW, pk__lt=(window + 1) * WINDOW)
        .order_by("pk")
    )
    entries = list(_story_entries(live, site_origin(request)))
    if not entries:
        raise Http404("No stories in this sitemap.")
    return shows(request, urlset(entries), [keys.STORIES, keys.PICTURES])


@require_safe
def news(request):
    """Stories first published in the last 48 hours, newest first: read on
    every request, so a story is in it the moment it goes live and out the
    moment it is unpublished or expires."""
    now = timezone.now()
    recent = (Article.objects.visible(now).filter(published_at__gte=now - NEWS_AGE).newest_first())[
        :NEWS_LIMIT
    ]
    response = urlset(_story_entries(recent, site_origin(request), news=True), news=True)
    # Crawlers come back for it often; never let a proxy keep it long.
    response["Cache-Control"] = "max-age=60"
    return shows(request, response, [keys.STORIES, keys.PICTURES])


@require_safe
def sections(request):
    fresh = freshness(timezone.now())
    origin = site_origin(request)
    tree = SectionTree.for_request(request)
    # A section's page lists its subsections' stories too.
    newest: dict[str, datetime] = {}
    for pk, last in fresh.sections.items():
        if pk in tree.by_pk:
            for section in tree.lineage(tree.by_pk[pk]):
                newest[section.path] = max(newest.get(section.path, last), last)
    response = urlset(
        Entry(origin + section.get_absolute_url(), newest.get(section.path))
        for section in tree.sections
    )
    return shows(request, response, [keys.STORIES])


def _live(model, numbers: Iterable[int]):
    """Of these tags or authors, those with a story readers can see now."""
    through = "tags" if model is Tag else "bylines__author"
    live = Article.objects.visible().filter(**{through: OuterRef("pk")})
    return model.objects.filter(pk__in=numbers).filter(Exists(live))


def _listed(request, model, marks: dict[int, datetime], window: int, address) -> HttpResponse:
    numbers = [number for number in marks if number // WINDOW == window]
    list_of = keys.TAGS if model is Tag else keys.AUTHORS
    origin = site_origin(request)
    rows = _live(model, numbers).order_by("pk").values_list("pk", "slug")
    entries = [Entry(origin + address(slug), marks[pk]) for pk, slug in rows]
    if not entries:
        raise Http404("Nothing in this sitemap.")
    return shows(request, urlset(entries), [keys.STORIES, list_of])


@require_safe
def tags(request, window: int):
    marks = freshness(timezone.now()).tags
    return _listed(request, Tag, marks, window, tag_url)


@require_safe
def authors(request, window: int):
    marks = freshness(timezone.now()).authors
    return _listed(request, Author, marks, window, lambda slug: reverse("author", args=[slug]))


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
