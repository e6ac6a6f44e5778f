"""How often each story was read, by the hour: counts only, gathered in
the cache and written in batches (`articles.readership`), with nothing
about who read it."""

from django.db import models

from .content import Article


class ReadTally(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_tallies")
    # The start of the hour the reads were written in.
    hour = models.DateTimeField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="read_tally_once_an_hour")
        ]
        # The last day's counts, without walking older ones.
        indexes = [models.Index(fields=["hour", "article"], name="read_tally_recent")]

    def __str__(self):
        return f"{self.article_id} read {self.reads} times in the hour from {self.hour}"
