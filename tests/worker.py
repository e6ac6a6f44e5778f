"""The real database worker, run once inside a test."""

import io
import signal
from unittest import mock

from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_worker() -> None:
    """One real `db_worker --batch` run: every ready task, then exit. The
    worker runs inside the test's transaction, so its habit of closing idle
    connections between tasks is switched off for the run."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with mock.patch(f"{Worker.__module__}.close_old_connections", lambda: None):
            call_command(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                verbosity=0,
                stdout=io.StringIO(),
            )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert not failed.exists(), failed.first().traceback
