"""`make serve`: the production server, started as an operator starts it,
answering readers on the port and with the processes it was asked for."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.db import connection

from .factories import make_article, make_author
from .test_worker import ROOT, wait_until

# Committed for the server to see; restored afterwards as the other
# committing tests expect the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_a_server(tmp_path: Path) -> str:
    """The test database as another process reaches it: SQLite's lives in
    memory, so the server gets a copy in a file."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    login = f"{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}"
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def children_of(pid: int) -> list[str]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return found.stdout.split()


def test_make_serve_answers_readers_with_the_workers_it_was_given(tmp_path):
    story = make_article(headline="Ferries resume after the storm", authors=[make_author()])
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_a_server(tmp_path),
        "DJANGO_SECRET_KEY": "serving-test-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "WORKERS": "2",
    }
    env.pop("DJANGO_DEBUG", None)
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_until(lambda: "Booting worker" in log.read_text(), seconds=60), log.read_text()
        page = urlopen(f"http://127.0.0.1:{port}{story.get_absolute_url()}", timeout=10)
        assert page.headers["Server"] == "gunicorn"
        assert "Ferries resume after the storm" in page.read().decode()
        feed = urlopen(f"http://127.0.0.1:{port}/feeds/rss.xml", timeout=10).read().decode()
        assert "Ferries resume after the storm" in feed
        master = int(re.search(r"\[(\d+)\] \[INFO\] Listening at", log.read_text())[1])
        assert wait_until(lambda: len(children_of(master)) == 2), children_of(master)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
