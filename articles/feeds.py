"""RSS 2.0 and Atom feeds of the latest live stories: the whole site, a
section with its subsections, a tag and an author.

Each feed is `django.contrib.syndication`'s `Feed` over `Article.objects
.visible()`, the same rule as the pages. Aggregators poll every minute, so a
poll first asks one small question (which stories, as last saved, make up
the feed now) and answers 304 or the stored copy while the answer is the one
it gave before; the feed is built only when something in it changed.
"""

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from .formats import plain_text
from .links import moved_permanently, site_origin, tag_url
from .models import Article, Author, BodyPicture
from .navigation import SectionTree
from .pagecache import keys
from .pagecache.keys import shows
from .pictures import renditions
from .querysets import ArticleQuerySet, tag_answering_at
from .rendering import body_block, body_picture_map
from .richtext import split_blocks
from .sitewide import sitewide_version

LATEST = 50
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# How long an aggregator or proxy may reuse a copy without asking again.
MAX_AGE = 60
# How long a built feed is kept; it is only ever served while current.
STORED_FOR = 24 * 60 * 60


@dataclass
class Channel:
    """What one feed covers: its title, the page it mirrors and its stories."""

    title: str
    description: str
    page_url: str
    stories: ArticleQuerySet
    # Tag and author feeds exist only while something of theirs is live,
    # as their pages do.
    needs_stories: bool = False
    # The section path, tag or author slug the feed answers at now, which
    # an old address is sent on to.
    key: str = ""
    # What the feed shows, for the page cache (`pagecache.keys`): its list,
    # and any author's byline and any picture, which change seldom.
    shown: tuple[str, ...] = (keys.STORIES,)


def channel(request, kind: str, key: str = "") -> Channel:
    site_name = settings.NEWSROOM["SITE_NAME"]
    stories = Article.objects.visible()
    if kind == "site":
        return Channel(site_name, settings.NEWSROOM["SITE_DESCRIPTION"], reverse("home"), stories)
    if kind == "section":
        section = SectionTree.for_request(request).answering_at(key)
        if section is None:
            raise Http404("No such section.")
        return Channel(
            f"{section.full_name} | {site_name}",
            section.description or f"The latest from {section.full_name}.",
            section.get_absolute_url(),
            stories.in_section(section),
            key=section.path,
            shown=(keys.section_list(section.pk),),
        )
    if kind == "tag":
        tag = tag_answering_at(key)
        if tag is None:
            raise Http404("No such tag.")
        return Channel(
            f"{tag.name} | {site_name}",
            f"The latest stories tagged {tag.name}.",
            tag_url(tag.slug),
            stories.tagged(tag),
            needs_stories=True,
            key=tag.slug,
            shown=(keys.tag_list(tag.pk), keys.tag(tag.pk)),
        )
    author = Author.objects.answering_at(key)
    if author is None:
        raise Http404("No such author.")
    return Channel(
        f"{author.name} | {site_name}",
        f"The latest stories by {author.name}.",
        author.get_absolute_url(),
        stories.by_author(author),
        needs_stories=True,
        key=author.slug,
        shown=(keys.author_list(author.pk), keys.author(author.pk)),
    )


# Feed generators: several authors, the full text where the site gives it,
# and the lead picture as Media RSS.


class StoryFeedMixin:
    def media_content(self, handler, picture: dict | None) -> None:
        if picture is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": picture["url"],
                "medium": "image",
                "type": picture["type"],
                "width": str(picture["width"]),
                "height": str(picture["height"]),
            },
        )
        if picture["caption"]:
            handler.addQuickElement("media:description", picture["caption"], {"type": "plain"})
        if picture["credit"]:
            handler.addQuickElement("media:credit", picture["credit"])
        handler.endElement("media:content")


class StoryRss(StoryFeedMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NS,
            "xmlns:dc": DC_NS,
            "xmlns:content": CONTENT_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])
        self.media_content(handler, item["picture"])


class StoryAtom(StoryFeedMixin, feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        self.media_content(handler, item["picture"])


class StoryFeed(Feed):
    """One feed; `kind` and `key` come from the address, `feed_type` from
    the format asked for."""

    def __init__(self, feed_type):
        self.feed_type = feed_type

    def get_object(self, request, found: Channel):
        self.origin = site_origin(request)
        self.full_text = settings.NEWSROOM["FEED_FULL_TEXT"]
        self.request_path = request.path
        return found

    def items(self, obj: Channel) -> list[Article]:
        # taggit ships no types: the plugin cannot tell its manager prefetches.
        stories = obj.stories.for_listing().prefetch_related("tags")  # type: ignore[misc]
        if self.full_text:
            stories = stories.defer(None).defer("search_vector").with_body_pictures()
        return list(stories[:LATEST])

    def absolute(self, url: str) -> str:
        return urljoin(self.origin + "/", url)

    def title(self, obj: Channel) -> str:
        return plain_text(obj.title)

    def description(self, obj: Channel) -> str:
        return plain_text(obj.description)

    def subtitle(self, obj: Channel) -> str:
        return plain_text(obj.description)

    def link(self, obj: Channel) -> str:
        return self.absolute(obj.page_url)

    def feed_url(self, obj: Channel) -> str:
        return self.absolute(self.request_path)

    def author_name(self) -> str:
        # Atom asks an author of every entry: the site's stands for a story
        # with no byline.
        return plain_text(settings.NEWSROOM["SITE_NAME"])

    def feed_copyright(self) -> str:
        return f"© {timezone.localdate().year} {settings.NEWSROOM['SITE_NAME']}"

    def item_title(self, item: Article) -> str:
        return plain_text(item.headline)

    def item_description(self, item: Article) -> str:
        return plain_text(item.standfirst)

    def item_link(self, item: Article) -> str:
        return self.absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        # Stays the same when the story's address changes (a new slug, a
        # moved section), so readers never see a story twice.
        host = urlsplit(self.origin).hostname or "localhost"
        return f"tag:{host},{timezone.localdate(item.created_at):%Y-%m-%d}:story/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article) -> datetime:
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item: Article) -> datetime:
        return timezone.localtime(item.updated_at if item.is_updated else item.published_at)

    def item_categories(self, item: Article) -> list[str]:
        return [plain_text(tag.name) for tag in item.tags.all()]

    def item_enclosures(self, item: Article) -> list[feedgenerator.Enclosure]:
        picture = self.picture(item)
        if picture is None:
            return []
        return [feedgenerator.Enclosure(picture["url"], str(picture["bytes"]), picture["type"])]

    def item_extra_kwargs(self, item: Article) -> dict:
        return {
            "authors": [
                (plain_text(author.name), self.absolute(author.get_absolute_url()))
                for author in item.byline_authors
            ],
            "content": self.full_body(item) if self.full_text else "",
            "picture": self.picture(item),
        }

    def picture(self, item: Article) -> dict | None:
        """The lead picture at the width large cards use, or the original
        until its renditions are made."""
        image = item.lead_image
        if image is None:
            return None
        if not hasattr(item, "_feed_picture"):
            made = renditions.best(image, "16:9")
            if made is None:
                made = {
                    "url": image.file.url,
                    "width": image.width,
                    "height": image.height,
                    "bytes": 0,
                    "type": mimetypes.guess_type(image.file.name or "")[0] or "image/jpeg",
                }
            item._feed_picture = {  # type: ignore[attr-defined]
                **made,
                "url": self.absolute(made["url"]),
                "caption": plain_text(item.caption),
                "credit": plain_text(image.credit),
            }
        return item._feed_picture  # type: ignore[attr-defined]

    def full_body(self, item: Article) -> str:
        pictures = body_picture_map(item)
        html = "".join(body_block(block, pictures) for block in split_blocks(item.body))
        return plain_text(absolute_addresses(html, self.origin))


ADDRESS = re.compile(r'(\s(?:src|href)=")(/[^/"][^"]*|/)"')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_addresses(html: str, origin: str) -> str:
    """Addresses on this site made absolute: a feed reader shows the body
    away from the site, where "/media/..." leads nowhere."""
    html = ADDRESS.sub(lambda m: f'{m[1]}{origin}{m[2]}"', html)

    def srcset(match: re.Match) -> str:
        entries = [entry.strip() for entry in match[2].split(",")]
        absolute = [origin + entry if entry.startswith("/") else entry for entry in entries]
        return f'{match[1]}{", ".join(absolute)}"'

    return SRCSET.sub(srcset, html)


FORMATS: dict[str, type[StoryRss | StoryAtom]] = {"rss": StoryRss, "atom": StoryAtom}


@require_safe
def story_feed(request, fmt: str, kind: str = "site", key: str = ""):
    """A feed, answered from what the aggregator or the cache already holds
    while the stories in it are the ones it was built from."""
    found = channel(request, kind, key)
    etag, rows = feed_state(request, found, fmt, kind)
    if found.needs_stories and not rows:
        raise Http404("Nothing published here.")
    if found.key != key:
        # An old address of a moved section, renamed tag or author: one
        # redirect, so subscribers keep the feed.
        new = reverse(f"{kind}_feed", kwargs={"key": found.key, "fmt": fmt})
        return moved_permanently(request, new)
    # One entry per feed, replaced when the feed changes: the state it was
    # built for, when that state was first seen, and the feed itself.
    stored_key = f"newsroom:feed:{fmt}:{kind}:{found.key}:{site_origin(request)}"
    stored = cache.get(stored_key)
    if stored is None or stored["etag"] != etag:
        stored = {"etag": etag, "seen": timezone.now(), "body": None}
    # The feed changed when this state was first seen: at least as late as
    # its newest save, and later when a story merely went live or expired.
    newest = max((row[1] for row in rows), default=stored["seen"])
    # HTTP dates are whole seconds.
    modified = int(max(newest, stored["seen"]).timestamp())
    response = get_conditional_response(request, etag=quote_etag(etag), last_modified=modified)
    if response is None:
        if stored["body"] is None:
            stored["body"] = StoryFeed(FORMATS[fmt])(request, found).content
        response = HttpResponse(stored["body"], content_type=FORMATS[fmt].content_type)
    cache.set(stored_key, stored, STORED_FOR)
    response["ETag"] = quote_etag(etag)
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return shows(request, response, {*found.shown, keys.AUTHORS, keys.PICTURES})


def feed_state(request, found: Channel, fmt: str, kind: str) -> tuple[str, list[tuple]]:
    """The feed's ETag as it stands, and the rows it came from, from one
    small query: the stories that make it up and when each was last saved
    (and a second for the pictures in their bodies, when feeds carry them).
    A story going live, expiring, being unpublished, edited or deleted
    changes it."""
    # The lead picture's words and its renditions show in the feed too.
    picture = ("lead_image__version", "lead_image__renditions__key")
    rows = list(found.stories.newest_first().values_list("pk", "modified_at", *picture)[:LATEST])
    in_bodies: list[tuple] = []
    if settings.NEWSROOM["FEED_FULL_TEXT"]:
        # The bodies' pictures too, with their words, files and renditions.
        in_bodies = list(
            BodyPicture.objects.filter(article__in=[row[0] for row in rows])
            .order_by("pk")
            .values_list("article_id", "image_id", "image__version", "image__renditions__key")
        )
    fingerprint = repr(
        (
            fmt,
            kind,
            found.key,
            rows,
            in_bodies,
            sitewide_version(),
            site_origin(request),
            settings.NEWSROOM["FEED_FULL_TEXT"],
        )
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32], rows
