from django.db import models


class PagePurge(models.Model):
    """A purge of cached pages, for the processes of one machine that share
    the embedded SQLite database and no Redis: each reads the purges the
    others made (`articles.pagecache.store.DatabaseLine`). With Redis,
    purges are published there instead and this stays empty."""

    keys = models.TextField()
    # Wall time, for Last-Modified dates.
    at = models.FloatField()

    def __str__(self):
        return f"Purge {self.pk}: {self.keys}"
