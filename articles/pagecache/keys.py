"""What a page shows, named by keys: the page cache stores a page under
these and a CDN is told to purge by them (`Surrogate-Key`).

- `site`: the section tree and ad slots, on every page.
- `story-<id>`, `author-<id>`, `picture-<id>`, `tag-<id>`: one thing as
  shown anywhere (a headline, a byline, a picture's words, a tag's name).
- `stories`, `section-<id>`, `tagged-<id>`, `by-<id>`: which stories a list
  holds (every live story; those in a section and its subsections; with a
  tag; by an author). A story going live, changing or leaving purges the
  lists it is in and was in.
- `front-home`, `front-<id>`: how the desk arranged the home page or a
  section's front.
- `tags`, `authors`, `pictures`: which tags and authors there are and
  where each picture's files are, for the sitemaps.
- `breaking`: the breaking-news banner, which every page shows (a change
  purges `site` too).
"""

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.dateparse import parse_datetime

from . import store

SITE = "site"
STORIES = "stories"
TAGS = "tags"
AUTHORS = "authors"
# Every picture's files: the sitemaps give each story's picture.
PICTURES = "pictures"
# Not on pages: when the next scheduled change is (`next_change`).
SCHEDULE = "schedule"
BREAKING = "breaking"


def story(pk: int) -> str:
    return f"story-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def picture(pk: int) -> str:
    return f"picture-{pk}"


def tag(pk: int) -> str:
    return f"tag-{pk}"


def section_list(pk: int) -> str:
    return f"section-{pk}"


def tag_list(pk: int) -> str:
    return f"tagged-{pk}"


def author_list(pk: int) -> str:
    return f"by-{pk}"


def front(section_id: int | None) -> str:
    return "front-home" if section_id is None else f"front-{section_id}"


def tag_changed(pk: int) -> list[str]:
    return [tag(pk), tag_list(pk)]


def picture_changed(pk: int) -> list[str]:
    return [picture(pk), PICTURES]


def story_page(article) -> set[str]:
    """What a story's page shows: the story, its byline and editor, tags,
    pictures, the stories its READ MORE lines name, and its section's
    latest stories."""
    keys = {story(article.pk), section_list(article.section_id)}
    keys.update(author(person.pk) for person in article.byline_authors)
    # The author box's photos.
    keys.update(picture(person.photo_id) for person in article.byline_authors if person.photo_id)
    if article.edited_by_id:
        keys.add(author(article.edited_by_id))
    keys.update(tag(item.pk) for item in article.tags.all())
    if article.lead_image_id:
        keys.add(picture(article.lead_image_id))
    keys.update(picture(row["id"]) for row in getattr(article, "body_picture_rows", None) or [])
    for row in _rows(getattr(article, "live_entry_rows", None)):
        if row["image_id"]:
            keys.add(picture(row["image_id"]))
        if row["author_id"]:
            keys.add(author(row["author_id"]))
    keys.update(story(link.target_id) for link in article.related_links.all() if link.target_id)
    return keys


def _rows(rows) -> list[dict]:
    """A JSON list fetched with the story (SQLite gives it as text)."""
    return json.loads(rows) if isinstance(rows, str) else rows or []


def listing(stories: Iterable) -> set[str]:
    """What story summaries show besides the story: bylines and pictures
    (from `for_listing()`, which fetched them)."""
    keys: set[str] = set()
    for item in stories:
        keys.update(author(person.pk) for person in item.byline_authors)
        if item.lead_image_id:
            keys.add(picture(item.lead_image_id))
    return keys


def shows(
    request: HttpRequest,
    response: HttpResponse,
    keys: Iterable[str],
    *,
    at_most: int | None = None,
) -> HttpResponse:
    """Mark a public page as showing `keys`: the page cache and a CDN may
    keep it until one of them is purged, or the next scheduled publication
    or expiry, or `at_most` seconds (for what changes with no purge, as
    the most-read lists), whichever comes first; browsers ask again each
    time and get 304 Not Modified while it is the same."""
    if response.status_code != 200:
        return response
    now = timezone.now()
    seconds = settings.PAGE_CACHE_SECONDS
    if at_most is not None:
        seconds = min(seconds, at_most)
    if (change := next_change(now)) is not None:
        seconds = min(seconds, int((change - now).total_seconds()))
    response["Surrogate-Key"] = " ".join(sorted({SITE, *keys}))
    if "max-age" not in response.get("Cache-Control", ""):
        patch_cache_control(response, max_age=0, must_revalidate=True)
    patch_cache_control(response, public=True, s_maxage=max(seconds, 0))
    if not response.has_header("ETag"):
        set_response_etag(response)
    return response


def next_change(now: datetime) -> datetime | None:
    """The next time a page may change with nobody saving anything: a
    scheduled story going live, a story expiring, a scheduled update falling
    due, a scheduled live entry, a story's breaking news or its place on a
    front running out. Kept
    in the cache until a story, an update or a front is saved."""
    found = store.remembered(SCHEDULE, lambda: _next_change(now))
    if found is not None and found <= now:
        # Passed while remembered: look again.
        found = store.remembered(SCHEDULE, lambda: _next_change(now), refresh=True)
    return found


def _next_change(now: datetime) -> datetime | None:
    from ..models import Article, FrontSlot, LiveEntry, ScheduledUpdate

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    firsts = [
        published.filter(published_at__gt=now).order_by("published_at").values("published_at"),
        published.filter(expires_at__gt=now).order_by("expires_at").values("expires_at"),
        ScheduledUpdate.objects.pending()
        .filter(due_at__gt=now)
        .order_by("due_at")
        .values("due_at"),
        published.filter(breaking_until__gt=now)
        .order_by("breaking_until")
        .values("breaking_until"),
        FrontSlot.objects.filter(pinned_until__gt=now)
        .order_by("pinned_until")
        .values("pinned_until"),
        LiveEntry.objects.filter(published_at__gt=now)
        .order_by("published_at")
        .values("published_at"),
    ]
    # One query of six lookups, each the first row along an index.
    parts = [query[:1].query.sql_with_params() for query in firsts]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        row = cursor.fetchone()
    return min((as_time(value) for value in row if value is not None), default=None)


def as_time(value: datetime | str) -> datetime:
    """A time as the database gives it: SQLite's is text, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value) or datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
