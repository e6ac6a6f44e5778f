"""Refresh the database's statistics of its tables and indexes, which its
query planner chooses indexes by. SQLite keeps none until asked: without
them it may walk every live story by the publication index where a list of
forty story numbers would do (related stories by tags). `load_demo` and
`generate_stories` run this when they end; run it after filling a site any
other way."""

from django.core.management.base import BaseCommand
from django.db import connection


def statistics_refresh() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Enough rows of each index to judge it, in milliseconds.
            cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE)."

    def handle(self, *args, **options):
        statistics_refresh()
        if options["verbosity"]:
            self.stdout.write("Statistics refreshed.")
