"""Scheduled updates of live stories: changes to a story's content kept
aside and applied at their time by the worker (or by an editor's hand when
no worker runs), once, and never over someone's later edit."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, transaction
from django.utils import timezone

from .. import permissions, revisions
from ..dberrors import is_transient
from ..formats import reader_time
from ..models import Article, ScheduledUpdate
from . import checks
from .content import content_apply, content_check, revision_record
from .stories import StoryEdit, edit_problems
from .workflow import locked

Status = Article.Status
logger = logging.getLogger(__name__)
# How soon updates that met a busy database are tried again.
RETRY_AFTER = timedelta(seconds=30)


@transaction.atomic
def article_schedule_update(
    *,
    article: Article,
    user,
    content: dict,
    due_at: datetime,
    substantive: bool = False,
    now: datetime | None = None,
) -> ScheduledUpdate | None:
    """Keep the changes `content` (the revisions' format) makes to the live
    story aside, to be applied at `due_at`; readers keep the live version
    until then. Only the fields that differ are kept, so edits made to the
    live story's other fields in the meantime survive. A `substantive`
    update moves the story's "Updated on" time when it is applied. None
    when nothing differs."""
    now = now or timezone.now()
    permissions.require(user, locked(article), permissions.SCHEDULE_UPDATE, now)
    problems = edit_problems(
        article, StoryEdit(content=content), permissions.SCHEDULE_UPDATE, due_at, now
    )
    if problems:
        raise ValidationError(problems)
    return update_create(
        article=article,
        user=user,
        content=content,
        due_at=due_at,
        substantive=substantive,
        now=now,
    )


def update_create(
    *,
    article: Article,
    user,
    content: dict,
    due_at: datetime,
    now: datetime,
    substantive: bool = False,
) -> ScheduledUpdate | None:
    """The second half of `article_schedule_update`, for a caller that has
    locked the story and made its checks (the desk's save): keep what
    differs, with the revision that tells of it."""
    live = revisions.snapshot(article)
    wanted = revisions.normalised({**live, **content})
    fields = revisions.changed_fields(live, wanted, revisions.CONTENT_LABELS)
    if not fields:
        return None
    content_check(article, wanted)
    update = ScheduledUpdate.objects.create(
        article_id=article.pk,
        due_at=due_at,
        changes={name: wanted[name] for name in fields},
        substantive=substantive,
        base=_expected_before(article, due_at, live, fields),
        created_by=user,
    )
    revision_record(
        article=article,
        user=user,
        action=f"Scheduled an update of the {revisions.describe(fields)} for {reader_time(due_at)}",
        now=now,
        desk_only=True,
    )
    transaction.on_commit(lambda: update_enqueue(update=update))
    return update


def _expected_before(article: Article, due_at: datetime, live: dict, fields: list) -> dict:
    """The story's values of `fields` just before `due_at`: the live ones,
    as changed by updates still to come before it. An update after another
    of the same field then expects the first one's text, not the live one."""
    expected = {name: live[name] for name in fields}
    earlier = ScheduledUpdate.objects.pending().filter(article=article, due_at__lt=due_at)
    for update in earlier.order_by("due_at", "pk"):
        expected.update({name: v for name, v in update.changes.items() if name in expected})
    return expected


def update_enqueue(*, update: ScheduledUpdate) -> None:
    """Wake a worker at the update's time. Any due update is applied by any
    run of the task, so a lost or duplicated task changes nothing."""
    from ..tasks import apply_due_updates

    apply_due_updates.using(run_after=update.due_at).enqueue()


@transaction.atomic
def update_apply(*, update_id: int, user=None, now: datetime | None = None) -> bool:
    """Apply one due update, once: row locks make a second worker wait,
    then find it applied. Story first, then update, as every service locks
    them. Returns whether this call applied it. `user` is an editor applying
    it by hand; the worker applies on behalf of the update's author."""
    now = now or timezone.now()
    article_id = (
        ScheduledUpdate.objects.filter(pk=update_id).values_list("article_id", flat=True).first()
    )
    if article_id is None:
        return False
    article = Article.objects.select_for_update().get(pk=article_id)
    if user is not None:
        permissions.require(user, article, permissions.APPLY_UPDATE, now)
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
                content_apply(article, update.changes)
        except ValidationError as error:
            problem = " ".join(error.messages)
    if problem:
        # Left for the desk, loudly, rather than applied half or over
        # someone's later edit; the other due updates go ahead.
        update_hold(update_id=update.pk, problem=problem, now=now)
        return False
    _applied(article, update, user, now)
    return True


def _applied(article: Article, update: ScheduledUpdate, user, now: datetime) -> None:
    if update.substantive and article.published_at:
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


def update_hold(*, update_id: int, problem: str, now: datetime | None = None) -> None:
    ScheduledUpdate.objects.filter(pk=update_id).update(
        failed_at=now or timezone.now(), problem=problem
    )


def _update_problem(article: Article, update: ScheduledUpdate) -> str:
    """Why applying the update now would be wrong, if it would."""
    if article.status != Status.PUBLISHED:
        return "The story is no longer published."
    if problems := checks.live_content_problems(article, update.changes):
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
    applied, again = 0, False
    for pk in list(ScheduledUpdate.objects.due(now).values_list("pk", flat=True)):
        try:
            applied += update_apply(update_id=pk, now=now)
        except (DatabaseError, InterfaceError) as error:
            if is_transient(error):
                # A busy or lost database: the update stays due, for a
                # later run.
                logger.warning("Scheduled update %s waits for the database: %s", pk, error)
                again = True
                continue
            # One update's trouble must not hold up the rest, run after run.
            logger.exception("Scheduled update %s could not be applied", pk)
            update_hold(update_id=pk, problem=f"The database refused it: {error}", now=now)
    if again:
        _try_again_soon()
    return applied


def _try_again_soon() -> None:
    """Queue another run shortly. Should the database refuse even that, the
    updates stay due: the next run, or an editor on the dashboard's overdue
    warning, applies them."""
    from ..tasks import apply_due_updates

    try:
        apply_due_updates.using(run_after=timezone.now() + RETRY_AFTER).enqueue()
    except DatabaseError:
        logger.exception("Could not queue another run of the scheduled updates")


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
            desk_only=True,
        )
    return bool(cancelled)
