"""Which database errors waiting may mend: the worker waits them out, and
a scheduled update that meets one is tried again rather than held."""

import sqlite3

from django.db import Error, InterfaceError, OperationalError

# SQLite's only transient failure: another connection holds the file.
SQLITE_TRANSIENT = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def is_transient(error: Error) -> bool:
    """Whether waiting may mend `error`. InterfaceError: the connection is
    closed. OperationalError: the database could not do it now (a lock, a
    refused or lost connection, a server shutting down, a serialization
    failure or deadlock); PostgreSQL reports mistakes in SQL and missing
    tables as ProgrammingError, which is never transient. SQLite reports
    those as OperationalError too, so there only a busy file counts."""
    if not isinstance(error, (InterfaceError, OperationalError)):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return cause.sqlite_errorcode & 0xFF in SQLITE_TRANSIENT
    return True
