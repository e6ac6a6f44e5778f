"""Most read: how often each story is read, counted without a database
write per read and without anything about the reader.

An open story page tells the server it was read (`views.story_read`, from
a beacon, so pages served by the page cache or a CDN count too). Each read
adds one to a count in Redis (a hash shared by every process) or, on the
embedded defaults, in this process's memory. At most every
`FLUSH_SECONDS` one request takes the counts gathered and adds them to the
hour's tallies (`ReadTally`) in one statement.

The lists readers see (site-wide, and per section) are worked out from the
last 24 hours' tallies and kept in the cache for `LIST_SECONDS`; pages that
show one are kept no longer than that (`keys.shows`)."""

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Article, ReadTally, Section
from .pagecache import keys

FLUSH_SECONDS = 30
LIST_SECONDS = 5 * 60
MOST_READ = 5
WINDOW = timedelta(hours=24)
# Tallies older than this are deleted as counts are written.
KEPT_FOR = timedelta(days=7)
PENDING = "newsroom:reads:pending"
FLUSHING = "newsroom:reads:flushing"
# Story numbers beyond this are no story's (and no column's).
LARGEST_ID = 2**63 - 1


class _LocalCounts:
    """Reads counted in this process, for a cache that is its own."""

    def __init__(self):
        self.counts: Counter[int] = Counter()
        self.lock = threading.Lock()

    def add(self, article_id: int) -> None:
        with self.lock:
            self.counts[article_id] += 1

    def take(self) -> dict[int, int]:
        with self.lock:
            taken, self.counts = dict(self.counts), Counter()
        return taken


class _RedisCounts:
    """Reads counted in one Redis hash, which every process shares."""

    def __init__(self):
        self.client = caches["default"]._cache.get_client(write=True)  # type: ignore[attr-defined]
        self.key = cache.make_key(PENDING)

    def add(self, article_id: int) -> None:
        self.client.hincrby(self.key, str(article_id), 1)

    def take(self) -> dict[int, int]:
        # Read and emptied at once (MULTI/EXEC): no read lands in between.
        pipe = self.client.pipeline(transaction=True)
        pipe.hgetall(self.key)
        pipe.delete(self.key)
        counts, _ = pipe.execute()
        return {int(pk): int(n) for pk, n in counts.items()}


_local = _LocalCounts()


def _counts() -> _LocalCounts | _RedisCounts:
    return _RedisCounts() if isinstance(caches["default"], RedisCache) else _local


def story_read(article_id: int, now: datetime | None = None) -> None:
    """Count one read of the story, and now and then write the counts."""
    if not 0 < article_id <= LARGEST_ID:
        return
    counts = _counts()
    counts.add(article_id)
    if cache.add(FLUSHING, 1, FLUSH_SECONDS):
        reads_flush(counts, now)


def reads_take() -> dict[int, int]:
    """The reads counted and not yet written, forgotten here."""
    return _counts().take()


def reads_flush(counts=None, now: datetime | None = None) -> int:
    """Add the reads counted since the last flush to this hour's tallies;
    reads of stories that do not exist are dropped. Returns how many reads
    were written."""
    counts = counts or _counts()
    taken = counts.take()
    if not taken:
        return 0
    return reads_record(taken, now or timezone.now())


@transaction.atomic
def reads_record(counts: dict[int, int], now: datetime) -> int:
    """Add `counts` (reads by story number) to the tallies of the hour of
    `now`; reads of stories that do not exist are dropped."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    known = set(Article.objects.filter(pk__in=list(counts)).values_list("pk", flat=True))
    rows = [(pk, hour, n) for pk, n in sorted(counts.items()) if pk in known and n > 0]
    if rows:
        _tallies_add(rows)
    ReadTally.objects.filter(hour__lt=hour - KEPT_FOR).delete()
    return sum(n for _, _, n in rows)


def _tallies_add(rows: list[tuple[int, datetime, int]]) -> None:
    """One statement for the batch: each hour's row made, or added to. The
    ORM's upsert can only overwrite a count, not add to it."""
    table = ReadTally._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params: list = []
    for pk, hour, n in rows:
        params += [pk, connection.ops.adapt_datetimefield_value(hour), n]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, hour, reads) VALUES {values} "
            "ON CONFLICT (article_id, hour) "
            f"DO UPDATE SET reads = {table}.reads + excluded.reads",
            params,
        )


@dataclass(frozen=True)
class MostRead:
    pk: int
    headline: str
    url: str


def most_read(section: Section | None = None, now: datetime | None = None) -> list[MostRead]:
    """The stories most read in the last 24 hours, site-wide or in the
    section and its subsections, from the cache when it has them."""
    key = _list_key(section.pk if section else None)
    found = cache.get(key)
    if found is None:
        found = _most_read(section, now or timezone.now())
        cache.set(key, found, LIST_SECONDS)
    return found


def keys_of(stories: list[MostRead]) -> set[str]:
    """What a page showing the list names for purging: each story in it, so
    that one taken down or renamed leaves the page at once."""
    return {keys.story(story.pk) for story in stories}


def most_read_forget(section_ids) -> None:
    """Work the lists of these sections and the site-wide one out afresh
    (a story in them was taken down or changed)."""
    cache.delete_many([_list_key(None), *(_list_key(pk) for pk in section_ids)])


def _list_key(section_id: int | None) -> str:
    return f"newsroom:most-read:{section_id or 'all'}"


def _most_read(section: Section | None, now: datetime) -> list[MostRead]:
    stories = Article.objects.visible(now)
    if section is not None:
        stories = stories.in_section(section)
    stories = (
        stories.filter(read_tallies__hour__gte=now - WINDOW)
        .annotate(reads=Sum("read_tallies__reads"))
        .select_related("section")
        .only("headline", "slug", "section__path")
        .order_by("-reads", "-published_at", "-pk")[:MOST_READ]
    )
    return [MostRead(story.pk, story.headline, story.get_absolute_url()) for story in stories]
