"""Every write that matters: the section tree, ad slots, saving stories."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import AdSlot, Article, Section
from .sitewide import sitewide_changed


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


@transaction.atomic
def article_save(
    *, article: Article, user=None, mark_updated: bool = False, now: datetime | None = None
) -> Article:
    """Save a story from the desk. Publishing stamps the first-publication
    time once; `mark_updated` moves the “Updated on” time readers see, which
    ordinary saves (typo fixes, new tags) leave alone."""
    now = now or timezone.now()
    if article.pk is None and user is not None and user.is_authenticated:
        article.created_by = user
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = now
    elif mark_updated and article.status == Article.Status.PUBLISHED:
        article.updated_at = now
    article.save()
    return article
