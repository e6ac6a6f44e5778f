"""Purges passed on to a CDN in front of the site, by the same keys the page
cache purges (`Surrogate-Key`), once the change is committed, from the
worker, so an editor's save never waits on the CDN.

`CDN_PURGE_URL` names where purges go, in one of two styles
(`CDN_PURGE_STYLE`):

- `fastly`: a POST of `{"surrogate_keys": [...]}` to
  https://api.fastly.com/service/<service id>/purge, with the API token
  (`CDN_PURGE_TOKEN`) as `Fastly-Key`;
- `varnish`: a PURGE request to Varnish carrying the keys in an
  `xkey-purge` header, for a VCL that hands it to vmod-xkey (README).
"""

import json
import logging
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

# Fastly takes at most 256 keys in one purge.
BATCH = 256
ATTEMPTS = 3
TIMEOUT_SECONDS = 10


def cdn_purge_on_commit(keys: Iterable[str]) -> None:
    if not settings.CDN_PURGE_URL:
        return
    keys = sorted(set(keys))

    def enqueue() -> None:
        from ..tasks import purge_cdn

        purge_cdn.enqueue(keys)

    transaction.on_commit(enqueue)


def cdn_purge(keys: list[str]) -> int:
    """Send the purge, in batches; returns how many requests it took. A
    CDN that keeps failing raises, and the task is reported failed."""
    sent = 0
    for start in range(0, len(keys), BATCH):
        _send(purge_request(keys[start : start + BATCH]))
        sent += 1
    return sent


def purge_request(keys: list[str]) -> urllib.request.Request:
    url, token = settings.CDN_PURGE_URL, settings.CDN_PURGE_TOKEN
    if settings.CDN_PURGE_STYLE == "varnish":
        headers = {"xkey-purge": " ".join(keys)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return urllib.request.Request(url, method="PURGE", headers=headers)
    body = json.dumps({"surrogate_keys": keys}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Fastly-Key"] = token
    return urllib.request.Request(url, data=body, method="POST", headers=headers)


def _send(request: urllib.request.Request) -> None:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
            return
        except OSError as error:
            if attempt == ATTEMPTS:
                raise
            log.warning("CDN purge failed (%s); trying again", error)
            time.sleep(attempt)
