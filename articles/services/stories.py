"""A story's life on the desk: the desk's whole save (content, relations,
corrections and the button pressed), the workflow actions, restores, each
leaving a revision in the story's history.

Every path that writes a story (the desk, the demo loader, a command, a
future API or import) comes through here, so every rule applies to it:
the version guard, who may do what, what a story must have before readers
see it, and how much one story may carry."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import overload

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import permissions, revisions, richtext
from ..formats import reader_time
from ..models import (
    Article,
    Author,
    BodyPicture,
    Byline,
    Correction,
    Image,
    RelatedLink,
    Revision,
    ScheduledUpdate,
)
from . import checks

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
PUBLICATION_FIELDS = ("published_at", "expires_at")


@dataclass(frozen=True)
class StoryEdit:
    """What a save asks of a story: `content` in the revisions' format (only
    the fields given change), publication times, corrections to append as
    (kind, text), and whether readers' "Updated on" time moves."""

    content: dict = field(default_factory=dict)
    publication: dict = field(default_factory=dict)
    corrections: tuple[tuple[str, str], ...] = ()
    mark_updated: bool = False

    @classmethod
    def of(cls, *, corrections=(), mark_updated: bool = False, **values) -> "StoryEdit":
        """An edit from plain values and model objects:
        `StoryEdit.of(headline="…", section=world, bylines=[asha])`."""
        publication = {name: values.pop(name) for name in PUBLICATION_FIELDS if name in values}
        return cls(
            content=revisions.content_of(**values),
            publication=publication,
            corrections=tuple(corrections),
            mark_updated=mark_updated,
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
    says why (`refused`) instead of raising."""
    now = now or timezone.now()
    created = article.pk is None
    _lock(article, base_version)
    _require(user, article, edit, action, now)
    if problems := edit_problems(article, edit, action, update_at, now):
        raise ValidationError(problems)
    if action == permissions.SCHEDULE_UPDATE:
        assert update_at is not None  # `edit_problems` refuses an update without a time.
        return _save_as_update(article, user, edit, update_at, now)
    if created:
        article.created_by = user
    _write(article, user, edit, now)
    done = "Created" if created else "Edited"
    if edit.corrections:
        done += "; added a correction"
    saved = _act(article, user, action, done, now, corrected=bool(edit.corrections))
    article.refresh_from_db()
    return saved


def article_desk_problems(
    *,
    article: Article,
    user,
    edit: StoryEdit,
    action: str = permissions.EDIT,
    base_version: int | None = None,
    update_at: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """Why `article_desk_save` would refuse this save, by form field
    (NON_FIELD_ERRORS for the story as a whole); empty when it may go
    ahead. Takes no lock, so a form can explain before saving; the service
    asks again under its lock."""
    now = now or timezone.now()
    if article.pk and base_version is not None:
        stored = Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
        if stored != base_version:
            return {
                NON_FIELD_ERRORS: [conflict_message(_newer_revisions(article.pk, base_version))]
            }
    try:
        _require(user, article, edit, action, now)
    except PermissionDenied as refused:
        return {NON_FIELD_ERRORS: [str(refused)]}
    return edit_problems(article, edit, action, update_at, now)


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
    version = stored.values_list("version", flat=True).get()
    if base_version is not None and version != base_version:
        raise StoryChanged(_newer_revisions(article.pk, base_version))
    article.refresh_from_db()


def _newer_revisions(article_id: int, base_version: int) -> list[Revision]:
    newer = Revision.objects.filter(article_id=article_id, number__gt=base_version)
    return list(newer.select_related("created_by").order_by("number"))


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
    if len(edit.corrections) > MAX_CORRECTIONS:
        add(NON_FIELD_ERRORS, f"Add at most {MAX_CORRECTIONS} corrections at a time.")
    public = action in (permissions.PUBLISH, permissions.SCHEDULE, permissions.SCHEDULE_UPDATE)
    public = public or article.status == Status.PUBLISHED
    lead = edit.content["lead_image"] if "lead_image" in edit.content else [article.lead_image_id]
    lead_image = Image.objects.filter(pk=lead[0]).first() if lead and lead[0] else None
    if lead_image and public:
        for problem in checks.image_problems(lead_image, "lead image"):
            add("lead_image", problem)
    for problem in checks.body_picture_problems(edit.content.get("body", ""), words=public):
        add("body", problem)
    if action == permissions.SCHEDULE:
        if not checks.is_ahead(edit.publication.get("published_at", article.published_at), now):
            add("published_at", checks.SCHEDULE_AHEAD)
    if action == permissions.SCHEDULE_UPDATE:
        if not checks.is_ahead(update_at, now):
            add("update_at", "Give the time ahead at which the update goes live.")
        moved = [n for n, v in edit.publication.items() if v != getattr(article, n)]
        for name in moved + (["mark_updated"] if edit.mark_updated else []):
            add(name, "Save this on its own: a scheduled update carries content only.")
    return problems


def _write(article: Article, user, edit: StoryEdit, now: datetime) -> None:
    for name, value in edit.publication.items():
        setattr(article, name, value)
    content_apply(article, edit.content)
    if edit.mark_updated and article.status == Status.PUBLISHED and article.published_at:
        article.updated_at = max(now, article.published_at)
        article.save(update_fields=["updated_at"])
    for kind, text in edit.corrections:
        Correction.objects.create(article=article, kind=kind, text=text, created_by=user)


def _save_as_update(
    article: Article, user, edit: StoryEdit, due_at: datetime, now: datetime
) -> DeskSave:
    """Corrections are published at once; the content waits for `due_at`."""
    from .updates import article_schedule_update

    for kind, text in edit.corrections:
        Correction.objects.create(article=article, kind=kind, text=text, created_by=user)
    if edit.corrections:
        revision_record(article=article, user=user, action="Added a correction", now=now)
    update = article_schedule_update(
        article=article, user=user, content=edit.content, due_at=due_at, now=now
    )
    article.refresh_from_db()
    return DeskSave(
        article, permissions.SCHEDULE_UPDATE, update=update, corrected=bool(edit.corrections)
    )


def _act(
    article: Article, user, action: str, done: str, now: datetime, *, corrected: bool
) -> DeskSave:
    """Do what the button asked, after the edits are saved. When the story
    is not ready for it, the edits stay saved and the result says why."""
    workflow: dict[str, Callable[..., Revision]] = {
        permissions.SUBMIT: article_submit,
        permissions.RETURN_TO_DRAFT: article_return_to_draft,
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


# Writing content -------------------------------------------------------------


def content_apply(article: Article, data: dict) -> None:
    """Write the content fields present in `data` (the revisions' format) to
    the story and its relations, checked as the model checks them. A
    section, author, picture or story deleted since is reported, not
    silently dropped."""
    _content_fields_set(article, data)
    bylines = _byline_ids(data["bylines"]) if "bylines" in data else None
    links = _links_made(article, data["links"]) if "links" in data else None
    article.save()
    if "tags" in data:
        article.tags.set(data["tags"])
    if bylines is not None:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_id, position=position)
            for position, author_id in enumerate(bylines)
        )
    if links is not None:
        article.related_links.all().delete()
        RelatedLink.objects.bulk_create(links)
    body_pictures_sync(article)


def content_check(article: Article, data: dict) -> None:
    """Raise what `content_apply` would raise for `data`, writing nothing:
    for content kept aside to be applied later."""
    copy = Article.objects.get(pk=article.pk)
    _content_fields_set(copy, data)
    if "bylines" in data:
        _byline_ids(data["bylines"])
    if "links" in data:
        _links_made(copy, data["links"])


def _content_fields_set(article: Article, data: dict) -> None:
    for name in revisions.CONTENT_LABELS:
        if name not in data:
            continue
        if name in revisions.REFERENCES:
            setattr(article, f"{name}_id", _existing(revisions.REFERENCES[name], data[name], name))
        elif name not in ("bylines", "tags", "links"):
            setattr(article, name, data[name])
    if "body" in data:
        _body_pictures_exist(data["body"])
    article.full_clean(exclude=["slug", "tags"], validate_unique=False)


def _byline_ids(authors: list) -> list[int]:
    ids = [_existing(Author, author, "bylines") for author in authors]
    if len(set(ids)) != len(ids):
        raise ValidationError("Each author appears once in the byline.")
    return ids


def _links_made(article: Article, links: list) -> list[RelatedLink]:
    made = [
        RelatedLink(
            article=article,
            target_id=_existing(Article, link["target"], "links"),
            url=link["url"],
            title=link["title"],
            after_paragraph=link["after_paragraph"],
            position=position,
        )
        for position, link in enumerate(links)
    ]
    for link in made:
        link.full_clean(exclude=["article", "target"])
    return made


def body_pictures_sync(article: Article) -> None:
    """Keep the record of library pictures the body shows in step with the
    body, whichever way it was saved (desk, update, restore)."""
    wanted = {ref.image_id for ref in richtext.body_pictures(article.body) if ref.image_id}
    kept = set(article.body_picture_links.values_list("image_id", flat=True))
    if kept - wanted:
        article.body_picture_links.filter(image_id__in=kept - wanted).delete()
    if wanted - kept:
        with transaction.atomic():
            # A picture deleted since the body named it is simply not shown;
            # one being deleted now waits for this story.
            existing = (
                Image.objects.filter(pk__in=wanted - kept)
                .select_for_update(no_key=True)
                .values_list("pk", flat=True)
            )
            BodyPicture.objects.bulk_create(
                BodyPicture(article=article, image_id=image_id) for image_id in existing
            )


def _body_pictures_exist(body: str) -> None:
    numbers = {ref.image_id for ref in richtext.body_pictures(body) if ref.image_id}
    missing = numbers - set(Image.objects.filter(pk__in=numbers).values_list("pk", flat=True))
    if missing:
        listed = ", ".join(str(number) for number in sorted(missing))
        raise ValidationError(
            f"The body shows picture number {listed}, which is no longer in the library."
        )


@overload
def _existing(model, value: None, name: str) -> None: ...
@overload
def _existing(model, value: list, name: str) -> int: ...
def _existing(model, value, name: str) -> int | None:
    """The id a reference `[id, label]` names, once it is known to exist;
    None for no reference."""
    if value is None:
        return None
    if not model.objects.filter(pk=value[0]).exists():
        raise ValidationError(f"“{value[1]}” ({revisions.LABELS[name]}) no longer exists.")
    return value[0]


# Revisions -------------------------------------------------------------------


def revision_record(
    *, article: Article, user, action: str, now: datetime | None = None, desk_only: bool = False
) -> Revision:
    """Move the story's version on and keep its content as a revision.
    `desk_only` keeps it from reporters (it tells of a prepared update)."""
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    article.version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    data = revisions.snapshot(article)
    previous = Revision.objects.filter(article=article).first()
    return Revision.objects.create(
        article=article,
        number=article.version,
        created_at=now or timezone.now(),
        created_by=user if user is not None and user.is_authenticated else None,
        action=action,
        is_desk_only=desk_only,
        changed=revisions.changed_fields(previous.data, data) if previous else [],
        data=data,
    )


@transaction.atomic
def revision_restore(*, revision: Revision, user, now: datetime | None = None) -> Revision:
    """Bring back a revision's content as a new revision; publication
    (status and times) stays as it is now."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    permissions.require(user, article, permissions.RESTORE, now)
    content = {name: revision.data[name] for name in revisions.CONTENT_LABELS}
    if article.status == Status.PUBLISHED:
        # What readers would see at once must pass what publishing asks.
        problems = checks.body_picture_problems(content["body"])
        lead = content["lead_image"] and Image.objects.filter(pk=content["lead_image"][0]).first()
        if lead:
            problems += checks.image_problems(lead, "lead image")
        if problems:
            raise ValidationError(problems)
    content_apply(article, content)
    return revision_record(
        article=article, user=user, action=f"Restored revision {revision.number}", now=now
    )


# The workflow ----------------------------------------------------------------


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
    return _set_status(article, Status.IN_REVIEW, user=user, action="Submitted for review", now=now)


@transaction.atomic
def article_return_to_draft(*, article: Article, user, now: datetime | None = None) -> Revision:
    permissions.require(user, locked(article), permissions.RETURN_TO_DRAFT, now)
    return _set_status(article, Status.DRAFT, user=user, action="Sent back to draft", now=now)


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
        raise ValidationError("The expiry time has passed; clear it or move it on first.")
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
