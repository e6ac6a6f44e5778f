"""Tags as the desk looks after them: renamed, merged or deleted by editors
only, each change reaching every story that carries the tag as an edit of
that story (its version moves on and its history says what happened), and
the updates prepared for those stories, so none later brings an old name
back or is held for a change nobody made to the story. The addresses a
renamed or merged tag leaves lead to the tag that carries on."""

from collections.abc import Callable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .. import permissions
from ..models import Article, ScheduledUpdate, TagAddress
from ..pagecache import keys
from ..revisions import normalised
from . import checks
from .content import revision_record
from .pages import pages_purge
from .search import in_chunks, search_index

# Stories locked and recorded at a time when a tag changes.
LOCK_CHUNK = 10_000


def tag_rename_problem(*, tag: Tag, name: str) -> str:
    """Why `tag` cannot be renamed to `name`; empty when it can."""
    if problem := checks.tag_name_problem(name):
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

    def change() -> None:
        old_slug = stored.slug
        stored.name, stored.slug = name, _free_slug(name, stored.pk)
        stored.save()
        _keep_address(old_slug, stored)

    action = f"Renamed the tag “{old}” to “{name}”"
    _retag([stored], change, {old.casefold(): name}, user, action, now)
    return stored


@transaction.atomic
def tag_merge(*, tags: list[Tag], into: Tag, user, now: datetime | None = None) -> int:
    """Put `into` in the place of each of `tags` on every story, then delete
    them. Returns how many stories changed."""
    _require(user)
    merged = [tag for tag in tags if tag.pk != into.pk]
    if not merged:
        raise ValidationError("Choose at least two tags to merge.")
    renames: dict[str, str | None] = {tag.name.casefold(): into.name for tag in merged}

    def change() -> None:
        stories = _stories()
        tagged = TaggedItem.objects.filter(content_type=stories)
        carrying = set(tagged.filter(tag__in=merged).values_list("object_id", flat=True))
        have = set(tagged.filter(tag=into).values_list("object_id", flat=True))
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=into, content_type=stories, object_id=story_id)
            for story_id in sorted(carrying - have)
        )
        # The merged tags' addresses, old and current, lead to `into`.
        TagAddress.objects.filter(tag__in=merged).update(tag=into)
        for tag in merged:
            _keep_address(tag.slug, into)
        Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()

    listed = ", ".join(f"“{tag.name}”" for tag in merged)
    action = f"Merged the tag{'s' if len(merged) > 1 else ''} {listed} into “{into.name}”"
    return _retag(merged, change, renames, user, action, now)


@transaction.atomic
def tag_delete(*, tag: Tag, user, now: datetime | None = None) -> int:
    """Take the tag off every story and delete it. Returns how many stories
    changed."""
    _require(user)
    action = f"Deleted the tag “{tag.name}”"
    return _retag([tag], tag.delete, {tag.name.casefold(): None}, user, action, now)


def _retag(
    tags: list[Tag],
    change: Callable[[], object],
    renames: dict[str, str | None],
    user,
    action: str,
    now: datetime | None,
) -> int:
    """Lock the stories carrying `tags`, and those whose open updates name
    them (in one order, as every service does), make the `change`, carry
    `renames` (old name, casefolded, to the new one or None) into those
    updates, and record a revision of each story carrying the tags."""
    now = now or timezone.now()
    carrying = TaggedItem.objects.filter(tag__in=tags, content_type=_stories())
    ids = set(carrying.values_list("object_id", flat=True))
    named = [update for update in _open_updates_with_tags() if _names(update, renames)]
    locked = ids | {update.article_id for update in named}
    # In ascending chunks: the same order as one query would lock them.
    for chunk in in_chunks(locked, LOCK_CHUNK):
        list(Article.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
    # The tags' names and pages; each story's lists go with its revision.
    pages_purge([keys.TAGS, *(key for tag in tags for key in keys.tag_changed(tag.pk))])
    change()
    search_index(ids)
    for update in named:
        for record in (update.changes, update.base):
            if "tags" in record:
                record["tags"] = _renamed(record["tags"], renames)
        update.save(update_fields=["changes", "base"])
    for chunk in in_chunks(ids, LOCK_CHUNK):
        stories = Article.objects.filter(pk__in=chunk).order_by("pk")
        # The stories changed: feeds and sitemaps go by when each was saved.
        stories.update(modified_at=now)
        for story in stories:
            revision_record(article=story, user=user, action=action, now=now)
    return len(ids)


def _open_updates_with_tags():
    return ScheduledUpdate.objects.open().filter(
        Q(changes__has_key="tags") | Q(base__has_key="tags")
    )


def _names(update: ScheduledUpdate, renames: dict[str, str | None]) -> bool:
    names = [*update.changes.get("tags", []), *update.base.get("tags", [])]
    return any(name.casefold() in renames for name in names)


def _renamed(names: list[str], renames: dict[str, str | None]) -> list[str]:
    """`names` with each renamed, merged or deleted tag replaced, in the
    order and form a story's tags are kept in."""
    kept = [renames.get(name.casefold(), name) for name in names]
    return normalised({"tags": [name for name in kept if name]})["tags"]


def _require(user) -> None:
    if not permissions.can_manage_tags(user):
        raise PermissionDenied("Only editors rename, merge or delete tags.")


def _keep_address(old_slug: str, tag: Tag) -> None:
    """Let `old_slug` lead to `tag`, and forget any record of the slug
    `tag` has now: a live tag answers there."""
    if old_slug != tag.slug:
        TagAddress.objects.update_or_create(slug=old_slug, defaults={"tag": tag})
    TagAddress.objects.filter(slug=tag.slug).delete()


def _stories() -> ContentType:
    return ContentType.objects.get_for_model(Article)


def _free_slug(name: str, pk: int) -> str:
    base = Tag().slugify(name)
    slug, number = base, 1
    while Tag.objects.filter(slug=slug).exclude(pk=pk).exists():
        number += 1
        slug = Tag().slugify(name, number)
    return slug
