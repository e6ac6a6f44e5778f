"""Whole pages kept in the cache, and the keys that say when one is stale.

A page is stored with the keys of everything it shows (`story-12`,
`section-3`, `site`: see `keys.py`) and the reading of a clock taken before
it was built. Purging a key stamps it with a later reading. A stored page is
served only while no key it names carries a stamp later than its own
reading: a page built while a change was being committed was stamped before
that change's purge, so it is never served after it. Every app node reads
the same clock and stamps (Redis), so a purge on one is seen by all at once.

A stamp that is missing (evicted) makes every page naming it stale: pages
are only ever served on evidence. Keys are stamped when first stored.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction

CLOCK = "clock"
STAMP = "stamp:"
PAGES = "pages"
STAMPS = "page_stamps"
MEMO = "memo:"
MEMO_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Stamp:
    # Clock reading of the last purge, and the wall time it happened, which
    # decides whether a Last-Modified date can be trusted.
    tick: int
    at: float


NEVER = Stamp(0, 0.0)


@dataclass(slots=True)
class Page:
    tick: int
    keys: tuple[str, ...]
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    # Wall time it was stored.
    stored: float


def clock() -> int:
    """The clock's reading now. It starts from the wall clock in nanoseconds,
    so if it is ever lost it starts again ahead of every stamp given."""
    stamps = caches[STAMPS]
    tick = stamps.get(CLOCK)
    if tick is None:
        stamps.add(CLOCK, time.time_ns(), timeout=None)
        tick = stamps.get(CLOCK)
    return tick


def _tick() -> int:
    stamps = caches[STAMPS]
    try:
        return stamps.incr(CLOCK)
    except ValueError:
        stamps.add(CLOCK, time.time_ns(), timeout=None)
        return stamps.incr(CLOCK)


def stamp(keys: Iterable[str]) -> None:
    """Mark every page naming any of `keys` stale, on every node."""
    keys = set(keys)
    if keys:
        now = Stamp(_tick(), time.time())
        caches[STAMPS].set_many({STAMP + key: now for key in keys}, timeout=None)


def purge(keys: Iterable[str]) -> None:
    """Call inside the transaction that changes what `keys` name. Purging at
    once shows this connection's next read fresh; purging again at commit
    discards what another request built from the old rows in between."""
    keys = frozenset(keys)
    stamp(keys)
    transaction.on_commit(lambda: stamp(keys))
    from .cdn import cdn_purge_on_commit

    cdn_purge_on_commit(keys)


def stamps_of(keys: Sequence[str]) -> list[Stamp | None]:
    found = caches[STAMPS].get_many([STAMP + key for key in keys])
    return [found.get(STAMP + key) for key in keys]


def is_fresh(page: Page, stamps: list[Stamp | None]) -> bool:
    return all(found is not None and found.tick <= page.tick for found in stamps)


def lookup(address: str) -> Page | None:
    """The page stored for `address` while nothing it shows has changed."""
    page = caches[PAGES].get(address)
    if page is None or not is_fresh(page, stamps_of(page.keys)):
        return None
    return page


def ready(page: Page) -> list[Stamp] | None:
    """The stamps of the keys `page` names, unless one was purged while it
    was built (then it must not be stored)."""
    stamps = stamps_of(page.keys)
    for index, found in enumerate(stamps):
        if found is None:
            # First sight of this key: nothing purged it yet. `add` never
            # overwrites a purge that got there first.
            name = STAMP + page.keys[index]
            caches[STAMPS].add(name, NEVER, timeout=None)
            stamps[index] = caches[STAMPS].get(name)
    if not is_fresh(page, stamps):
        return None
    return [found for found in stamps if found is not None]


def remembered(key: str, compute: Callable[[], Any], *, refresh: bool = False) -> Any:
    """`compute()`'s result, kept until `key` is purged."""
    name = MEMO + key
    held = None if refresh else caches[PAGES].get(name)
    if held is not None:
        tick, value = held
        found = stamps_of([key])[0]
        if found is not None and found.tick <= tick:
            return value
    tick = clock()
    value = compute()
    # Stamped, so that a purge during `compute()` shows on the next read.
    caches[STAMPS].add(STAMP + key, NEVER, timeout=None)
    caches[PAGES].set(name, (tick, value), MEMO_SECONDS)
    return value


def put(address: str, page: Page, seconds: int) -> None:
    caches[PAGES].set(address, page, seconds)
