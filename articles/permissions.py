"""Who may do what to a story on the desk.

Reporters write: they create stories, edit their own drafts and submit them
for review. Editors run the desk: they edit every story, publish, schedule,
unpublish, prepare updates, restore revisions and add corrections. The
Editor group carries the `publish_article` permission; superusers have it
implicitly. Services call `require()`, forms and the admin call `refusal()`
to explain before anything is saved, so the rules are stated once.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from .models import Article, Author, ScheduledUpdate
from .querysets import visible_q

Status = Article.Status

# The desk's verbs, as the story form's buttons and the list's actions name them.
SUBMIT = "submit"
RETURN_TO_DRAFT = "return_to_draft"
PUBLISH = "publish"
SCHEDULE = "schedule"
UNPUBLISH = "unpublish"
SCHEDULE_UPDATE = "schedule_update"
RESTORE = "restore"
CORRECT = "correct"
EDITORS_ONLY = {RETURN_TO_DRAFT, PUBLISH, SCHEDULE, UNPUBLISH, SCHEDULE_UPDATE, RESTORE, CORRECT}


def can_publish(user) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


def can_manage_logins(user) -> bool:
    """Login records tell who works when and from where, and lifting a
    lockout undoes a defence: superusers only, whatever a group is granted."""
    return user.is_active and user.is_superuser


def can_edit(user, article: Article) -> bool:
    """Editors edit every story; a reporter edits their own drafts only."""
    if not user.is_active or not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return article.pk is None or (
        article.created_by_id == user.pk and article.status == Status.DRAFT
    )


def can_change_image(user, image) -> bool:
    """Editors change any picture; a reporter only one that nothing but
    their own drafts shows or will show, so a live story never changes
    unreviewed."""
    if not user.is_active or not user.has_perm("articles.change_image"):
        return False
    if can_publish(user) or image.pk is None:
        return True
    shown_elsewhere = Article.objects.showing(image).exclude(
        created_by=user.pk, status=Status.DRAFT
    )
    to_be_shown = ScheduledUpdate.objects.open().filter(
        Q(changes__lead_image__0=image.pk) | Q(changes__body__icontains=f'data-file="{image.pk}"')
    )
    return not (
        shown_elsewhere.exists()
        or to_be_shown.exists()
        or Author.objects.filter(photo=image).exists()
    )


def refusal(user, article: Article, action: str, now: datetime | None = None) -> str:
    """Why `user` may not do `action` to the story now; empty when allowed."""
    now = now or timezone.now()
    if action in EDITORS_ONLY and not can_publish(user):
        return "Only editors can do that; submit the story for review instead."
    if action != SUBMIT and not can_edit(user, article):
        return "You cannot change this story."
    if action == SUBMIT:
        if not user.has_perm("articles.change_article"):
            return "You cannot change this story."
        if article.status != Status.DRAFT:
            return "Only a draft can be submitted for review."
        if not can_edit(user, article):
            return "Only the story's reporter or an editor can submit it."
    if action == RETURN_TO_DRAFT and article.status != Status.IN_REVIEW:
        return "Only a story in review can be sent back to draft."
    if action in (PUBLISH, SCHEDULE) and _is_live(article, now):
        if action == PUBLISH:
            return "The story is already live."
        return "The story is already live; unpublish it first to schedule it again."
    if action == UNPUBLISH and article.status != Status.PUBLISHED:
        return "Only a published or scheduled story can be unpublished."
    if action == SCHEDULE_UPDATE and article.status != Status.PUBLISHED:
        return "Updates can be scheduled for published stories only; save a draft directly."
    return ""


def _is_live(article: Article, now: datetime) -> bool:
    return bool(article.pk) and Article.objects.filter(visible_q(now), pk=article.pk).exists()


def require(user, article: Article, action: str, now: datetime | None = None) -> None:
    reason = refusal(user, article, action, now)
    if reason:
        raise PermissionDenied(reason)


def desk_articles(user, queryset, now: datetime | None = None):
    """The stories `user` sees on the desk: everything for editors; for
    reporters their own stories and what readers can already see."""
    if can_publish(user):
        return queryset
    return queryset.filter(Q(created_by=user.pk) | visible_q(now or timezone.now()))
