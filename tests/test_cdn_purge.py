"""A CDN in front of the site hears of every purge by key, from the worker
once the change is committed: Fastly's API or Varnish with vmod-xkey, here a
real HTTP server on this machine standing in for either."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles.models import Article
from articles.services import workflow

from .factories import make_article, make_author
from .worker import run_worker

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    received: list[dict] = []

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append(
            {
                "method": self.command,
                "path": self.path,
                # Looked up as HTTP names are, whatever their case.
                "headers": self.headers,
                "body": self.rfile.read(length),
            }
        )
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = do_PURGE = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn() -> Iterator[list[dict]]:
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Recorder.received, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def publish_and_run_worker(world, editor, capture) -> Article:
    draft = make_article(
        world, headline="Bridge reopens", status=Article.Status.DRAFT, authors=[make_author()]
    )
    with capture(execute=True):
        workflow.article_publish(article=draft, user=editor)
    run_worker()
    return draft


def test_publishing_purges_fastly_by_the_keys_of_every_page_it_changed(
    cdn, settings, world, editor, django_capture_on_commit_callbacks
):
    received, origin = cdn
    settings.CDN_PURGE_URL = f"{origin}/service/SERVICE/purge"
    settings.CDN_PURGE_STYLE = "fastly"
    settings.CDN_PURGE_TOKEN = "fastly-api-token"
    story = publish_and_run_worker(world, editor, django_capture_on_commit_callbacks)
    assert len(received) == 1
    purge = received[0]
    assert (purge["method"], purge["path"]) == ("POST", "/service/SERVICE/purge")
    assert purge["headers"]["Fastly-Key"] == "fastly-api-token"
    keys = set(json.loads(purge["body"])["surrogate_keys"])
    byline = story.bylines.get().author
    assert {
        f"story-{story.pk}",
        "stories",
        f"section-{world.pk}",
        f"section-{world.parent_id}",
        f"by-{byline.pk}",
    } <= keys


def test_varnish_gets_a_purge_request_naming_the_keys(
    cdn, settings, world, editor, django_capture_on_commit_callbacks
):
    received, origin = cdn
    settings.CDN_PURGE_URL = f"{origin}/"
    settings.CDN_PURGE_STYLE = "varnish"
    settings.CDN_PURGE_TOKEN = ""
    story = publish_and_run_worker(world, editor, django_capture_on_commit_callbacks)
    [purge] = received
    assert purge["method"] == "PURGE"
    assert f"story-{story.pk}" in purge["headers"]["xkey-purge"].split()
    assert "Authorization" not in purge["headers"]


def test_many_keys_go_in_batches_fastly_accepts(cdn, settings):
    from articles.pagecache.cdn import cdn_purge

    received, origin = cdn
    settings.CDN_PURGE_URL = f"{origin}/service/SERVICE/purge"
    assert cdn_purge([f"story-{n}" for n in range(600)]) == 3
    sizes = [len(json.loads(purge["body"])["surrogate_keys"]) for purge in received]
    assert sizes == [256, 256, 88]


def test_a_cdn_that_is_down_never_holds_up_the_desk(
    settings, world, editor, django_capture_on_commit_callbacks
):
    settings.CDN_PURGE_URL = "http://127.0.0.1:9/purge"
    draft = make_article(world, status=Article.Status.DRAFT, authors=[make_author()])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_publish(article=draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_no_cdn_configured_queues_no_purge(world, editor, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    draft = make_article(world, status=Article.Status.DRAFT, authors=[make_author()])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_publish(article=draft, user=editor)
    assert not DBTaskResult.objects.filter(task_path__endswith="purge_cdn").exists()
