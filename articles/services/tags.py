"""Tags as the desk looks after them: renamed, merged or deleted by editors
only, each change reaching every story that carries the tag as an edit of
that story (its version moves on and its history says what happened), and
the updates prepared for those stories, so none later brings an old name
back or is held for a change nobody made to the story."""

from collections.abc import Callable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .. import permissions
from ..models import Article, ScheduledUpdate
from .content import revision_record

NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def name_problem(name: str) -> str:
    """What is wrong with `name` as a tag's name; empty when nothing is."""
    if len(name) > NAME_MAX_LENGTH:
        return f"Tag “{name[:40]}…” is longer than {NAME_MAX_LENGTH} characters."
    if not Tag().slugify(name):
        return f"Tag “{name}” needs at least one letter or digit."
    return ""


def tag_rename_problem(*, tag: Tag, name: str) -> str:
    """Why `tag` cannot be renamed to `name`; empty when it can."""
    if problem := name_problem(name):
        return problem
    twin = Tag.objects.filter(name__iexact=name).exclude(pk=tag.pk).first()
    if twin is not None:
        return f"The tag “{twin.name}” already exists: merge the two tags instead."
    return ""


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, user, now: datetime | None = None) -> Tag:
    _require(user)
    name = " ".join(name.split())
    stored = Tag.objects.select_for_update().get(pk=tag.pk)
    if problem := tag_rename_problem(tag=stored, name=name):
        raise ValidationError({"name": problem})
    old = stored.name
    if name == old:
        return stored

    def rewrite(names: list[str]) -> list[str]:
        return [name if each.casefold() == old.casefold() else each for each in names]

    def change() -> None:
        stored.name, stored.slug = name, _free_slug(name, stored.pk)
        stored.save()

    _retag([stored], change, rewrite, user, f"Renamed the tag “{old}” to “{name}”", now)
    return stored


@transaction.atomic
def tag_merge(*, tags: list[Tag], into: Tag, user, now: datetime | None = None) -> int:
    """Put `into` in the place of each of `tags` on every story, then delete
    them. Returns how many stories changed."""
    _require(user)
    merged = [tag for tag in tags if tag.pk != into.pk]
    if not merged:
        raise ValidationError("Choose at least two tags to merge.")
    gone = {tag.name.casefold() for tag in merged}

    def rewrite(names: list[str]) -> list[str]:
        kept = [each for each in names if each.casefold() not in gone]
        return kept if into.name in kept else [*kept, into.name]

    def change() -> None:
        for item in TaggedItem.objects.filter(tag__in=merged, content_type=_stories()):
            TaggedItem.objects.get_or_create(
                tag=into, content_type=item.content_type, object_id=item.object_id
            )
        Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()

    listed = ", ".join(f"“{tag.name}”" for tag in merged)
    action = f"Merged the tag{'s' if len(merged) > 1 else ''} {listed} into “{into.name}”"
    return _retag(merged, change, rewrite, user, action, now)


@transaction.atomic
def tag_delete(*, tag: Tag, user, now: datetime | None = None) -> int:
    """Take the tag off every story and delete it. Returns how many stories
    changed."""
    _require(user)

    def rewrite(names: list[str]) -> list[str]:
        return [each for each in names if each.casefold() != tag.name.casefold()]

    return _retag([tag], tag.delete, rewrite, user, f"Deleted the tag “{tag.name}”", now)


def _retag(
    tags: list[Tag],
    change: Callable[[], object],
    rewrite: Callable[[list[str]], list[str]],
    user,
    action: str,
    now: datetime | None,
) -> int:
    """Lock the stories carrying `tags` (in one order, as every service
    does), make the `change`, `rewrite` the tag names of their open
    updates, and record a revision of each story."""
    now = now or timezone.now()
    carrying = TaggedItem.objects.filter(tag__in=tags, content_type=_stories())
    ids = list(carrying.values_list("object_id", flat=True).distinct())
    stories = list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    change()
    for update in ScheduledUpdate.objects.open().filter(article_id__in=ids):
        for record in (update.changes, update.base):
            if "tags" in record:
                record["tags"] = rewrite(record["tags"])
        update.save(update_fields=["changes", "base"])
    for story in stories:
        revision_record(article=story, user=user, action=action, now=now)
    return len(stories)


def _require(user) -> None:
    if not permissions.can_manage_tags(user):
        raise PermissionDenied("Only editors rename, merge or delete tags.")


def _stories() -> ContentType:
    return ContentType.objects.get_for_model(Article)


def _free_slug(name: str, pk: int) -> str:
    base = Tag().slugify(name)
    slug, number = base, 1
    while Tag.objects.filter(slug=slug).exclude(pk=pk).exists():
        number += 1
        slug = Tag().slugify(name, number)
    return slug
