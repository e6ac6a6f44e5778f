"""The story's history: revisions, prepared updates and corrections."""

from django.conf import settings
from django.db import models

from ..querysets import ScheduledUpdateQuerySet, pending_q
from .content import Article


def desk_name(user, *, missing: str) -> str:
    """A member of the desk as the desk names them; `missing` when there is
    none (the work was automatic, or their login is gone)."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()


class Revision(models.Model):
    """One recorded save or action: who, when, what, and the story's content
    as it stood afterwards (see `revisions.snapshot`)."""

    # The action of a submission for review, by which the desk finds who
    # submitted a story and when.
    SUBMITTED = "Submitted for review"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=200)
    # Tells of a prepared update (scheduled or cancelled): embargoed copy,
    # shown to editors only.
    is_desk_only = models.BooleanField(default=False)
    changed = models.JSONField(default=list, help_text="Labels of the fields this save changed.")
    data = models.JSONField()

    # Not stored: what the revision changed, in words, set by the desk's
    # history page.
    changed_text: str

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_once"),
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.article}”"

    @property
    def author_name(self) -> str:
        return desk_name(self.created_by, missing="Newsroom (automatic)")


class ScheduledUpdate(models.Model):
    """Changes to a live story, prepared ahead and applied at `due_at`. Only
    the fields the editor changed are kept, so edits made to the live story
    in the meantime survive."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="scheduled_updates")
    due_at = models.DateTimeField("apply at", db_index=True)
    changes = models.JSONField()
    # A substantive update moves the "Updated on" time readers see when it
    # is applied; a small fix does not.
    substantive = models.BooleanField(default=False)
    # The live story's values of the changed fields when the update was
    # prepared: if they moved since, applying would undo someone's edit.
    base = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True, help_text="Why the update could not be applied.")

    objects = ScheduledUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=pending_q(),
                name="scheduled_update_pending",
            )
        ]

    def __str__(self):
        return f"Update of “{self.article}”"


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right, as readers will read it.")
    published_at = models.DateTimeField("dated", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["published_at", "pk"]

    def __str__(self):
        return self.get_kind_display()


class Note(models.Model):
    """A word between a story's reporter and its editors, kept with the
    story: what it needs, why it went back to draft, a reply."""

    # Long enough for any note, short of a second story.
    MAX_LENGTH = 2000

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["-created_at"], name="note_newest")]

    def __str__(self):
        return f"Note on “{self.article}”"

    @property
    def author_name(self) -> str:
        return desk_name(self.written_by, missing="A former member of the desk")


class EditingSession(models.Model):
    """A person with a story's form open, and what they have typed there
    but not saved: kept on the server as they type, so a reload, a closed
    window or a crash loses nothing, and shown to the others who open the
    story. One per person and story; one per person for a story not saved
    yet (`article` empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, null=True, on_delete=models.CASCADE, related_name="editing_sessions"
    )
    # When the form last said it was open; empty once it is closed.
    seen_at = models.DateTimeField(null=True)
    # Field name to text, as the form would post it; empty when nothing
    # typed is unsaved.
    unsaved = models.JSONField(default=dict)
    unsaved_at = models.DateTimeField(null=True)
    # The version the unsaved text was typed on.
    base_version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="one_editing_session_per_story"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article=None),
                name="one_new_story_session_per_person",
            ),
        ]
        indexes = [models.Index(fields=["article", "seen_at"], name="editing_session_open")]

    def __str__(self):
        return f"{self.user} on “{self.article or 'a new story'}”"

    @property
    def person_name(self) -> str:
        return desk_name(self.user, missing="A former member of the desk")
