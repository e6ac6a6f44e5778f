"""A story's workflow: submit for review, send back to draft, publish or
schedule, unpublish, and restore an earlier revision. Each decides on the
story as stored, its row held, checks who may do it, and leaves a
revision."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import freshness, permissions, revisions
from ..formats import reader_time
from ..models import Article, Note, Revision, ScheduledUpdate
from . import checks
from .content import content_apply, revision_record
from .fronts import fronts_leave
from .pages import story_pages_purge
from .search import search_forget

Status = Article.Status


def locked(article: Article) -> Article:
    """The story as stored, its row held until the transaction ends: an
    action decides on what is stored, never on a copy loaded earlier."""
    Article.objects.select_for_update().filter(pk=article.pk).exists()
    article.refresh_from_db()
    return article


def _set_status(article: Article, status: str, *, user, action: str, now=None) -> Revision:
    article.status = status
    article.save(update_fields=["status", "published_at", "modified_at"])
    return revision_record(article=article, user=user, action=action, now=now)


@transaction.atomic
def article_submit(*, article: Article, user, now: datetime | None = None) -> Revision:
    permissions.require(user, locked(article), permissions.SUBMIT, now)
    return _set_status(article, Status.IN_REVIEW, user=user, action=Revision.SUBMITTED, now=now)


@transaction.atomic
def article_withdraw(*, article: Article, user, now: datetime | None = None) -> Revision:
    """The reporter takes their story back from review, to work on it again."""
    permissions.require(user, locked(article), permissions.WITHDRAW, now)
    return _set_status(article, Status.DRAFT, user=user, action="Withdrawn from review", now=now)


@transaction.atomic
def article_return_to_draft(
    *, article: Article, user, note: str, now: datetime | None = None
) -> Revision:
    """Send a story in review back to its reporter, with a note of what it
    needs: a story sent back without a word leaves them guessing."""
    permissions.require(user, locked(article), permissions.RETURN_TO_DRAFT, now)
    if problem := note_problem(note, required=NOTE_FOR_RETURN):
        raise ValidationError({"note": problem})
    revision = _set_status(article, Status.DRAFT, user=user, action="Sent back to draft", now=now)
    note_add(article=article, user=user, text=note, now=now)
    return revision


NOTE_FOR_RETURN = "Say what the story needs: the note goes to its reporter with it."


def note_problem(text: str, *, required: str = "Write the note first.") -> str:
    """What is wrong with `text` as a note; empty when nothing is."""
    if not text.strip():
        return required
    # A browser counts a line break as one character and sends two.
    if len(text.replace("\r\n", "\n")) > Note.MAX_LENGTH:
        return f"Keep a note under {Note.MAX_LENGTH:,} characters."
    return ""


@transaction.atomic
def note_add(*, article: Article, user, text: str, now: datetime | None = None) -> Note:
    """A note on the story from `user`, for its reporter and editors."""
    permissions.require(user, article, permissions.NOTE)
    if problem := note_problem(text):
        raise ValidationError({"note": problem})
    return Note.objects.create(
        article=article, written_by=user, text=text.strip(), created_at=now or timezone.now()
    )


@transaction.atomic
def article_publish(
    *, article: Article, user, at: datetime | None = None, now: datetime | None = None
) -> Revision:
    """Publish now, or schedule for `at`. The first publication time is
    kept when a story that was live before comes back."""
    now = now or timezone.now()
    action = permissions.SCHEDULE if at else permissions.PUBLISH
    permissions.require(user, locked(article), action, now)
    if at is not None and not checks.is_ahead(at, now):
        raise ValidationError(checks.SCHEDULE_AHEAD)
    if problems := checks.publish_problems(article):
        raise ValidationError(problems)
    if at is not None:
        article.published_at, done = at, f"Scheduled for {reader_time(at)}"
    else:
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        done = "Published"
    if article.expires_at and article.expires_at <= now:
        raise ValidationError(checks.EXPIRY_PASSED)
    if problem := article.expiry_problem():
        raise ValidationError(problem)
    return _set_status(article, Status.PUBLISHED, user=user, action=done, now=now)


@transaction.atomic
def article_unpublish(*, article: Article, user, now: datetime | None = None) -> Revision:
    """Take the story down; updates prepared for it would bring it back
    changed, so they are cancelled (told in a revision for editors only)."""
    now = now or timezone.now()
    permissions.require(user, locked(article), permissions.UNPUBLISH, now)
    cancelled = ScheduledUpdate.objects.open().filter(article=article).update(cancelled_at=now)
    fronts_leave(article.pk)
    revision = _set_status(article, Status.UNPUBLISHED, user=user, action="Unpublished", now=now)
    if cancelled:
        revision = revision_record(
            article=article,
            user=user,
            action=f"Cancelled {cancelled} scheduled update(s) on unpublishing",
            now=now,
            desk_only=True,
        )
    return revision


@transaction.atomic
def revision_restore(*, revision: Revision, user, now: datetime | None = None) -> Revision:
    """Bring back a revision's content as a new revision; publication
    (status and times) stays as it is now."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    permissions.require(user, article, permissions.RESTORE, now)
    content = {name: revision.data[name] for name in revisions.CONTENT_LABELS}
    if article.status == Status.PUBLISHED:
        # What readers would see at once must pass what publishing asks.
        if problems := checks.live_content_problems(article, content):
            raise ValidationError(problems)
    content_apply(article, content)
    return revision_record(
        article=article, user=user, action=f"Restored revision {revision.number}", now=now
    )


@transaction.atomic
def article_delete(*, article: Article, user) -> None:
    """Delete a story. READ MORE lines other stories had to it go with it,
    so each of those stories records that change in its history."""
    article = locked(article)
    if not (permissions.may(user, "delete", Article) and permissions.can_edit(user, article)):
        raise PermissionDenied("You cannot delete this story.")
    linking = list(
        Article.objects.filter(related_links__target=article)
        .exclude(pk=article.pk)
        .distinct()
        .order_by("pk")
    )
    list(Article.objects.select_for_update().filter(pk__in=[s.pk for s in linking]).values("pk"))
    headline, article_id = article.headline, article.pk
    # Its pages and lists, found while it is still there to ask.
    story_pages_purge(article_id)
    fronts_leave(article_id)
    article.delete()
    search_forget([article_id])
    # No remaining row tells of a deleted story.
    freshness.forget()
    for story in linking:
        revision_record(
            article=story, user=user, action=f"READ MORE link to deleted “{headline}” removed"
        )
