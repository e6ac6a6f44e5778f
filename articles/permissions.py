"""Who may do what on the desk.

Reporters write: they create stories, edit their own drafts and submit them
for review, and may withdraw a submission to work on it again. Editors run
the desk: they edit every story, publish, schedule, unpublish, prepare
updates, restore revisions, add corrections and look after tags. The
Editor group carries the `publish_article` permission; superusers have it
implicitly. Services call `require()`, forms and the admin call
`refusal()` to explain before anything is saved, so the rules are stated
once. The `desk_*` functions say what each person may see.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .models import Article, Author, Image, Note, Revision, ScheduledUpdate
from .querysets import ArticleQuerySet, visible_q
from .richtext import picture_marker

Status = Article.Status

# The desk's verbs, as the story form's buttons and the list's actions name them.
EDIT = "edit"
SUBMIT = "submit"
WITHDRAW = "withdraw"
RETURN_TO_DRAFT = "return_to_draft"
PUBLISH = "publish"
SCHEDULE = "schedule"
UNPUBLISH = "unpublish"
SCHEDULE_UPDATE = "schedule_update"
APPLY_UPDATE = "apply_update"
RESTORE = "restore"
CORRECT = "correct"
NOTE = "note"
EDITORS_ONLY = {
    RETURN_TO_DRAFT,
    PUBLISH,
    SCHEDULE,
    UNPUBLISH,
    SCHEDULE_UPDATE,
    APPLY_UPDATE,
    RESTORE,
    CORRECT,
}
# Fields of a story that decide when and how prominently readers see it:
# set by editors only, whoever may edit the rest.
EDITOR_FIELDS = ("is_featured", "published_at", "expires_at", "breaking_until", "is_live")


def may(user, verb: str, model: type[Model]) -> bool:
    """Whether `user` holds the model permission `verb` (add, change,
    delete, view) for `model`."""
    opts = model._meta
    return user.is_active and user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")


def can_publish(user) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


def can_manage_logins(user) -> bool:
    """Login records tell who works when and from where, and lifting a
    lockout undoes a defence: superusers only, whatever a group is granted."""
    return user.is_active and user.is_superuser


def can_edit(user, article: Article) -> bool:
    """Editors edit every story; a reporter edits their own drafts only."""
    if not may(user, "change", Article):
        return False
    if can_publish(user):
        return True
    return article.pk is None or (
        article.created_by_id == user.pk and article.status == Status.DRAFT
    )


def editing_refusal(user, article: Article | None) -> str:
    """Why `user` may not keep the story's form open with text the desk
    holds for them unsaved (`None`: a story not saved yet); empty when
    they may. Whoever may edit the story may, and no one else."""
    if article is None:
        return "" if may(user, "add", Article) else "You cannot write stories."
    return "" if can_edit(user, article) else "You cannot change this story."


def can_change_image(user, image: Image) -> bool:
    """Editors change any picture; a reporter only one they uploaded that
    nothing but their own drafts shows or will show, so a live story never
    changes unreviewed and nobody's picture changes under them."""
    if image.pk is None:
        return may(user, "add", Image)
    if not may(user, "change", Image):
        return False
    if can_publish(user):
        return True
    if image.uploaded_by_id != user.pk:
        return False
    shown_elsewhere = Article.objects.showing(image).exclude(
        created_by=user.pk, status=Status.DRAFT
    )
    to_be_shown = ScheduledUpdate.objects.open().filter(
        Q(changes__lead_image__0=image.pk) | Q(changes__body__icontains=picture_marker(image.pk))
    )
    return not (
        shown_elsewhere.exists()
        or to_be_shown.exists()
        or Author.objects.filter(photo=image).exists()
    )


def can_arrange_fronts(user) -> bool:
    """What leads the home page and each section front is the editors' call."""
    return can_publish(user)


def can_post_live(user) -> bool:
    """A live entry goes before readers as it is posted (or at its time),
    with no review: editors only."""
    return can_publish(user)


def can_manage_tags(user) -> bool:
    """Renaming, merging or deleting a tag changes every story carrying it,
    live ones included: editors only."""
    return can_publish(user) and may(user, "change", Tag)


def refusal(user, article: Article, action: str, now: datetime | None = None) -> str:
    """Why `user` may not do `action` to the story now; empty when allowed."""
    now = now or timezone.now()
    if action in EDITORS_ONLY and not can_publish(user):
        return "Only editors can do that; submit the story for review instead."
    if action == WITHDRAW:
        return _withdraw_refusal(user, article)
    if action == NOTE:
        return _note_refusal(user, article)
    if action != SUBMIT and not can_edit(user, article):
        return "You cannot change this story."
    if action == SUBMIT:
        if not may(user, "change", Article):
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


def _withdraw_refusal(user, article: Article) -> str:
    """A reporter takes their own story back from review to work on it;
    an editor sends it back to draft instead."""
    if not may(user, "change", Article):
        return "You cannot change this story."
    if article.status != Status.IN_REVIEW:
        return "Only a story in review can be withdrawn."
    if article.created_by_id != user.pk:
        return "Only the story's reporter can withdraw it; editors send it back to draft."
    return ""


def _note_refusal(user, article: Article) -> str:
    """Notes pass between a story's reporter and the editors: on any story
    for editors, on their own stories for a reporter, whatever its state."""
    if not may(user, "change", Article) or article.pk is None:
        return "You cannot add notes to this story."
    if not can_publish(user) and article.created_by_id != user.pk:
        return "You can add notes to your own stories only."
    return ""


def _is_live(article: Article, now: datetime) -> bool:
    return bool(article.pk) and Article.objects.filter(visible_q(now), pk=article.pk).exists()


def require(user, article: Article, action: str, now: datetime | None = None) -> None:
    reason = refusal(user, article, action, now)
    if reason:
        raise PermissionDenied(reason)


def field_refusal(user, field: str) -> str:
    """Why `user` may not set the story field `field`; empty when allowed."""
    if field in EDITOR_FIELDS and not can_publish(user):
        return (
            "Only editors set publication and expiry times or mark top stories, "
            "breaking news and live coverage."
        )
    return ""


# What each person sees on the desk -------------------------------------------


def desk_articles(user, queryset: ArticleQuerySet, now: datetime | None = None) -> ArticleQuerySet:
    """The stories `user` sees on the desk: everything for editors; for
    reporters their own stories and what readers can already see."""
    if can_publish(user):
        return queryset
    return queryset.filter(Q(created_by=user.pk) | visible_q(now or timezone.now()))


def desk_tags(user, queryset: QuerySet[Tag], now: datetime | None = None) -> QuerySet[Tag]:
    """The tags `user` sees on the desk: all for editors; for reporters only
    those on stories they see, so a tag used only on an embargoed story
    gives nothing away."""
    if can_publish(user):
        return queryset
    stories = desk_articles(user, Article.objects.all(), now).values("pk")
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=stories
    )
    return queryset.filter(pk__in=tagged.values("tag_id"))


def desk_notes(user, queryset: QuerySet[Note]) -> QuerySet[Note]:
    """The notes `user` may read: all for editors; for a reporter those on
    their own stories, between them and the editors."""
    if can_publish(user):
        return queryset
    if not may(user, "change", Article):
        return queryset.none()
    return queryset.filter(article__created_by=user.pk)


def desk_revisions(user, queryset: QuerySet[Revision]) -> QuerySet[Revision]:
    """A story's revisions as `user` may read them: reporters never see the
    revisions that tell of prepared updates."""
    if can_publish(user):
        return queryset
    return queryset.filter(is_desk_only=False)
