from django.db import models
from django.db.models import Q

from .content import Section


class AdSlot(models.Model):
    """Markup for a named advertising position, site-wide or for one section
    and its subsections. Pages place slots by name; the editor's text never
    carries them."""

    name = models.SlugField(
        max_length=50, help_text="The slot the templates place, e.g. “article-top”."
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ad_slots",
        help_text="Empty: every section without a slot of its own.",
    )
    markup = models.TextField(
        help_text="HTML from the ad server. Trusted: shown to readers as written."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "section__tree_order"]
        constraints = [
            models.UniqueConstraint(fields=["name", "section"], name="ad_slot_once_per_section"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(section__isnull=True),
                name="ad_slot_once_site_wide",
                violation_error_message="A site-wide slot with this name already exists.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.section or 'site-wide'})"
