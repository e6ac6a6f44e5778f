"""The worker outlives a database that is briefly out of reach. A real
`manage.py db_worker` process meets a real lock or a real dropped connection
while it claims the task of a due update, waits, and then applies the update;
a mistake that waiting cannot mend still stops it."""

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.management import get_commands
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article

from .factories import make_article, make_author, make_editor, make_section, prepare_update

ROOT = Path(__file__).resolve().parent.parent
UPDATED_HEADLINE = "Dam gates opened; villages evacuated"
RETRYING = "trying again in"

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="locks an SQLite database file"
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cuts a PostgreSQL server connection"
)


def wait_until(condition, *, seconds: float = 20) -> bool:
    """Whether `condition()` came true within `seconds`, asking often."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def story_with_a_due_update() -> Article:
    """A live story whose new headline was due half a minute ago, and the
    task that applies it waiting in the queue."""
    editor, author = make_editor(), make_author("Asha Rao")
    story = make_article(make_section("News"), authors=[author], headline="Dam gates opened")
    with time_machine.travel(timezone.now() - timedelta(minutes=1), tick=False):
        due_at = timezone.now() + timedelta(seconds=30)
        prepare_update(story, editor, due_at, headline=UPDATED_HEADLINE)
    assert DBTaskResult.objects.ready().count() == 1
    return story


@contextmanager
def worker_process(database_url: str, log: Path) -> Iterator[subprocess.Popen]:
    """`manage.py db_worker --batch`, as a process of its own: it runs every
    ready task, then exits. It skips the system checks, which would meet the
    lock first (Django probes SQLite's JSON support in a write transaction)."""
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"]
            + ["--batch", "--no-reload", "--no-startup-delay", "--skip-checks"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker
    finally:
        worker.kill()
        worker.wait()


def assert_retries(worker: subprocess.Popen, log: Path) -> None:
    """The worker met the database error, said so, and lives on."""
    wait_until(lambda: RETRYING in log.read_text() or worker.poll() is not None)
    assert RETRYING in log.read_text() and worker.poll() is None, log.read_text()


def assert_finishes(worker: subprocess.Popen, log: Path) -> None:
    assert worker.wait(timeout=20) == 0, log.read_text()


def shows(client, story: Article, text: str) -> bool:
    return text in client.get(story.get_absolute_url()).content.decode()


def test_db_worker_is_the_newsroom_worker_not_the_librarys():
    # The first app in INSTALLED_APPS to define a command name wins.
    assert get_commands()["db_worker"] == "articles"


# SQLite: the file is busy ---------------------------------------------------


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_outlives_a_locked_database_and_applies_the_update(client, tmp_path):
    story = story_with_a_due_update()
    # The test database lives in memory; the worker gets a copy in a file,
    # in WAL mode as `make run` has it, and waits 1 s (not 5) for a lock.
    database, log = tmp_path / "db.sqlite3", tmp_path / "worker.log"
    connection.ensure_connection()
    with closing(sqlite3.connect(database, isolation_level=None)) as lock:
        connection.connection.backup(lock)
        lock.execute("PRAGMA journal_mode=WAL")
        # Another writer holds the file, as a busy desk and site can.
        lock.execute("BEGIN IMMEDIATE")
        with worker_process(f"sqlite:///{database}?timeout=1", log) as worker:
            try:
                assert_retries(worker, log)
            finally:
                lock.execute("ROLLBACK")
            assert_finishes(worker, log)
        assert "database is locked" in log.read_text()
        lock.backup(connection.connection)
    assert shows(client, story, UPDATED_HEADLINE)


@on_sqlite
def test_the_worker_still_stops_on_a_database_without_its_tables(tmp_path):
    # SQLite reports a missing table as an OperationalError, as it does a
    # lock; waiting mends only the lock.
    log = tmp_path / "worker.log"
    with worker_process(f"sqlite:///{tmp_path / 'empty.sqlite3'}", log) as worker:
        assert worker.wait(timeout=20) != 0
    assert "no such table" in log.read_text()
    assert RETRYING not in log.read_text()


# PostgreSQL: the connection is cut ------------------------------------------

WORKER_NAME = "newsroom-test-worker"


def worker_database_url() -> str:
    """The test database, with the worker's connections named so the test
    can find them."""
    db = connection.settings_dict
    login = f"{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}"
    address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{login}@{address}/{db['NAME']}?application_name={WORKER_NAME}"


def worker_waits(cursor) -> bool:
    """Whether the worker's connection waits for a lock. The activity view
    is read once per transaction unless told to look again."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
        [WORKER_NAME],
    )
    return cursor.fetchone() is not None


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_outlives_a_dropped_connection_and_applies_the_update(client, tmp_path):
    story = story_with_a_due_update()
    log = tmp_path / "worker.log"
    # Between two looks at the queue Django's health check quietly replaces
    # a dead connection; a server restart or failover that cuts it in the
    # middle of a claim is what used to stop the worker. Holding the queue
    # makes the worker wait inside its claim for the cut.
    with worker_process(worker_database_url(), log) as worker:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {DBTaskResult._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            assert wait_until(lambda: worker_waits(cursor)), log.read_text()
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [WORKER_NAME],
            )
        assert_retries(worker, log)
        assert_finishes(worker, log)
    assert "terminating connection due to administrator command" in log.read_text()
    assert shows(client, story, UPDATED_HEADLINE)
