"""The page cache in front of Django: a reader's request for a stored page
is answered before Django sees it, at close to what the server itself can
serve; anything else goes on to Django, and a public page it answers is
stored on the way back.

Readers only: a request carrying a session cookie (an editor, logged in)
always reaches Django. Django decides what may be stored: a page is kept
only if its view named what it shows (`Surrogate-Key`) and for how long
(`s-maxage`), and it set no cookie.
"""

import logging
import re
import time
from hashlib import blake2b
from http import HTTPStatus
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import parse_cookie
from django.utils.http import http_date, parse_http_date_safe

from . import store

log = logging.getLogger(__name__)

# Nobody reads these from the cache: the desk, files, previews and search.
PASS_BY = ("/admin/", "/preview/", "/search/")
MAX_AGE = re.compile(r"s-maxage=(\d+)")
NOT_MODIFIED = f"{HTTPStatus.NOT_MODIFIED.value} {HTTPStatus.NOT_MODIFIED.phrase}"
# What a 304 repeats of the full answer (RFC 9110, 15.4.5).
REPEATED = {"cache-control", "etag", "expires", "last-modified", "vary", "surrogate-key"}
CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


class PageCache:
    def __init__(self, app):
        self.app = app
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.pass_by = (*PASS_BY, settings.STATIC_URL, settings.MEDIA_URL)
        self.https_header = settings.SECURE_PROXY_SSL_HEADER

    def __call__(self, environ, start_response):
        address = self.address(environ)
        if address is None:
            return self.app(environ, start_response)
        try:
            store.hear()
        except Exception:
            # No word of purges (Redis or the database is down): nothing
            # kept can be trusted, and Django answers.
            log.exception("The page cache cannot hear purges; answering uncached")
            return self.app(environ, start_response)
        page = store.lookup(address)
        if page is not None:
            return answer(environ, start_response, page.status, page.headers, page.body, page)
        return self.build(environ, start_response, address)

    def address(self, environ) -> str | None:
        """The cache's name for what a reader asked for; None when it is
        not for the cache."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return None
        path = environ.get("PATH_INFO", "/")
        if path.startswith(self.pass_by):
            return None
        cookies = environ.get("HTTP_COOKIE")
        if cookies and self.session_cookie in parse_cookie(cookies):
            return None
        # Pages read one parameter, the page number; others (a campaign's
        # tags on a shared link) change nothing and share the page.
        page = ""
        if query := environ.get("QUERY_STRING"):
            numbers = [value for name, value in parse_qsl(query) if name == "page"]
            if numbers:
                if len(numbers) > 1 or not numbers[0].isdigit() or len(numbers[0]) > 6:
                    return None
                page = str(int(numbers[0]))
        scheme = environ["wsgi.url_scheme"]
        if self.https_header and environ.get(self.https_header[0]) == self.https_header[1]:
            scheme = "https"
        # The host as sent: pages name it (without SITE_URL) as they got it.
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        raw = f"{scheme}://{host}{path}?{page}".encode("utf-8", "surrogateescape")
        return store.PAGE + blake2b(raw, digest_size=20).hexdigest()

    def build(self, environ, start_response, address: str):
        """Let Django answer, and keep the page if it is one to keep. The
        reader's conditions are held back from Django, so that a revisit is
        still a page to keep, and answered here."""
        try:
            tick = store.clock()
        except Exception:
            log.exception("The page cache cannot read its clock; answering uncached")
            return self.app(environ, start_response)
        asked = {name: environ.pop(name) for name in CONDITIONS if name in environ}
        said: dict = {}

        def hold(status, headers, exc_info=None):
            if exc_info:
                return start_response(status, headers, exc_info)
            said.update(status=status, headers=headers)
            return lambda data: None

        result = self.app(environ, hold)
        environ.update(asked)
        status, headers = said["status"], said["headers"]
        seconds = keep_for(environ, status, headers)
        if seconds is None and not (status.startswith("200 ") and header(headers, "etag")):
            start_response(status, headers)
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        stored: store.Page | None = None
        if seconds is not None:
            keys = tuple((header(headers, "surrogate-key") or "").split())
            now = time.time()
            page = store.Page(tick, keys, status, headers, body, now, now + seconds)
            try:
                stamps = store.ready(page)
            except Exception:
                log.exception("The page cache cannot read its stamps; the page is not kept")
                stamps = None
            if stamps is not None:
                last_modified = int(page.stored)
                # A change in the same second would leave two versions under
                # one date; then the date is left out and the ETag decides.
                if header(headers, "last-modified") is None and all(
                    found.at < last_modified for found in stamps
                ):
                    headers.append(("Last-Modified", http_date(last_modified)))
                try:
                    store.put(address, page)
                    stored = page
                except Exception:
                    log.exception("The page cache cannot keep the page")
        return answer(environ, start_response, status, headers, body, stored, hit=False)


def keep_for(environ, status: str, headers: list[tuple[str, str]]) -> int | None:
    """For how many seconds Django's answer may be kept; None: not at all."""
    if environ["REQUEST_METHOD"] != "GET" or not status.startswith("200 "):
        return None
    if header(headers, "surrogate-key") is None or header(headers, "set-cookie") is not None:
        return None
    if "cookie" in (header(headers, "vary") or "").lower():
        return None
    # Compressed for one reader is not for every reader.
    if header(headers, "content-encoding") is not None:
        return None
    seconds = MAX_AGE.search(header(headers, "cache-control") or "")
    if seconds is None or int(seconds[1]) < 1:
        return None
    return int(seconds[1])


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def answer(environ, start_response, status, headers, body, stored, *, hit: bool = True):
    """The page, or 304 Not Modified when the reader's copy is this one;
    `stored` is the page as kept, if it was."""
    headers = [*headers, ("X-Cache", "HIT" if hit else "MISS")]
    if stored is not None:
        # How long it has been kept, so that a CDN keeps it no longer than
        # the view allowed.
        headers.append(("Age", str(max(0, int(time.time() - stored.stored)))))
    if status.startswith("200 ") and unchanged(environ, headers):
        start_response(NOT_MODIFIED, [(k, v) for k, v in headers if k.lower() in REPEATED])
        return []
    start_response(status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def unchanged(environ, headers) -> bool:
    """The reader's conditions (RFC 9110, 13.2.2): an ETag they hold, else a
    date at or after the page's own."""
    if "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False
    if asked := environ.get("HTTP_IF_NONE_MATCH"):
        etag = header(headers, "etag")
        if etag is None:
            return False
        held = {tag.strip().removeprefix("W/") for tag in asked.split(",")}
        return "*" in held or etag.removeprefix("W/") in held
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE") or "")
    modified = parse_http_date_safe(header(headers, "last-modified") or "")
    return since is not None and modified is not None and modified <= since
