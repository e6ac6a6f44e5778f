"""Whole pages kept in memory, and the keys that say when one is stale.

A page is stored with the keys of everything it shows (`story-12`,
`section-3`, `site`: see `keys.py`) and the reading of a clock taken before
it was built. Purging a key stamps it with a later reading. A page is
served only while no key it names carries a stamp later than its own
reading: a page built while a change was being committed was begun before
that change's purge, so it is never served after it.

Each process keeps the pages it serves in its own memory (`Local`), so a
reader's request costs no round trip at all, and hears every purge made by
any process before it answers its next request, along a line:

- `RedisLine`, with Redis: the clock and the stamps live there, purges are
  published, and pages are shared by every process and node too. A process
  that loses its line forgets every page it holds, and each page held is
  checked against the shared stamps every minute, so even a purge that
  went unheard on a line broken without a word never stands for long.
- `DatabaseLine`, on the embedded SQLite database: purges are rows in a
  log (`PagePurge`), and a process reads the new ones whenever SQLite says
  another connection wrote (`PRAGMA data_version`, asked of memory).

A stamp missing from the shared store (evicted) makes every page naming it
stale: pages are only ever served on evidence.
"""

import functools
import select
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from .cdn import cdn_purge_on_commit

# A clock reading: the shared counter, then this process's own count of
# purges it made inside transactions (on the database line).
Tick = tuple[int, int]

# Entries an older release stored, in an older shape, are never read.
PAGE = "page-2:"
CLOCK = "clock"
STAMP = "stamp-2:"
MEMO = "memo-2:"
MEMO_SECONDS = 24 * 60 * 60
PAGES = "pages"
STAMPS = "page_stamps"
CHANNEL = "purges"
# How often a page held in a process is checked against the shared stamps,
# in case a purge went unheard on a line that broke without a word.
RECHECK_SECONDS = 60.0
# Log rows kept on the database line; far more than a process can fall behind.
LOG_KEPT = 10_000


@dataclass(frozen=True, slots=True)
class Stamp:
    tick: Tick
    # Wall time of the purge, which decides whether a Last-Modified date can
    # be trusted.
    at: float


NEVER = Stamp((0, 0), 0.0)


@dataclass(slots=True)
class Page:
    tick: Tick
    keys: tuple[str, ...]
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    # Wall times it was stored and stops being kept.
    stored: float
    expires: float
    # When this process last saw it current (monotonic).
    checked: float = field(default=0.0, compare=False)


class Local:
    """This process's pages, and the last purge it heard of for each key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.heard: dict[str, Stamp] = {}
        # name -> (tick, value): the values `remembered` last read or made.
        self.memos: dict[str, tuple[Any, Any]] = {}
        # name -> (tick, value): values `kept` in this process alone, the
        # least used going first.
        self.kept: OrderedDict[str, tuple[Tick, Any]] = OrderedDict()
        # The last purge read from the database line (once it has started
        # reading), and this process's count of purges made inside
        # transactions since.
        self.started = False
        self.latest = 0
        self.own = 0
        # The clock when purges heard were last forgotten: a key heard of
        # since counts as purged then, so nothing built before comes back.
        self.floor: Tick = (0, 0)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.heard.clear()
            self.memos.clear()
            self.kept.clear()
            self.own += 1
            self.floor = (self.latest, self.own)

    def get(self, address: str, line: "RedisLine | DatabaseLine") -> Page | None:
        page = self.pages.get(address)
        if page is None:
            return None
        heard = self.heard
        for key in page.keys:
            found = heard.get(key)
            if found is not None and found.tick > page.tick:
                self.drop(address)
                return None
        if time.time() >= page.expires:
            self.drop(address)
            return None
        if time.monotonic() - page.checked > RECHECK_SECONDS:
            if not is_fresh(page, line.stamps_of(page.keys)):
                self.drop(address)
                return None
            page.checked = time.monotonic()
        with self.lock:
            if address in self.pages:
                self.pages.move_to_end(address)
        return page

    def put(self, address: str, page: Page) -> None:
        page.checked = time.monotonic()
        with self.lock:
            self.pages[address] = page
            self.pages.move_to_end(address)
            while len(self.pages) > settings.PAGE_CACHE_ENTRIES:
                self.pages.popitem(last=False)

    def drop(self, address: str) -> None:
        with self.lock:
            self.pages.pop(address, None)

    def hear(self, stamp: Stamp, keys: Iterable[str]) -> None:
        heard = self.heard
        for key in keys:
            found = heard.get(key)
            if found is None or found.tick < stamp.tick:
                heard[key] = stamp
        if len(heard) > settings.PAGE_CACHE_ENTRIES * 50:
            # Forgetting what was heard would let old pages back: forget
            # them too (the database line's stamps are what it heard).
            self.clear()


LOCAL = Local()


class RedisLine:
    """Clock, stamps and pages in Redis, shared by every process and node;
    purges published to all."""

    def __init__(self):
        import redis

        options = settings.CACHES[STAMPS]
        self.channel = f"{options.get('KEY_PREFIX', '')}:{CHANNEL}"
        # Keepalive, so that a line broken without a word is found broken.
        self.client = redis.Redis.from_url(options["LOCATION"], socket_keepalive=True)
        self.pubsub = None

    def clock(self) -> Tick:
        """It starts from the wall clock in nanoseconds, so if it is ever
        lost it starts again ahead of every stamp given."""
        stamps = caches[STAMPS]
        tick = stamps.get(CLOCK)
        if tick is None:
            stamps.add(CLOCK, time.time_ns(), timeout=None)
            tick = stamps.get(CLOCK)
        return (tick, 0)

    def stamp(self, keys: set[str]) -> None:
        stamps = caches[STAMPS]
        try:
            tick = stamps.incr(CLOCK)
        except ValueError:
            stamps.add(CLOCK, time.time_ns(), timeout=None)
            tick = stamps.incr(CLOCK)
        now = Stamp((tick, 0), time.time())
        stamps.set_many({STAMP + key: now for key in keys}, timeout=None)
        LOCAL.hear(now, keys)
        self.client.publish(self.channel, " ".join([str(tick), str(now.at), *sorted(keys)]))

    def stamps_of(self, keys: Sequence[str]) -> list[Stamp | None]:
        found = caches[STAMPS].get_many([STAMP + key for key in keys])
        return [found.get(STAMP + key) for key in keys]

    def first_seen(self, key: str) -> Stamp | None:
        # `add` never overwrites a purge that got there first.
        caches[STAMPS].add(STAMP + key, NEVER, timeout=None)
        return caches[STAMPS].get(STAMP + key)

    def hear(self) -> None:
        """Take in every purge published so far. A line that broke may have
        lost purges: then every page held goes."""
        try:
            if self.pubsub is None:
                self.pubsub = self.client.pubsub()
                self.pubsub.subscribe(self.channel)
                self.pubsub.get_message(timeout=5)  # the subscription's confirmation
                LOCAL.clear()
            # Each drain below reads every whole message there is, so while
            # the socket has nothing to read (its file, a private attribute
            # of redis-py's connection) no purge is waiting.
            if not select.select([self.pubsub.connection._sock], [], [], 0)[0]:
                return
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "message":
                    tick, at, *keys = message["data"].decode().split()
                    LOCAL.hear(Stamp((int(tick), 0), float(at)), keys)
        except Exception:
            self.pubsub = None
            LOCAL.clear()
            raise

    def shared_page(self, address: str) -> Page | None:
        return caches[PAGES].get(address)

    def share(self, address: str, page: Page, seconds: int) -> None:
        caches[PAGES].set(address, page, seconds)


class DatabaseLine:
    """Purges in a log table of the embedded SQLite database, read by each
    process when another connection has written. Pages are not shared."""

    def clock(self) -> Tick:
        return (LOCAL.latest, LOCAL.own)

    def stamp(self, keys: set[str]) -> None:
        from ..models import PagePurge

        if connection.in_atomic_block:
            # Not committed, so for this process alone: the purge at commit
            # tells the others.
            with LOCAL.lock:
                LOCAL.own += 1
                tick = (LOCAL.latest, LOCAL.own)
            LOCAL.hear(Stamp(tick, time.time()), keys)
            return
        purge = PagePurge.objects.create(keys=" ".join(sorted(keys)), at=time.time())
        if purge.pk % 1000 == 0:
            PagePurge.objects.filter(pk__lte=purge.pk - LOG_KEPT).delete()
        self.read()

    def stamps_of(self, keys: Sequence[str]) -> list[Stamp | None]:
        heard, unheard = LOCAL.heard, Stamp(LOCAL.floor, 0.0)
        return [heard.get(key, unheard) for key in keys]

    def first_seen(self, key: str) -> Stamp | None:
        return self.stamps_of([key])[0]

    def hear(self) -> None:
        connection.ensure_connection()
        raw = connection.connection
        # Changes whenever another connection commits; asked of memory.
        version = raw.execute("PRAGMA data_version").fetchone()[0]
        if getattr(connection, "page_cache_version", None) != version:
            connection.page_cache_version = version  # type: ignore[attr-defined]
            self.read()

    def read(self) -> None:
        from ..models import PagePurge

        if not LOCAL.started:
            # Purges made before this process started name no page it holds.
            newest = PagePurge.objects.order_by("-pk").values_list("pk", flat=True).first()
            with LOCAL.lock:
                LOCAL.started, LOCAL.latest = True, newest or 0
            return
        rows = PagePurge.objects.filter(pk__gt=LOCAL.latest).order_by("pk")
        for pk, keys, at in rows.values_list("pk", "keys", "at"):
            with LOCAL.lock:
                LOCAL.latest, LOCAL.own = max(LOCAL.latest, pk), 0
            LOCAL.hear(Stamp((pk, 0), at), keys.split())

    def shared_page(self, address: str) -> Page | None:
        return None

    def share(self, address: str, page: Page, seconds: int) -> None:
        pass


@functools.cache
def line() -> RedisLine | DatabaseLine:
    """This process's line, made once (after gunicorn forks it)."""
    if "redis" in settings.CACHES[STAMPS]["BACKEND"].lower():
        return RedisLine()
    return DatabaseLine()


def hear() -> None:
    """Take in every purge made so far, before answering a request."""
    line().hear()


def clock() -> Tick:
    return line().clock()


def stamp(keys: Iterable[str]) -> None:
    """Mark every page naming any of `keys` stale, in every process."""
    if keys := set(keys):
        line().stamp(keys)


def purge(keys: Iterable[str]) -> None:
    """Call inside the transaction that changes what `keys` name. Purging at
    once shows this connection's next read fresh; purging again at commit
    discards what another request built from the old rows in between, and
    tells every other process."""
    keys = frozenset(keys)
    stamp(keys)
    transaction.on_commit(lambda: stamp(keys))
    cdn_purge_on_commit(keys)


def stamps_of(keys: Sequence[str]) -> list[Stamp | None]:
    return line().stamps_of(keys)


def is_fresh(page: Page, stamps: list[Stamp | None]) -> bool:
    return all(found is not None and found.tick <= page.tick for found in stamps)


def lookup(address: str) -> Page | None:
    """The page for `address` while nothing it shows has changed: from this
    process's memory, else from what every process shares."""
    current = line()
    page = LOCAL.get(address, current)
    if page is not None:
        return page
    page = current.shared_page(address)
    if page is None or time.time() >= page.expires:
        return None
    if not is_fresh(page, current.stamps_of(page.keys)):
        return None
    LOCAL.put(address, page)
    # A purge heard while it was fetched counts too.
    return LOCAL.get(address, current)


def ready(page: Page) -> list[Stamp] | None:
    """The stamps of the keys `page` names, unless one was purged while it
    was built (then it must not be stored)."""
    current = line()
    stamps = current.stamps_of(page.keys)
    for index, found in enumerate(stamps):
        if found is None:
            stamps[index] = current.first_seen(page.keys[index])
    if not is_fresh(page, stamps):
        return None
    return [found for found in stamps if found is not None]


def put(address: str, page: Page) -> None:
    line().share(address, page, max(1, int(page.expires - time.time())))
    LOCAL.put(address, page)


def remembered(key: str, compute: Callable[[], Any], *, refresh: bool = False) -> Any:
    """`compute()`'s result, kept until `key` is purged: from this process
    while the key's stamp says so (one read of the stamp), else from what
    every process shares."""
    current = line()
    name = MEMO + key
    found = None if refresh else current.stamps_of([key])[0]
    if found is not None:
        held = LOCAL.memos.get(name)
        if held is None or held[0] < found.tick:
            held = caches[PAGES].get(name)
        if held is not None and found.tick <= held[0]:
            LOCAL.memos[name] = held
            return held[1]
    tick = current.clock()
    value = compute()
    # Stamped, so that a purge during `compute()` shows on the next read.
    current.first_seen(key)
    caches[PAGES].set(name, (tick, value), MEMO_SECONDS)
    LOCAL.memos[name] = (tick, value)
    return value


# Values `kept` by each process: a story's related stories are a few
# hundred bytes.
KEPT_MOST = 2000


def kept(key: str, name: str, compute: Callable[[], Any], *, refresh: bool = False) -> Any:
    """`compute()`'s result, kept in this process under `name` until `key`
    is purged: for the many values that hang on one key (each story's
    related stories on every story changing), too many to share through the
    cache one by one. The stamp is read before the value is made, so a
    purge while it is made shows on the next read."""
    current = line()
    stamp = current.stamps_of([key])[0] or current.first_seen(key)
    tick = stamp.tick if stamp is not None else None
    if not refresh and tick is not None:
        with LOCAL.lock:
            held = LOCAL.kept.get(name)
            if held is not None and held[0] == tick:
                LOCAL.kept.move_to_end(name)
                return held[1]
    value = compute()
    if tick is not None:
        with LOCAL.lock:
            LOCAL.kept[name] = (tick, value)
            LOCAL.kept.move_to_end(name)
            while len(LOCAL.kept) > KEPT_MOST:
                LOCAL.kept.popitem(last=False)
    return value
