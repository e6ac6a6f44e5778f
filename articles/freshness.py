"""When each public list of stories last changed: every window of story
numbers a sitemap lists, every section, tag and author. Sitemaps give these
as `lastmod`.

Worked out from the whole archive once (when the cache is cold, or after a
story is deleted, which no remaining row tells of), then kept up to date
from the stories touched since: saved, gone live or expired by the clock,
each found through an indexed column. A million stories cost the full pass
once, not on every crawl.

Each list's time only moves forward: a story going live, being saved (a
section move saves every story it carries to a new address), unpublished or
expiring marks every list it belongs to as changed then. A
list left with no live story (a tag whose only story was unpublished) is
dropped, as its page is gone. A tag taken off a story leaves no trace in
the rows touched, so its mark may outlive its last story: sitemaps list
only tags and authors with a live story.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from taggit.models import TaggedItem

from .models import Article, Byline

# Story numbers per window: at most this many addresses in one sitemap.
WINDOW = 10_000
KEY = "newsroom:freshness"
BUILDING = "newsroom:freshness:building"
# Seconds a request waits for another's full pass (about 3 at a million
# stories) before making its own.
BUILD_WAIT = 10
STORED_FOR = 24 * 60 * 60
# A save commits a moment after it stamps `modified_at`: look back this far
# so that a slow commit is never missed. Going over a story twice is harmless.
COMMIT_LAG = timedelta(minutes=2)
# Kept back in the cache at least this often even when nothing changed, so
# the stories looked at each time stay few.
REFRESH = timedelta(minutes=5)

# When readers last saw a story change: its publication, or its last
# substantive update.
LAST_CHANGED = Greatest("published_at", Coalesce("updated_at", "published_at"))


@dataclass
class Freshness:
    at: datetime
    windows: dict[int, datetime] = field(default_factory=dict)
    sections: dict[int, datetime] = field(default_factory=dict)
    tags: dict[int, datetime] = field(default_factory=dict)
    authors: dict[int, datetime] = field(default_factory=dict)

    def latest(self) -> datetime | None:
        return max(self.windows.values(), default=None)


def freshness(now: datetime) -> Freshness:
    stored: Freshness | None = cache.get(KEY) or _made_by_another()
    if stored is None:
        try:
            fresh = _from_archive(now)
        finally:
            cache.delete(BUILDING)
    else:
        fresh = stored
        if not _catch_up(fresh, now) and now - stored.at < REFRESH:
            return fresh
    fresh.at = now
    cache.set(KEY, fresh, STORED_FOR)
    return fresh


def _made_by_another() -> Freshness | None:
    """When another request is making the full pass (crawlers come
    together), wait for its result rather than run a second pass; after
    `BUILD_WAIT` seconds, or when none is, make it here."""
    if cache.add(BUILDING, True, BUILD_WAIT):
        return None
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if (made := cache.get(KEY)) is not None:
            return made
    return None


def forget() -> None:
    """Call inside the transaction that deletes stories: the next crawl
    makes a full pass. Forgetting again at commit discards what a crawl in
    between worked out from rows about to go."""
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))


def _from_archive(now: datetime) -> Freshness:
    live = Article.objects.visible(now)

    def newest(by) -> dict[int, datetime]:
        rows = live.annotate(key=by).values("key").annotate(last=Max(LAST_CHANGED))
        return {row["key"]: row["last"] for row in rows.order_by() if row["key"] is not None}

    return Freshness(
        at=now,
        windows=newest(F("pk") / WINDOW),
        sections=newest(F("section_id")),
        tags=newest(F("tags__id")),
        authors=newest(F("bylines__author_id")),
    )


def _catch_up(fresh: Freshness, now: datetime) -> bool:
    """Mark the lists of every story touched since `fresh.at`; returns
    whether there was any."""
    since = fresh.at - COMMIT_LAG
    published = Q(status="published")
    touched = (
        Article.objects.filter(
            Q(modified_at__gt=since)
            | published & Q(published_at__gt=since, published_at__lte=now)
            | published & Q(expires_at__gt=since, expires_at__lte=now)
        )
        # Drafts and stories in review were never before readers.
        .exclude(status__in=["draft", "in_review"])
        .values_list("pk", "status", "published_at", "updated_at", "expires_at", "modified_at")
        .order_by()
    )
    when: dict[int, datetime] = {}
    gone: set[int] = set()
    for pk, status, published_at, updated_at, expires_at, modified_at in touched:
        if status != "published":
            # Unpublished: its lists changed when it was taken down.
            gone.add(pk)
            when[pk] = min(modified_at, now)
        elif published_at is None or published_at > now:
            # Scheduled: nothing public changed, unless it was live and its
            # time was moved ahead, which takes it off its lists.
            gone.add(pk)
        elif expires_at is not None and expires_at <= now:
            gone.add(pk)
            when[pk] = expires_at
        else:
            # Live: its lists changed when it went live, was updated or was
            # saved (a new headline, tag or address), whichever came last.
            when[pk] = min(max(published_at, updated_at or published_at, modified_at), now)
    if not when and not gone:
        return False
    pks = when.keys() | gone
    stories = ContentType.objects.get_for_model(Article)
    lists = {
        "windows": [(pk // WINDOW, pk) for pk in pks],
        "sections": list(Article.objects.filter(pk__in=pks).values_list("section_id", "pk")),
        "tags": list(
            TaggedItem.objects.filter(content_type=stories, object_id__in=pks).values_list(
                "tag_id", "object_id"
            )
        ),
        "authors": list(
            Byline.objects.filter(article__in=pks).values_list("author_id", "article_id")
        ),
    }
    for kind, pairs in lists.items():
        marks: dict[int, datetime] = getattr(fresh, kind)
        for key, pk in pairs:
            if pk in when:
                marks[key] = max(marks.get(key, when[pk]), when[pk])
    _drop_emptied(fresh, lists, gone, now)
    return True


# How to find a live story in each kind of list. Sections stay listed with
# no story: their pages stand empty.
MEMBERS = {
    "windows": lambda window: Q(pk__gte=window * WINDOW, pk__lt=(window + 1) * WINDOW),
    "tags": lambda tag: Q(tags__id=tag),
    "authors": lambda author: Q(bylines__author=author),
}


def _drop_emptied(fresh: Freshness, lists: dict, gone: set[int], now: datetime) -> None:
    """Drop the lists that a story leaving readers left with no live story.
    Only lists of stories that left are asked, one indexed lookup each."""
    live = Article.objects.visible(now)
    for kind, members in MEMBERS.items():
        for key in {key for key, pk in lists[kind] if pk in gone}:
            if not live.filter(members(key)).exists():
                getattr(fresh, kind).pop(key, None)
