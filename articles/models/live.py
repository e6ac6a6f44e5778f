"""Live coverage: a story marked as live (`Article.is_live`) carries
timestamped entries, newest first, some pinned or marked as key events,
until the desk ends its coverage (`Article.coverage_ended_at`). Every
change to an entry goes through `services.live` and is recorded here."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from ..formats import plain_text
from ..pictures.models import Image
from ..richtext import ENTRY_EXTENSIONS, sanitize_entry
from .content import Article, Author

# Far more than an entry needs: a few paragraphs.
ENTRY_MAX_CHARACTERS = 20_000


class LiveEntry(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_entries")
    headline = models.CharField(max_length=110, blank=True, help_text="Optional: a short line.")
    body = ProseEditorField(
        extensions=ENTRY_EXTENSIONS,
        sanitize=True,
        validators=[MaxLengthValidator(ENTRY_MAX_CHARACTERS)],
    )
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.PROTECT, related_name="live_entries"
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_entries"
    )
    # Readers see it from this time: a time ahead schedules it.
    published_at = models.DateTimeField()
    is_pinned = models.BooleanField("pinned", default=False)
    is_key_event = models.BooleanField("key event", default=False)
    # A change after readers saw it is shown to them with its note.
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction = models.TextField(blank=True, max_length=500)
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "-published_at"], name="live_entry_newest"),
            # The next scheduled entry (`keys.next_change`).
            models.Index(fields=["published_at"], name="live_entry_published"),
        ]

    def __str__(self):
        return self.headline or Truncator(" ".join(strip_tags(self.body).split())).chars(60)

    def save(self, *args, **kwargs):
        self.headline = plain_text(self.headline)
        self.body = sanitize_entry(self.body)
        super().save(*args, **kwargs)


class LiveEntryRevision(models.Model):
    """One change to a live entry: who, when, what, and the entry as it
    stood afterwards; kept when the entry is deleted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        LiveEntry, null=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=200)
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-created_at"], name="live_revision_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(action=""), name="live_revision_says_what_it_did")
        ]

    def __str__(self):
        return self.action
