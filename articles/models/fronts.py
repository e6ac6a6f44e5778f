"""Front pages the desk arranges: the home page's and each section's lead
and top stories, in the editors' order, each staying until it is moved or
until the time it is pinned until. The rest of a front is filled by
recency (`views`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .content import Article, Section

# The stories a front's arrangement holds: its lead and four top stories.
FRONT_SLOTS = 5


class FrontSlot(models.Model):
    FRONT_SLOTS = FRONT_SLOTS

    # None: the home page.
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="front_slots"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="front_slots",
        # What the desk's search box offers: live and scheduled stories.
        limit_choices_to={"status": "published"},
    )
    # 0 is the lead.
    position = models.PositiveSmallIntegerField()
    pinned_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: the story leaves its place at this time; empty keeps it there.",
    )
    arranged_at = models.DateTimeField()
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "front page"
        verbose_name_plural = "front pages"
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "article"], name="front_slot_once"),
            models.UniqueConstraint(
                fields=["article"], condition=Q(section__isnull=True), name="home_slot_once"
            ),
        ]
        indexes = [models.Index(fields=["pinned_until"], name="front_slot_pinned")]

    def __str__(self):
        return f"{self.article} on {self.section or 'the home page'}"
