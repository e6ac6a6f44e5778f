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

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Article, ReadTally, Section
from .pagecache import keys, store

FLUSH_SECONDS = 30
logger = logging.getLogger(__name__)

LIST_SECONDS = 5 * 60
MOST_READ = 5
WINDOW = timedelta(hours=24)
# Tallies older than this are deleted as counts are written.
KEPT_FOR = timedelta(days=7)
PENDING = "newsroom:reads:pending"
FLUSHING = "newsroom:reads:flushing"
# Story numbers beyond this are no story's (and no column's).
LARGEST_ID = 2**63 - 1
# Stories written in one statement, well within any database's limit.
CHUNK = 500


class _LocalCounts:
    """Reads counted in this process, for a cache that is its own."""

    def __init__(self):
        self.counts: Counter[int] = Counter()
        self.lock = threading.Lock()

    def add(self, article_id: int, reads: int = 1) -> None:
        with self.lock:
            self.counts[article_id] += reads

    def take(self) -> dict[int, int]:
        with self.lock:
            taken, self.counts = dict(self.counts), Counter()
        return taken


class _RedisCounts:
    """Reads counted in one Redis hash, which every process shares."""

    def __init__(self):
        self.client = caches["default"]._cache.get_client(write=True)  # type: ignore[attr-defined]
        self.key = cache.make_key(PENDING)

    def add(self, article_id: int, reads: int = 1) -> None:
        self.client.hincrby(self.key, str(article_id), reads)

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
        try:
            reads_flush(counts, now)
        except DatabaseError:
            # Kept for the next turn; the reader's page never hears of it.
            logger.warning("Reads could not be written; kept for the next turn.", exc_info=True)


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
    try:
        return reads_record(taken, now or timezone.now())
    except DatabaseError:
        # The database was busy (or away): the counts wait for the next turn.
        for pk, n in taken.items():
            counts.add(pk, n)
        raise


@transaction.atomic
def reads_record(counts: dict[int, int], now: datetime) -> int:
    """Add `counts` (reads by story number) to the tallies of the hour of
    `now`; reads of stories readers cannot see (a number sent by hand for a
    draft, or for no story) are dropped."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    numbers = sorted(pk for pk, n in counts.items() if n > 0)
    rows = []
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        seen = Article.objects.visible(now).filter(pk__in=chunk).values_list("pk", flat=True)
        batch = [(pk, hour, counts[pk]) for pk in sorted(seen)]
        if batch:
            _tallies_add(batch)
        rows += batch
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
    section and its subsections: worked out again every `LIST_SECONDS`, when
    a story in them expires, or at once when one is changed or taken down
    (`services.pages` purges the list's key, heard by every process)."""
    now = now or timezone.now()
    key = list_key(section.pk if section else None)
    found, until = store.remembered(key, lambda: _most_read(section, now))
    if until <= now:
        found, until = store.remembered(key, lambda: _most_read(section, now), refresh=True)
    return found


def keys_of(stories: list[MostRead]) -> set[str]:
    """What a page showing the list names for purging: each story in it, so
    that one taken down or renamed leaves the page at once."""
    return {keys.story(story.pk) for story in stories}


def list_key(section_id: int | None) -> str:
    """The key a most-read list is kept under, purged by a change to a
    story of the section (`None`: the site-wide list)."""
    return f"most-read-{section_id or 'all'}"


def _most_read(section: Section | None, now: datetime) -> tuple[list[MostRead], datetime]:
    """The list, and when it must be worked out again: in `LIST_SECONDS`,
    or when a story in it expires, if sooner."""
    stories = Article.objects.visible(now)
    if section is not None:
        stories = stories.in_section(section)
    stories = (
        stories.filter(read_tallies__hour__gte=now - WINDOW)
        .annotate(reads=Sum("read_tallies__reads"))
        .select_related("section")
        .only("headline", "slug", "section__path", "expires_at")
        .order_by("-reads", "-published_at", "-pk")[:MOST_READ]
    )
    listed = [(MostRead(s.pk, s.headline, s.get_absolute_url()), s.expires_at) for s in stories]
    ends = [now + timedelta(seconds=LIST_SECONDS), *(at for _, at in listed if at is not None)]
    return [story for story, _ in listed], min(ends)
