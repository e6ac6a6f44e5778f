"""The desk's whole save of a story (content, relations, corrections and
the button pressed), and what it would refuse, asked before saving.

Every path that writes a story (the desk, the demo loader, a command, a
future API or import) comes through here, so every rule applies to it:
the version guard, who may do what, what a story must have before readers
see it, and how much one story may carry."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import permissions, revisions
from ..formats import reader_time
from ..models import Article, Correction, Revision, ScheduledUpdate
from ..models.content import expiry_problem
from . import checks
from .content import content_apply, revision_record
from .sessions import unsaved_forget
from .workflow import (
    NOTE_FOR_RETURN,
    article_publish,
    article_return_to_draft,
    article_submit,
    article_unpublish,
    note_add,
    note_problem,
)

Status = Article.Status

# How much one story may carry: generous for any real story, and a bound on
# what one save, one revision and one page of the desk can cost.
MAX_BYLINES = 20
MAX_LINKS = 30
MAX_TAGS = 30
MAX_CORRECTIONS = 5
LIMITS = (
    ("bylines", MAX_BYLINES, "authors in its byline"),
    ("links", MAX_LINKS, "READ MORE links"),
    ("tags", MAX_TAGS, "tags"),
)
# Publication times are set by a save on their own: a scheduled update
# carries content only.
PUBLICATION_FIELDS = ("published_at", "expires_at", "breaking_until", "is_live")


@dataclass(frozen=True)
class StoryEdit:
    """What a save asks of a story: `content` in the revisions' format (only
    the fields given change), publication times, corrections to append as
    (kind, text), whether readers' "Updated on" time moves, and a note for
    the story's reporter and editors (which sending it back to draft needs)."""

    content: dict = field(default_factory=dict)
    publication: dict = field(default_factory=dict)
    corrections: tuple[tuple[str, str], ...] = ()
    mark_updated: bool = False
    note: str = ""

    @classmethod
    def of(
        cls, *, corrections=(), mark_updated: bool = False, note: str = "", **values
    ) -> "StoryEdit":
        """An edit from plain values and model objects:
        `StoryEdit.of(headline="…", section=world, bylines=[asha])`."""
        publication = {name: values.pop(name) for name in PUBLICATION_FIELDS if name in values}
        return cls(
            content=revisions.content_of(**values),
            publication=publication,
            corrections=tuple(corrections),
            mark_updated=mark_updated,
            note=note,
        )


@dataclass(frozen=True)
class DeskSave:
    """What a desk save did: the story as stored, the action asked for and,
    when the edits were saved but the action was not done, why."""

    article: Article
    action: str
    refused: str = ""
    update: ScheduledUpdate | None = None
    corrected: bool = False


class StoryChanged(ValidationError):
    """The story was saved by someone else since the form was opened."""

    def __init__(self, newer: list[Revision]):
        super().__init__(conflict_message(newer), code="story_changed")
        self.revisions = newer


def conflict_message(newer: list[Revision]) -> str:
    """Who saved the story since the form was opened, and what they changed."""
    saves = [
        f"{revision.author_name} at {reader_time(revision.created_at)} ({revision.action.lower()}"
        f": {revisions.describe(revision.changed) or 'nothing in the text'})"
        for revision in newer
    ]
    by = f", by {'; '.join(saves)}" if saves else ""
    return (
        f"Not saved: this story was changed while you were editing it{by}. Your text is "
        "still in the form below. Copy what you need, open the story again to see their "
        "version, and merge your changes into it."
    )


# The desk's save -------------------------------------------------------------


@transaction.atomic
def article_desk_save(
    *,
    article: Article,
    user,
    edit: StoryEdit,
    action: str = permissions.EDIT,
    base_version: int | None = None,
    update_at: datetime | None = None,
    replaces: int | None = None,
    now: datetime | None = None,
) -> DeskSave:
    """The desk's whole save of a story, in one transaction: lock it, refuse
    a save made from an older version, check who may do what, write the
    content, its relations and corrections, then do what the button asked
    (`action`), or keep the changes of a live story as an update due at
    `update_at`.

    `article` is a new, unsaved story or a stored one; a stored one is
    reloaded under lock, so `edit` alone says what changes. `base_version`
    is the version the editor's form was opened at; None (a caller with no
    form, such as the demo loader) saves over whatever is stored. When the
    edits are saved but the story is not ready for the action, the result
    says why (`refused`) instead of raising.

    `replaces` is the number of a prepared update of this story that the
    editor opened to change: scheduling the changes replaces it."""
    now = now or timezone.now()
    created = article.pk is None
    _lock(article, base_version)
    _require(user, article, edit, action, now)
    if problems := edit_problems(article, edit, action, update_at, now):
        raise ValidationError(problems)
    if action == permissions.SCHEDULE_UPDATE:
        assert update_at is not None  # `edit_problems` refuses an update without a time.
        if replaces is not None:
            _update_replace(article, user, replaces, now)
        saved = _save_as_update(article, user, edit, update_at, now)
    else:
        if created:
            article.created_by = user
        _write(article, user, edit, now)
        done = "Created" if created else "Edited"
        if edit.corrections:
            done += "; added a correction"
        saved = _act(article, user, action, done, now, edit)
        article.refresh_from_db()
    # Sending back to draft wrote its own.
    if edit.note.strip() and action != permissions.RETURN_TO_DRAFT:
        note_add(article=article, user=user, text=edit.note, now=now)
    # What the form kept unsaved as this person typed is saved now.
    unsaved_forget(user=user, article=None if created else article)
    return saved


def article_desk_problems(
    *,
    article: Article,
    user,
    edit: StoryEdit,
    action: str = permissions.EDIT,
    base_version: int | None = None,
    update_at: datetime | None = None,
    replaces: int | None = None,
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """Why `article_desk_save` would refuse this save, by form field
    (NON_FIELD_ERRORS for the story as a whole); empty when it may go
    ahead. Takes no lock, so a form can explain before saving; the service
    asks again under its lock."""
    now = now or timezone.now()
    try:
        if article.pk:
            stored = Article.objects.filter(pk=article.pk).values_list("version", flat=True)
            _refuse_stale(article.pk, stored.first(), base_version)
        _require(user, article, edit, action, now)
    except StoryChanged as changed:
        return {NON_FIELD_ERRORS: changed.messages}
    except PermissionDenied as refused:
        return {NON_FIELD_ERRORS: [str(refused)]}
    problems = edit_problems(article, edit, action, update_at, now)
    if action == permissions.SCHEDULE_UPDATE and replaces is not None:
        if not ScheduledUpdate.objects.open().filter(article=article.pk, pk=replaces).exists():
            problems.setdefault("update_at", []).append(REPLACED_GONE)
    return problems


REPLACED_GONE = (
    "The update you were changing was applied or cancelled meanwhile. Your changes are "
    "still in the form: check the live story, then schedule them again."
)


def _lock(article: Article, base_version: int | None) -> None:
    """Hold the story's row until the transaction ends and reload it; refuse
    a save made from an older version than the stored one. A new story
    starts from the defaults, whatever the object in hand says: only the
    edit says what it holds."""
    if article.pk is None:
        for field in Article._meta.concrete_fields:
            if not field.primary_key:
                setattr(article, field.attname, field.get_default())
        return
    stored = Article.objects.select_for_update().filter(pk=article.pk)
    _refuse_stale(article.pk, stored.values_list("version", flat=True).get(), base_version)
    article.refresh_from_db()


def _refuse_stale(article_id: int, version: int | None, base_version: int | None) -> None:
    """Refuse a save made from an older version than the stored `version`;
    None: the caller holds no form, and saves over whatever is stored."""
    if base_version is not None and version != base_version:
        newer = Revision.objects.filter(article_id=article_id, number__gt=base_version)
        raise StoryChanged(list(newer.select_related("created_by").order_by("number")))


def _require(user, article: Article, edit: StoryEdit, action: str, now: datetime) -> None:
    """Who may do what: the action, the fields only editors set, the
    corrections, and READ MORE targets among the stories `user` may see."""
    permissions.require(user, article, action, now)
    current = {name: getattr(article, name) for name in permissions.EDITOR_FIELDS}
    wanted = {**edit.content, **edit.publication}
    for name in permissions.EDITOR_FIELDS:
        if name in wanted and wanted[name] != current[name]:
            if reason := permissions.field_refusal(user, name):
                raise PermissionDenied(reason)
    if edit.corrections:
        permissions.require(user, article, permissions.CORRECT, now)
    targets = {link["target"][0] for link in edit.content.get("links", []) if link["target"]}
    seen = permissions.desk_articles(user, Article.objects.filter(pk__in=targets), now)
    if len(targets) != seen.count():
        raise PermissionDenied("A READ MORE link points at a story you cannot see.")


def edit_problems(
    article: Article, edit: StoryEdit, action: str, update_at: datetime | None, now: datetime
) -> dict[str, list[str]]:
    """What in the edit stops the save, by field."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    for name, limit, what in LIMITS:
        if len(edit.content.get(name) or []) > limit:
            add(name, f"A story carries at most {limit} {what}.")
    for tag in edit.content.get("tags") or []:
        if problem := checks.tag_name_problem(tag):
            add("tags", problem)
    if len(edit.corrections) > MAX_CORRECTIONS:
        add(NON_FIELD_ERRORS, f"Add at most {MAX_CORRECTIONS} corrections at a time.")
    for name, messages in _reader_problems(article, edit.content, action).items():
        for message in messages:
            add(name, message)
    if action in GOING_LIVE:
        for name, message in _expiry_problems(article, edit, now).items():
            add(name, message)
    if action == permissions.SCHEDULE:
        if not checks.is_ahead(edit.publication.get("published_at", article.published_at), now):
            add("published_at", checks.SCHEDULE_AHEAD)
    if action == permissions.RETURN_TO_DRAFT:
        if problem := note_problem(edit.note, required=NOTE_FOR_RETURN):
            add("note", problem)
    elif edit.note.strip() and (problem := note_problem(edit.note)):
        add("note", problem)
    if action == permissions.SCHEDULE_UPDATE:
        if not checks.is_ahead(update_at, now):
            add("update_at", "Give the time ahead at which the update goes live.")
        moved = [n for n, v in edit.publication.items() if v != getattr(article, n)]
        for name in moved:
            add(name, "Save this on its own: a scheduled update carries content only.")
    return problems


# The buttons that put a story before readers, now or at its time.
GOING_LIVE = (permissions.PUBLISH, permissions.SCHEDULE)


def _reader_problems(article: Article, content: dict, action: str) -> dict[str, list[str]]:
    """What readers would meet, by field. A draft may lack its text or
    byline; a story going live may not, nor may a published one lose them.
    Refused before anything is saved, so a refusal names everything
    missing at once and leaves no half-made story."""
    live = article.status == Status.PUBLISHED or action in GOING_LIVE
    return checks.story_problems(article, content, live=live, public=live)


def _expiry_problems(article: Article, edit: StoryEdit, now: datetime) -> dict[str, str]:
    """Why the story's expiry, as the edit leaves it, stops it going live
    (`article_publish` asks the same of the stored story)."""
    expires = edit.publication.get("expires_at", article.expires_at)
    if expires is not None and expires <= now:
        return {"expires_at": checks.EXPIRY_PASSED}
    published = edit.publication.get("published_at", article.published_at)
    if problem := expiry_problem(expires, published):
        return {"expires_at": problem}
    return {}


def _write(article: Article, user, edit: StoryEdit, now: datetime) -> None:
    for name, value in edit.publication.items():
        setattr(article, name, value)
    content_apply(article, edit.content)
    if edit.mark_updated and article.status == Status.PUBLISHED and article.published_at:
        article.updated_at = max(now, article.published_at)
        article.save(update_fields=["updated_at"])
    _corrections_add(article, user, edit.corrections)


def _corrections_add(article: Article, user, corrections: tuple[tuple[str, str], ...]) -> None:
    for kind, text in corrections:
        Correction.objects.create(article=article, kind=kind, text=text, created_by=user)


def _update_replace(article: Article, user, replaces: int, now: datetime) -> None:
    """Cancel the prepared update the editor changed, if it is still to
    come; refuse when it went meanwhile, rather than schedule it twice."""
    from .updates import update_cancel

    update = ScheduledUpdate.objects.open().filter(article=article, pk=replaces).first()
    if update is None or not update_cancel(update=update, user=user, now=now):
        raise ValidationError({"update_at": REPLACED_GONE})


def _save_as_update(
    article: Article, user, edit: StoryEdit, due_at: datetime, now: datetime
) -> DeskSave:
    """Corrections are published at once; the content waits for `due_at`."""
    from .updates import update_create

    if edit.corrections:
        _corrections_add(article, user, edit.corrections)
        revision_record(article=article, user=user, action="Added a correction", now=now)
    update = update_create(
        article=article,
        user=user,
        content=edit.content,
        due_at=due_at,
        substantive=edit.mark_updated,
        now=now,
    )
    article.refresh_from_db()
    return DeskSave(
        article, permissions.SCHEDULE_UPDATE, update=update, corrected=bool(edit.corrections)
    )


def _act(
    article: Article, user, action: str, done: str, now: datetime, edit: StoryEdit
) -> DeskSave:
    """Do what the button asked, after the edits are saved. When the story
    is not ready for it, the edits stay saved and the result says why."""
    corrected = bool(edit.corrections)
    workflow: dict[str, Callable[..., Revision]] = {
        permissions.SUBMIT: article_submit,
        permissions.RETURN_TO_DRAFT: lambda **kw: article_return_to_draft(note=edit.note, **kw),
        permissions.PUBLISH: article_publish,
        permissions.SCHEDULE: lambda **kw: article_publish(at=article.published_at, **kw),
        permissions.UNPUBLISH: article_unpublish,
    }
    if action not in workflow:
        revision_record(article=article, user=user, action=done, now=now)
        return DeskSave(article, action, corrected=corrected)
    try:
        workflow[action](article=article, user=user, now=now)
    except ValidationError as error:
        revision_record(article=article, user=user, action=done, now=now)
        return DeskSave(article, action, refused=" ".join(error.messages), corrected=corrected)
    return DeskSave(article, action, corrected=corrected)
