"""`manage.py db_worker`: django-tasks-db's worker, made to outlive a
database that is out of reach for a while.

The library's worker stops at the first database error it meets outside a
task: SQLite's "database is locked" while the site and the desk keep the
file busy, or a PostgreSQL connection cut by a server restart or failover
while the worker claims a task or records its result. Scheduled updates then
wait until someone notices. This command keeps the library's name, so every
`db_worker` is this one (`articles` comes before `django_tasks_db` in
INSTALLED_APPS, and the first app to define a command name wins).

It wraps the library's `handle()` instead of subclassing its `Worker`,
which `handle()` builds inline (a subclass would mean copying `handle()`):
nothing of the library is copied and every option keeps its meaning. When
the worker stops on a transient error, the command waits for the database
and starts it again with the same options and worker id. Errors inside a
task stay the library's business: it records the task as failed. With
`--reload`, a development aid, the worker runs in the reloader's thread,
whose errors never reach this command.
"""

import logging
import random
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from articles.dberrors import is_transient

logger = logging.getLogger(__name__)

# Seconds between attempts while the database stays out of reach.
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


def wait_for_database(error: InterfaceError | OperationalError) -> None:
    """Pause, doubling the pause while the database still fails (1 s up to
    30 s, with a little jitter so that several workers do not knock at
    once), until it takes a write transaction on the queue again. Each
    outage starts again from the first pause."""
    pause = FIRST_PAUSE
    while True:
        logger.warning(
            "The worker met a database error (%s: %s); trying again in %.0f s.",
            type(error).__name__,
            str(error).partition("\n")[0],
            pause,
        )
        # A lost server leaves a connection broken; the next query opens
        # a fresh one.
        connections.close_all()
        time.sleep(pause * random.uniform(1, 1.1))
        try:
            with exclusive_transaction(DBTaskResult.objects.db):
                DBTaskResult.objects.exists()
        except (InterfaceError, OperationalError) as again:
            if not is_transient(again):
                raise
            error, pause = again, min(pause * 2, LONGEST_PAUSE)
        else:
            logger.info("The database answers again; the worker carries on.")
            return


class Command(db_worker.Command):
    help = "Run the database background worker; it outlives transient database errors."

    def handle(self, **options) -> None:
        while True:
            try:
                return super().handle(**options)
            except (InterfaceError, OperationalError) as error:
                if not is_transient(error):
                    raise
                wait_for_database(error)
            # The pause was the delay; a restart is no thundering herd.
            options["startup_delay"] = False
