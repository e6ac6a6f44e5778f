"""Two app nodes, as a newsroom runs behind a load balancer: a story
published, unpublished or expiring through one node shows on the other on
its very next request, page cache and all. On PostgreSQL the nodes share
Redis; on the embedded SQLite database they share its file."""

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_author, make_editor, make_section
from .test_serving import database_url_for_a_server, free_port
from .test_worker import ROOT, wait_until

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("post")
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        POSTGRES and not os.environ.get("REDIS_URL"),
        reason="nodes on PostgreSQL hear each other's purges through Redis (REDIS_URL)",
    ),
]

PASSWORD = "a-long-test-password"


@contextmanager
def node(tmp_path: Path, name: str, database: str) -> Iterator[str]:
    """One app node: gunicorn serving the site with its page cache on, on a
    port of its own."""
    port = free_port()
    log = tmp_path / f"{name}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SECRET_KEY": "two-node-test-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "false",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "WEB_CONCURRENCY": "1",
        "PAGE_CACHE": "on",
    }
    env.pop("DJANGO_DEBUG", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as output:
        server = subprocess.Popen(
            [gunicorn, "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    origin = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: answers(origin), seconds=30), log.read_text()
        yield origin
    finally:
        server.terminate()
        server.wait(timeout=20)


def answers(origin: str) -> bool:
    try:
        return requests.get(f"{origin}/robots.txt", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def desk_on(origin: str, username: str) -> requests.Session:
    """An editor logged in to the desk on this node."""
    session = requests.Session()
    form = session.get(f"{origin}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    session.post(
        f"{origin}/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        timeout=10,
    )
    assert "sessionid" in session.cookies
    return session


def act_on(desk: requests.Session, origin: str, action: str, story: Article) -> None:
    """Press one of the story list's actions for `story`, as an editor does."""
    listing = desk.get(f"{origin}/admin/articles/article/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing)[1]
    done = desk.post(
        f"{origin}/admin/articles/article/",
        data={
            "csrfmiddlewaretoken": token,
            "action": action,
            "select_across": "0",
            "index": "0",
            "_selected_action": str(story.pk),
        },
        timeout=10,
    )
    assert done.status_code == 200 and "1 stories" in done.text, done.text[:2000]


def read(origin: str, path: str) -> requests.Response:
    """A reader's request: no cookies, nothing remembered."""
    return requests.get(f"{origin}{path}", timeout=10)


def test_a_change_through_one_node_shows_on_the_other_at_once(tmp_path, settings):
    # The nodes check passwords as production does.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    editor = make_editor("nodes-editor", password=PASSWORD)
    world = make_section("World", parent=make_section("News"))
    make_article(world, headline="Yesterday's story", authors=[make_author()])
    draft = make_article(
        world,
        headline="Ceasefire agreed overnight",
        status=Article.Status.DRAFT,
        authors=[make_author()],
    )
    database = database_url_for_a_server(tmp_path)
    with node(tmp_path, "a", database) as first, node(tmp_path, "b", database) as second:
        read(second, "/")
        home = read(second, "/")
        assert home.headers["X-Cache"] == "HIT"
        assert "Ceasefire agreed overnight" not in home.text

        desk = desk_on(first, editor.username)
        act_on(desk, first, "publish_now", draft)
        home = read(second, "/")
        assert home.headers["X-Cache"] == "MISS"
        assert "Ceasefire agreed overnight" in home.text

        draft.refresh_from_db()
        url = draft.get_absolute_url()
        read(second, url)
        assert read(second, url).headers["X-Cache"] == "HIT"
        act_on(desk, first, "unpublish", draft)
        assert read(second, url).status_code == 404
        assert "Ceasefire agreed overnight" not in read(second, "/").text


def test_an_expiry_shows_on_every_node_when_it_falls_due(tmp_path):
    world = make_section("World", parent=make_section("News"))
    expires = timezone.now() + timedelta(seconds=8)
    story = make_article(world, headline="Roads closed until noon", expires_at=expires)
    url = story.get_absolute_url()
    database = database_url_for_a_server(tmp_path)
    with node(tmp_path, "a", database) as first, node(tmp_path, "b", database) as second:
        for origin in (first, second):
            assert read(origin, url).status_code == 200
            assert read(origin, url).headers["X-Cache"] == "HIT"
        time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.2)
        for origin in (first, second):
            assert read(origin, url).status_code == 404
