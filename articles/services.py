"""Every write that matters: the section tree, ad slots, and a story's
whole life on the desk (save, review, publish, schedule, update, restore,
correct), each leaving a revision in the story's history."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from . import permissions, renditions, revisions, richtext, uploads
from .models import AdSlot, Article, Correction, Image, Revision, ScheduledUpdate, Section
from .sitewide import sitewide_changed
from .templatetags.newsroom import reader_time

Status = Article.Status
logger = logging.getLogger(__name__)


@transaction.atomic
def section_save(*, section: Section) -> Section:
    """Save a section and refresh the derived tree fields (path, full name,
    depth, order, root) of every section, so a renamed or moved section
    carries its whole subtree with it. Sections are few; one pass over the
    table is cheap."""
    parent_path = section.parent.path if section.parent_id else ""
    section.path = f"{parent_path}/{section.slug}".lstrip("/")
    section.save()
    sections_rebuild_tree()
    sitewide_changed()
    section.refresh_from_db()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    section.delete()
    sitewide_changed()


@transaction.atomic
def ad_slot_save(*, slot: AdSlot) -> AdSlot:
    slot.save()
    sitewide_changed()
    return slot


@transaction.atomic
def ad_slot_delete(*, slot: AdSlot) -> None:
    slot.delete()
    sitewide_changed()


def sections_rebuild_tree() -> None:
    sections = list(Section.objects.order_by("position", "name", "pk"))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)

    changed, moved = [], []

    def visit(parent: Section | None, depth: int, root: Section | None):
        for rank, section in enumerate(children.get(parent.pk if parent else None, []), 1):
            derived = {
                "path": f"{parent.path}/{section.slug}" if parent else section.slug,
                "full_name": f"{parent.full_name} › {section.name}" if parent else section.name,
                "tree_order": f"{parent.tree_order}/{rank:04d}" if parent else f"{rank:04d}",
                "depth": depth,
                "root_id": (root or section).pk,
            }
            if any(getattr(section, field) != value for field, value in derived.items()):
                if section.path != derived["path"]:
                    moved.append(section.pk)
                for field, value in derived.items():
                    setattr(section, field, value)
                changed.append(section)
            visit(section, depth + 1, root or section)

    visit(None, 0, None)
    # Paths are unique: move the changed rows out of the way first so a swap
    # of two paths never collides half-way.
    for pk in moved:
        Section.objects.filter(pk=pk).update(path=f"~moving~{pk}")
    Section.objects.bulk_update(changed, ["path", "full_name", "tree_order", "depth", "root"])


class StoryChanged(Exception):
    """The story was saved by someone else since the form was opened."""

    def __init__(self, revisions: list[Revision]):
        super().__init__("The story was changed since it was opened.")
        self.revisions = revisions


def article_lock(*, article_id: int, base_version: int) -> None:
    """Lock the story's row until the transaction ends, and refuse a save
    made from an older version than the stored one."""
    stored = Article.objects.select_for_update().filter(pk=article_id)
    version = stored.values_list("version", flat=True).first()
    if version is not None and version != base_version:
        newer = Revision.objects.filter(article_id=article_id, number__gt=base_version)
        raise StoryChanged(list(newer.select_related("created_by").order_by("number")))


@transaction.atomic
def article_save(
    *, article: Article, user=None, mark_updated: bool = False, now: datetime | None = None
) -> Article:
    """Save a story's row from the desk. `mark_updated` moves the “Updated
    on” time readers see of a published story, which ordinary saves (typo
    fixes, new tags) leave alone. The caller records the revision once the
    story's relations are saved too."""
    now = now or timezone.now()
    if article.pk is None and user is not None and user.is_authenticated:
        article.created_by = user
    if mark_updated and article.status == Status.PUBLISHED and article.published_at:
        article.updated_at = max(now, article.published_at)
    article.save()
    return article


def revision_record(
    *, article: Article, user=None, action: str, now: datetime | None = None
) -> Revision:
    """Move the story's version on and keep its content as a revision."""
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
        changed=revisions.changed_fields(previous.data, data) if previous else [],
        data=data,
    )


def _set_status(article: Article, status: str, *, user, action: str, now=None) -> Revision:
    # Only the publication fields: a list action must not write back a
    # story's text loaded before someone else saved it.
    article.status = status
    article.save(update_fields=["status", "published_at", "modified_at"])
    return revision_record(article=article, user=user, action=action, now=now)


@transaction.atomic
def article_submit(*, article: Article, user, now: datetime | None = None) -> Revision:
    permissions.require(user, article, permissions.SUBMIT, now)
    return _set_status(article, Status.IN_REVIEW, user=user, action="Submitted for review")


@transaction.atomic
def article_return_to_draft(*, article: Article, user, now: datetime | None = None) -> Revision:
    permissions.require(user, article, permissions.RETURN_TO_DRAFT, now)
    return _set_status(article, Status.DRAFT, user=user, action="Sent back to draft")


def publish_problems(article: Article) -> list[str]:
    """What a story needs before readers may see it."""
    problems = []
    if not article.body.strip():
        problems.append("The story has no body text.")
    if not article.bylines.exists():
        problems.append("Add at least one author to the byline.")
    if article.lead_image_id:
        problems += image_problems(Image.objects.get(pk=article.lead_image_id), "lead image")
    return problems + body_picture_problems(article.body)


def image_problems(image: Image, role: str, alt: str = "") -> list[str]:
    """What a picture needs before readers see it: words for those who
    cannot see it (`alt`, when written for this one place, will do), and
    whose it is."""
    if missing := image_missing_words(image, alt):
        return [f"The {role} “{image.title}” needs {' and '.join(missing)}."]
    return []


def image_missing_words(image: Image, alt: str = "") -> list[str]:
    """Which of alt text and a credit the picture still lacks."""
    return [
        label
        for label, value in (("alt text", alt or image.alt_text), ("a credit", image.credit))
        if not value.strip()
    ]


def body_picture_problems(body: str, *, words: bool = True) -> list[str]:
    """What the body's pictures need: each must be a picture of the library
    (readers get its renditions and credit), and, before readers see it
    (`words`), have alt text and a credit."""
    refs = richtext.body_pictures(body)
    images = Image.objects.in_bulk({ref.image_id for ref in refs if ref.image_id})
    problems = []
    for ref in refs:
        image = images.get(ref.image_id)
        if ref.image_id is None:
            problems.append(
                f"The picture “{ref.src[:80]}” in the body is not from the library: remove it "
                "and insert it with the picture button, so it has a credit and fits every screen."
            )
        elif image is None:
            problems.append(
                f"The body shows picture number {ref.image_id}, which is no longer in the "
                "library: remove it."
            )
        elif words:
            problems += image_problems(image, "picture in the body", alt=ref.alt)
    return list(dict.fromkeys(problems))


@transaction.atomic
def image_save(*, image: Image, upload: uploads.Upload | None = None, user=None) -> Image:
    """Save a picture; a new file arrives checked and cleaned by
    `uploads.read_upload` and carries its fingerprint."""
    replaced = None
    if upload is not None:
        if image.pk is not None:
            replaced = Image.objects.filter(pk=image.pk).values_list("file", flat=True).first()
        image.file = upload.file
        image.content_hash = upload.content_hash
    if image.pk is None and user is not None and user.is_authenticated:
        image.uploaded_by = user
    if image.pk is None:
        image.save()
    else:
        # The renditions record belongs to the worker; a form opened before
        # it last ran must not write an older one back.
        image.save(update_fields=IMAGE_DESK_FIELDS)
    image.renditions = Image.objects.filter(pk=image.pk).values_list("renditions", flat=True).get()
    if not renditions.is_current(image):
        transaction.on_commit(lambda: renditions_enqueue(image_id=image.pk))
    if replaced and replaced != image.file.name:
        # The old original goes once the new one is committed; its
        # renditions go when the worker has made the new ones.
        transaction.on_commit(lambda: default_storage.delete(replaced))
    return image


@transaction.atomic
def image_original_cleaned(*, image_id: int, was: str, file) -> bool:
    """Store `file`, a cleaned copy of the picture's original `was`, in its
    place. The fingerprint stays that of the file as uploaded, and the
    renditions stay: they never carried metadata and were made upright.
    Nothing happens if the desk replaced the file meanwhile."""
    image = Image.objects.select_for_update().filter(pk=image_id, file=was).first()
    if image is None:
        return False
    image.file = file
    image.save(update_fields=["file", "width", "height"])
    transaction.on_commit(lambda: default_storage.delete(was))
    return True


def image_files_remove(*, image: Image) -> None:
    """After a picture is deleted (and only once that is committed), its
    original and every rendition its record names leave storage too: media
    addresses are public, and a deleted picture must stop being served."""
    names = [image.file.name, *renditions.files_of(image.renditions or {})]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])


def fingerprint_lock(content_hash: str) -> None:
    """Until this transaction ends, make any other upload of the same file
    wait, so that it finds this one in the library instead of colliding
    with it. SQLite's write transactions already run one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(content_hash[:15], 16)])


IMAGE_DESK_FIELDS = [
    field.name
    for field in Image._meta.concrete_fields
    if not field.primary_key and field.name not in ("renditions", "uploaded_at")
]


def renditions_enqueue(*, image_id: int) -> None:
    from .tasks import make_renditions

    make_renditions.enqueue(image_id)


def image_render(*, image_id: int, force: bool = False) -> bool:
    """Make the picture's renditions for its current file and focal point;
    safe to run again or twice at once. Returns whether it made any."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return False
    if renditions.is_current(image) and not force:
        return False
    record = renditions.render(image, force=force)
    with transaction.atomic():
        # Kept only if the picture is still the one rendered: a focal point
        # moved meanwhile has queued its own run.
        current = (
            Image.objects.select_for_update()
            .filter(
                pk=image.pk,
                content_hash=image.content_hash,
                focal_x=image.focal_x,
                focal_y=image.focal_y,
            )
            .values_list("renditions", flat=True)
            .first()
        )
        if current is None:
            if not Image.objects.filter(pk=image.pk).exists():
                # Deleted while this run worked: what it wrote goes too.
                transaction.on_commit(lambda: renditions.remove_replaced(record, {}))
            return True
        Image.objects.filter(pk=image.pk).update(renditions=record)
    renditions.remove_replaced(current, record)
    return True


@transaction.atomic
def article_publish(
    *, article: Article, user, at: datetime | None = None, now: datetime | None = None
) -> Revision:
    """Publish now, or schedule for `at`. The first publication time is
    kept when a story that was live before comes back."""
    now = now or timezone.now()
    permissions.require(user, article, permissions.SCHEDULE if at else permissions.PUBLISH, now)
    if at is not None and at <= now:
        raise ValidationError("Choose a time ahead to schedule the story.")
    problems = publish_problems(article)
    if problems:
        raise ValidationError(problems)
    if at is not None:
        article.published_at, action = at, f"Scheduled for {reader_time(at)}"
    else:
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        action = "Published"
    if article.expires_at and article.expires_at <= now:
        raise ValidationError("The expiry time has passed; clear it or move it on first.")
    if article.expires_at and article.expires_at <= article.published_at:
        raise ValidationError("The expiry time must come after publication.")
    return _set_status(article, Status.PUBLISHED, user=user, action=action, now=now)


@transaction.atomic
def article_unpublish(*, article: Article, user, now: datetime | None = None) -> Revision:
    now = now or timezone.now()
    permissions.require(user, article, permissions.UNPUBLISH, now)
    # Updates prepared for the live story would bring it back changed.
    cancelled = ScheduledUpdate.objects.open().filter(article=article).update(cancelled_at=now)
    action = "Unpublished" + (f"; cancelled {cancelled} scheduled update(s)" if cancelled else "")
    return _set_status(article, Status.UNPUBLISHED, user=user, action=action, now=now)


@transaction.atomic
def revision_restore(*, revision: Revision, user, now: datetime | None = None) -> Revision:
    """Bring back a revision's content as a new revision; publication
    (status and times) stays as it is now."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    permissions.require(user, article, permissions.RESTORE, now)
    content = {field: revision.data[field] for field in revisions.CONTENT_LABELS}
    if article.status == Status.PUBLISHED:
        # What readers would see at once must pass what publishing asks.
        problems = body_picture_problems(content["body"])
        lead = content["lead_image"] and Image.objects.filter(pk=content["lead_image"][0]).first()
        if lead:
            problems += image_problems(lead, "lead image")
        if problems:
            raise ValidationError(problems)
    revisions.apply(article, content)
    return revision_record(
        article=article, user=user, action=f"Restored revision {revision.number}", now=now
    )


@transaction.atomic
def correction_add(
    *, article: Article, user, text: str, kind: str = Correction.Kind.CORRECTION
) -> Correction:
    """Append a dated correction; the caller's save records the revision."""
    permissions.require(user, article, permissions.CORRECT)
    return Correction.objects.create(article=article, kind=kind, text=text, created_by=user)


# Scheduled updates of live stories -----------------------------------------


class PreparedUpdate:
    """What `article_update_prepared` made: the update, or nothing when the
    editor changed nothing."""

    update: ScheduledUpdate | None = None


@contextmanager
def article_update_prepared(
    *, article: Article, user, due_at: datetime, now: datetime | None = None
) -> Iterator[PreparedUpdate]:
    """Let the desk save its changes to a published story as usual inside
    the block; keep what changed as an update due at `due_at`, and put the
    live story back as it was."""
    now = now or timezone.now()
    permissions.require(user, article, permissions.SCHEDULE_UPDATE, now)
    if due_at <= now:
        raise ValidationError("Choose a time ahead for the update.")
    prepared = PreparedUpdate()
    with transaction.atomic():
        live = revisions.snapshot(article)
        savepoint = transaction.savepoint_create()
        try:
            yield prepared
            changed = revisions.snapshot(article)
        finally:
            transaction.savepoint_rollback(savepoint)
        fields = revisions.changed_fields(live, changed, revisions.CONTENT_LABELS)
        if not fields:
            return
        prepared.update = ScheduledUpdate.objects.create(
            article_id=article.pk,
            due_at=due_at,
            changes={field: changed[field] for field in fields},
            base=_expected_before(article, due_at, live, fields),
            created_by=user,
        )
        revision_record(
            article=article,
            user=user,
            action=f"Scheduled an update of the {revisions.describe(fields)} "
            f"for {reader_time(due_at)}",
            now=now,
        )
        transaction.on_commit(lambda: update_enqueue(update=prepared.update))


def _expected_before(article: Article, due_at: datetime, live: dict, fields: list) -> dict:
    """The story's values of `fields` just before `due_at`: the live ones,
    as changed by updates still to come before it. An update after another
    of the same field then expects the first one's text, not the live one."""
    expected = {field: live[field] for field in fields}
    earlier = ScheduledUpdate.objects.pending().filter(article=article, due_at__lt=due_at)
    for update in earlier.order_by("due_at", "pk"):
        expected.update({f: v for f, v in update.changes.items() if f in expected})
    return expected


def update_enqueue(*, update: ScheduledUpdate) -> None:
    """Wake a worker at the update's time. Any due update is applied by any
    run of the task, so a lost or duplicated task changes nothing."""
    from .tasks import apply_due_updates

    apply_due_updates.using(run_after=update.due_at).enqueue()


@transaction.atomic
def update_apply(*, update_id: int, user=None, now: datetime | None = None) -> bool:
    """Apply one due update, once: row locks make a second worker wait,
    then find it applied. Story first, then update, as every service locks
    them. Returns whether this call applied it. `user` is whoever applied
    it by hand; the worker applies on behalf of the update's author."""
    now = now or timezone.now()
    article_id = (
        ScheduledUpdate.objects.filter(pk=update_id).values_list("article_id", flat=True).first()
    )
    if article_id is None:
        return False
    article = Article.objects.select_for_update().get(pk=article_id)
    update = (
        ScheduledUpdate.objects.select_for_update(of=("self",))
        .due(now)
        .filter(pk=update_id)
        .select_related("created_by")
        .first()
    )
    if update is None:
        return False
    problem = _update_problem(article, update)
    if not problem:
        try:
            with transaction.atomic():
                revisions.apply(article, update.changes)
        except ValidationError as error:
            problem = " ".join(error.messages)
    if problem:
        # Left for the desk, loudly, rather than applied half or over
        # someone's later edit; the other due updates go ahead.
        update_hold(update_id=update.pk, problem=problem, now=now)
        return False
    if article.published_at:
        Article.objects.filter(pk=article.pk).update(
            updated_at=max(update.due_at, article.published_at)
        )
    update.applied_at = now
    update.save(update_fields=["applied_at"])
    by_hand = " by hand" if user is not None else ""
    revision_record(
        article=article,
        user=user or update.created_by,
        action=f"Applied the update scheduled for {reader_time(update.due_at)}{by_hand}",
        now=now,
    )
    return True


def update_hold(*, update_id: int, problem: str, now: datetime | None = None) -> None:
    ScheduledUpdate.objects.filter(pk=update_id).update(
        failed_at=now or timezone.now(), problem=problem
    )


def _update_problem(article: Article, update: ScheduledUpdate) -> str:
    """Why applying the update now would be wrong, if it would."""
    if article.status != Status.PUBLISHED:
        return "The story is no longer published."
    picture = update.changes.get("lead_image")
    if picture and (image := Image.objects.filter(pk=picture[0]).first()):
        if problems := image_problems(image, "new lead image"):
            return " ".join(problems)
    if "body" in update.changes:
        if problems := body_picture_problems(update.changes["body"]):
            return " ".join(problems)
    moved = revisions.changed_fields(update.base, revisions.snapshot(article), update.base)
    if moved:
        return (
            f"The live story's {revisions.describe(moved)} changed after the update was "
            "prepared; applying it would undo that edit. Prepare the update again."
        )
    return ""


def updates_apply_due(*, now: datetime | None = None) -> int:
    """Apply every due update, each in its own transaction; catches up on
    whatever came due while no worker ran."""
    applied = 0
    for pk in list(ScheduledUpdate.objects.due(now).values_list("pk", flat=True)):
        try:
            applied += update_apply(update_id=pk, now=now)
        except DatabaseError as error:
            # One update's trouble must not hold up the rest, run after run.
            logger.exception("Scheduled update %s could not be applied", pk)
            update_hold(update_id=pk, problem=f"The database refused it: {error}", now=now)
    return applied


@transaction.atomic
def update_cancel(*, update: ScheduledUpdate, user, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=update.article_id)
    permissions.require(user, article, permissions.SCHEDULE_UPDATE, now)
    cancelled = ScheduledUpdate.objects.open().filter(pk=update.pk).update(cancelled_at=now)
    if cancelled:
        revision_record(
            article=article,
            user=user,
            action=f"Cancelled the update scheduled for {reader_time(update.due_at)}",
            now=now,
        )
    return bool(cancelled)


@contextmanager
def update_previewed(*, update: ScheduledUpdate) -> Iterator[Article]:
    """The story as it will read once the update is applied, for the length
    of the block; nothing of it is kept."""
    with transaction.atomic():
        article = Article.objects.get(pk=update.article_id)
        revisions.apply(article, update.changes)
        if article.published_at:
            article.updated_at = max(update.due_at, article.published_at)
            article.save(update_fields=["updated_at"])
        try:
            yield article
        finally:
            transaction.set_rollback(True)
