"""Site-wide data every page shows (the section tree, ad slots), kept in the
cache until the desk changes it.

Entries are keyed by a version number that every change moves on. A page
that read the database before a change can only ever store what it read
under the old number, which no later page asks for, so no stale entry
outlives a change. The number starts from the clock, so a version key the
cache evicted never comes back as an old number.

Each process also keeps the entries it last used, with their number: while
the number is the same, a page reads only the number from the cache, once.
"""

import time
from collections.abc import Callable
from typing import cast

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpRequest

VERSION_KEY = "newsroom:sitewide:version"
# A day, so entries of versions nobody asks for any more go away.
TIMEOUT = 24 * 60 * 60
# A local-memory cache belongs to one process, and only the process that
# made a change hears of it; the others catch up when their entry expires.
LOCAL_TIMEOUT = 60


def _timeout() -> int:
    return LOCAL_TIMEOUT if isinstance(caches["default"], LocMemCache) else TIMEOUT


def sitewide_version() -> int:
    # Never None: a missing key is set to the default, which comes back.
    return cast(int, cache.get_or_set(VERSION_KEY, time.time_ns(), timeout=None))


# name -> (version, value, until): what this process last used. Values are
# shared by the requests that read them, which never change them.
_held: dict[str, tuple[int, list, float]] = {}


def sitewide(name: str, load: Callable[[], list], request: HttpRequest | None = None) -> list:
    """`load()`'s result, from this process or the cache while nothing has
    changed. With `request`, the version is read once for all of its
    site-wide data."""
    # Kept on the request, as middleware keeps its own.
    version: int | None = getattr(request, "_sitewide_version", None)
    if version is None:
        version = sitewide_version()
        if request is not None:
            request._sitewide_version = version  # type: ignore[attr-defined]
    held = _held.get(name)
    if held is not None and held[0] == version and time.monotonic() < held[2]:
        return held[1]
    key = f"newsroom:sitewide:{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, _timeout())
    # No longer than the shared entry: in local memory, that is how long
    # another process's change may take to show here.
    _held[name] = (version, value, time.monotonic() + _timeout())
    return value


def _move_on() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def sitewide_changed() -> None:
    """Call inside the transaction that changes site-wide data. Moving on at
    once serves this connection's own next read fresh; moving on again at
    commit discards whatever another request cached in between."""
    _move_on()
    transaction.on_commit(_move_on)
