"""Editing sessions: who has a story's form open, and the text each has
typed there but not saved, kept on the server as they type (never a
revision: a revision is a save). The form reports every few seconds; a
form that has not reported for `OPEN_FOR` is taken as closed."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone

from .. import permissions
from ..models import Article, EditingSession, Note, Revision
from ..models.content import BODY_MAX_CHARACTERS

# The form reports every 15 seconds; three missed reports close it.
OPEN_FOR = timedelta(seconds=45)


def _most(name: str) -> int:
    field = Article._meta.get_field(name)
    assert isinstance(field, Field)
    return field.max_length or 0


# The typed fields kept unsaved, each with the most it holds.
KEPT_FIELDS = {
    "headline": _most("headline"),
    "slug": _most("slug"),
    "standfirst": _most("standfirst"),
    "body": BODY_MAX_CHARACTERS,
    "dateline": _most("dateline"),
    "lead_image_caption": Note.MAX_LENGTH,
    "note": Note.MAX_LENGTH,
}
# What is kept may run past a field's limit, as typing does; the form says
# so when it is saved. Beyond this it is not typing.
KEPT_SLACK = 2


@dataclass(frozen=True)
class Presence:
    """What a form is told when it reports: who else has the story open,
    the story's version now, and the save that made it, when that came
    after the version the form was opened at."""

    others: list[EditingSession]
    version: int
    newer: Revision | None


def unsaved_problem(unsaved: object) -> str:
    """Why `unsaved` is not text typed into the story form; empty if it is."""
    if not isinstance(unsaved, dict):
        return "Unsaved text comes as fields and their text."
    for name, text in unsaved.items():
        if name not in KEPT_FIELDS:
            return f"“{str(name)[:40]}” is not a field whose typing is kept."
        if not isinstance(text, str):
            return f"The {name} comes as text."
        if len(text) > KEPT_FIELDS[name] * KEPT_SLACK:
            return f"The {name} is far longer than a story takes; it is not kept."
    return ""


def _session(user, article: Article | None) -> EditingSession:
    """The person's session on the story, made when there is none (two
    reports at once make one between them)."""
    try:
        with transaction.atomic():
            return EditingSession.objects.get_or_create(user=user, article=article)[0]
    except IntegrityError:
        return EditingSession.objects.get(user=user, article=article)


@transaction.atomic
def editing_report(
    *,
    user,
    article: Article | None,
    unsaved: dict | None = None,
    base_version: int = 0,
    now: datetime | None = None,
) -> Presence:
    """The form of `article` (None: a new story) is open for `user`, with
    `unsaved` typed into it on `base_version` (None: nothing new typed
    since the last report; empty: nothing unsaved)."""
    now = now or timezone.now()
    if refused := permissions.editing_refusal(user, article):
        raise PermissionDenied(refused)
    if unsaved is not None and (problem := unsaved_problem(unsaved)):
        raise ValidationError(problem)
    session = _session(user, article)
    session.seen_at = now
    fields = ["seen_at"]
    if unsaved is not None:
        session.unsaved = unsaved
        session.unsaved_at = now if unsaved else None
        session.base_version = base_version if unsaved else 0
        fields += ["unsaved", "unsaved_at", "base_version"]
    session.save(update_fields=fields)
    if article is None:
        return Presence(others=[], version=0, newer=None)
    return presence(user=user, article=article, base_version=base_version, now=now)


def presence(*, user, article: Article, base_version: int, now: datetime) -> Presence:
    """Who else has the story open now, and the last save if it is newer
    than `base_version`."""
    others = list(
        EditingSession.objects.filter(article=article, seen_at__gte=now - OPEN_FOR)
        .exclude(user=user)
        .select_related("user")
        .order_by("-seen_at")
    )
    version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    newer = None
    if version > base_version:
        saves = permissions.desk_revisions(user, Revision.objects.filter(article=article))
        newer = saves.select_related("created_by").order_by("-pk").first()
    return Presence(others=others, version=version, newer=newer)


def editing_leave(*, user, article: Article | None) -> None:
    """The form is closed; its unsaved text is kept to be offered back."""
    EditingSession.objects.filter(user=user, article=article).update(seen_at=None)


def unsaved_text(*, user, article: Article | None) -> EditingSession | None:
    """The person's text typed into the story's form and not saved, when
    it differs from the story as stored (a story not saved yet: any)."""
    if permissions.editing_refusal(user, article):
        return None
    session = EditingSession.objects.filter(user=user, article=article).exclude(unsaved={}).first()
    if session is None:
        return None
    if (
        article is not None
        and all(
            getattr(article, name, "") == text
            for name, text in session.unsaved.items()
            if name != "note"
        )
        and not session.unsaved.get("note", "").strip()
    ):
        return None
    return session


def unsaved_forget(*, user, article: Article | None) -> None:
    """The person's typing is saved (or thrown away): nothing to offer back."""
    EditingSession.objects.filter(user=user, article=article).update(
        unsaved={}, unsaved_at=None, base_version=0
    )
