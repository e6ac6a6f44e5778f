"""Every rule for reading stories and sections, as chainable querysets."""

from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone


def visible_q(now: datetime, prefix: str = "") -> Q:
    """The one rule for what readers may see, evaluated against `now`.

    `prefix` applies it across a relation, e.g. "target__" for the story a
    READ MORE line points at.
    """
    return Q(**{f"{prefix}status": "published", f"{prefix}published_at__lte": now})


class SectionQuerySet(models.QuerySet):
    def top_level(self) -> "SectionQuerySet":
        return self.filter(parent__isnull=True)


class ArticleQuerySet(models.QuerySet):
    def visible(self, now: datetime | None = None) -> "ArticleQuerySet":
        return self.filter(visible_q(now or timezone.now()))

    def in_section(self, section) -> "ArticleQuerySet":
        """Stories of the section and of all its subsections."""
        return self.filter(
            Q(section__path=section.path) | Q(section__path__startswith=f"{section.path}/")
        )

    def tagged(self, tag) -> "ArticleQuerySet":
        return self.filter(tags=tag)

    def by_author(self, author) -> "ArticleQuerySet":
        return self.filter(bylines__author=author)

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")

    def with_bylines(self) -> "ArticleQuerySet":
        Byline = apps.get_model("articles", "Byline")
        return self.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of story summaries shows: section, picture, byline."""
        return (
            self.select_related("section", "lead_image")
            .defer("body")
            .with_bylines()
            .newest_first()
        )

    def for_reading(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Everything the article page shows, in a fixed number of queries.
        READ MORE lines pointing at stories readers cannot see are left out."""
        RelatedLink = apps.get_model("articles", "RelatedLink")
        links = RelatedLink.objects.filter(
            Q(target__isnull=True) | visible_q(now or timezone.now(), prefix="target__")
        ).select_related("target__section")
        return (
            self.select_related("section", "lead_image", "edited_by")
            .with_bylines()
            .prefetch_related("tags", Prefetch("related_links", queryset=links))
        )

    def latest_per_top_section(self, per_section: int) -> "ArticleQuerySet":
        """The newest `per_section` stories under each top-level section, in
        one query."""
        ranked = self.annotate(
            rank_in_section=Window(
                RowNumber(),
                partition_by=F("section__root"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        return ranked.filter(rank_in_section__lte=per_section)
