"""Live coverage: entries posted to a live story, changed with a
correction readers see, deleted, and the coverage ended or reopened. Each
change is recorded (`LiveEntryRevision`) and makes the story's pages fresh;
an entry posted for a time ahead goes live then, with nobody saving."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from .. import permissions
from ..formats import plain_text
from ..models import Article, Author, Image, LiveEntry, LiveEntryRevision
from ..models.live import ENTRY_MAX_CHARACTERS
from ..richtext import sanitize_entry
from . import checks
from .pages import story_pages_purge
from .workflow import locked

HEADLINE_MAX: int = LiveEntry._meta.get_field("headline").max_length or 110
CORRECTION_MAX = 500
# More would crowd out the entries themselves at the top of the page.
MAX_PINNED = 3


@dataclass(frozen=True)
class EntryText:
    """What an editor writes in an entry. `publish_at`: a time ahead to
    schedule it; None posts it now (or, for a change, keeps its time)."""

    body: str
    headline: str = ""
    image: Image | None = None
    author: Author | None = None
    is_pinned: bool = False
    is_key_event: bool = False
    publish_at: datetime | None = None


def entry_problems(
    article: Article,
    text: EntryText,
    now: datetime,
    *,
    entry: LiveEntry | None = None,
    correction: str = "",
) -> dict[str, list[str]]:
    """Why the entry cannot be posted (or changed) so, by field; empty when
    it can."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not article.is_live:
        add("__all__", "This story is not live coverage: tick “Live coverage” on the story first.")
    elif article.coverage_ended_at is not None:
        add("__all__", "Coverage of this story has ended: reopen it to post or change entries.")
    body = sanitize_entry(text.body)
    if not strip_tags(body).strip():
        add("body", "Write the entry's text.")
    if len(text.body) > ENTRY_MAX_CHARACTERS:
        add("body", f"An entry holds at most {ENTRY_MAX_CHARACTERS:,} characters of text.")
    if len(text.headline) > HEADLINE_MAX:
        add("headline", f"A headline of an entry has at most {HEADLINE_MAX} characters.")
    if text.image is not None and (words := checks.image_problems(text.image, "picture")):
        for message in words:
            add("image", message)
    scheduled = entry is None or entry.published_at > now
    if text.publish_at is not None:
        if not scheduled:
            add("publish_at", "The entry is live: its time stays as readers saw it.")
        elif not checks.is_ahead(text.publish_at, now):
            add("publish_at", "Give a time ahead to schedule the entry, or none to post it now.")
    if text.is_pinned and not (entry and entry.is_pinned):
        pinned = LiveEntry.objects.filter(article=article, is_pinned=True)
        if entry is not None:
            pinned = pinned.exclude(pk=entry.pk)
        if pinned.count() >= MAX_PINNED:
            add("is_pinned", f"At most {MAX_PINNED} entries are pinned: unpin one first.")
    if entry is not None and not scheduled and _words_changed(entry, text, body):
        if not correction.strip():
            add(
                "correction",
                "Readers have seen this entry: say what was corrected, and they are shown it.",
            )
    if len(correction) > CORRECTION_MAX:
        add("correction", f"A correction note has at most {CORRECTION_MAX} characters.")
    return problems


def _words_changed(entry: LiveEntry, text: EntryText, body: str) -> bool:
    return (
        entry.headline != plain_text(text.headline).strip()
        or entry.body != body
        or entry.image_id != (text.image.pk if text.image else None)
    )


def _require(user) -> None:
    if not permissions.can_post_live(user):
        raise PermissionDenied("Only editors post to live coverage.")


def _refuse(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def live_entry_post(
    *, article: Article, user, text: EntryText, now: datetime | None = None
) -> LiveEntry:
    """Post an entry to the live story, now or at `text.publish_at`."""
    _require(user)
    now = now or timezone.now()
    article = locked(article)
    _refuse(entry_problems(article, text, now))
    entry = LiveEntry(article=article, created_by=user, created_at=now)
    _apply(entry, text, now)
    entry.published_at = text.publish_at or now
    entry.save()
    when = "Scheduled" if entry.published_at > now else "Posted"
    _record(entry, user, f"{when} live entry “{entry}”", now)
    return entry


@transaction.atomic
def live_entry_change(
    *, entry: LiveEntry, user, text: EntryText, correction: str = "", now: datetime | None = None
) -> LiveEntry:
    """Change an entry. One readers have seen keeps its time, and a change
    to its words shows readers `correction` with the time of the change."""
    _require(user)
    now = now or timezone.now()
    article = locked(entry.article)
    entry.refresh_from_db()
    _refuse(entry_problems(article, text, now, entry=entry, correction=correction))
    seen = entry.published_at <= now
    corrected = seen and _words_changed(entry, text, sanitize_entry(text.body))
    _apply(entry, text, now)
    if not seen and text.publish_at is not None:
        entry.published_at = text.publish_at
    if corrected:
        entry.corrected_at, entry.correction = now, plain_text(correction).strip()
    entry.save()
    _record(entry, user, f"{'Corrected' if corrected else 'Changed'} live entry “{entry}”", now)
    return entry


@transaction.atomic
def live_entry_delete(*, entry: LiveEntry, user, now: datetime | None = None) -> None:
    """Take an entry off the live page; its history stays."""
    _require(user)
    now = now or timezone.now()
    locked(entry.article)
    _record(entry, user, f"Deleted live entry “{entry}”", now)
    entry.delete()


@transaction.atomic
def live_coverage_end(*, article: Article, user, now: datetime | None = None) -> Article:
    """End the coverage: readers are told, and open pages stop asking."""
    _require(user)
    now = now or timezone.now()
    article = locked(article)
    if not article.is_live:
        raise ValidationError("This story is not live coverage.")
    if article.coverage_ended_at is None:
        Article.objects.filter(pk=article.pk).update(coverage_ended_at=now, modified_at=now)
        _revision(article, user, "Ended live coverage", now)
        story_pages_purge(article.pk)
    article.refresh_from_db()
    return article


@transaction.atomic
def live_coverage_reopen(*, article: Article, user, now: datetime | None = None) -> Article:
    _require(user)
    now = now or timezone.now()
    article = locked(article)
    if article.coverage_ended_at is not None:
        Article.objects.filter(pk=article.pk).update(coverage_ended_at=None, modified_at=now)
        _revision(article, user, "Reopened live coverage", now)
        story_pages_purge(article.pk)
    article.refresh_from_db()
    return article


def _apply(entry: LiveEntry, text: EntryText, now: datetime) -> None:
    entry.headline = plain_text(text.headline).strip()
    entry.body = text.body
    entry.image = text.image
    entry.author = text.author
    entry.is_pinned = text.is_pinned
    entry.is_key_event = text.is_key_event
    entry.modified_at = now


def _record(entry: LiveEntry, user, action: str, now: datetime) -> None:
    data = {
        "headline": entry.headline,
        "body": entry.body,
        "image": entry.image_id,
        "author": entry.author_id,
        "published_at": entry.published_at.isoformat(),
        "is_pinned": entry.is_pinned,
        "is_key_event": entry.is_key_event,
        "correction": entry.correction,
    }
    _revision(entry.article, user, action, now, entry=entry, data=data)
    if entry.published_at <= now:
        # Readers' "Updated" time, and the sitemaps' last change, move on.
        Article.objects.filter(pk=entry.article_id).update(updated_at=now, modified_at=now)
    story_pages_purge(entry.article_id)


def _revision(article: Article, user, action: str, now: datetime, *, entry=None, data=None) -> None:
    LiveEntryRevision.objects.create(
        article=article,
        entry=entry if entry is not None and entry.pk else None,
        created_at=now,
        created_by=user if user is not None and user.is_authenticated else None,
        action=action[:200],
        data=data or {},
    )
