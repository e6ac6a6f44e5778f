"""Rebuild the search index of every story: after upgrading to a version
with search, or to recover from a write that went round the services."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.management.progress import show_progress
from articles.models import Article
from articles.services.search import CHUNK, search_forget_deleted, search_index


class Command(BaseCommand):
    help = "Rebuild the search index of every story."

    def handle(self, *args, verbosity: int = 1, **options):
        search_forget_deleted()
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                search_index(ids[start : start + CHUNK])
            if verbosity:
                show_progress(self, min(start + CHUNK, len(ids)), len(ids), "stories")
        if verbosity:
            self.stdout.write("")
            self.stdout.write(f"Indexed {len(ids)} stories for search.")
