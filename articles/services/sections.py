"""The section tree and the ad slots: site-wide data every page shows, so
each change moves the site-wide cache on (`sitewide_changed`) and purges
every cached page."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..models import AdSlot, Article, Section, SectionAddress
from ..pagecache import keys
from ..sitewide import sitewide_changed
from .pages import pages_purge


@transaction.atomic
def section_save(*, section: Section, user) -> Section:
    """Save a section and refresh the derived tree fields (path, full name,
    depth, order, root) of every section, so a renamed or moved section
    carries its whole subtree with it, and every address a section leaves
    keeps leading to it. Sections are few; one pass over the table is
    cheap."""
    _require(user, Section, "change" if section.pk else "add")
    if section.pk:
        # The stored path stays until the tree is rebuilt, which records it
        # as an old address when it moves the section.
        stored = Section.objects.select_for_update().values_list("path", flat=True)
        section.path = stored.get(pk=section.pk)
    else:
        parent_path = section.parent.path if section.parent else ""
        section.path = f"{parent_path}/{section.slug}".lstrip("/")
    section.save()
    sections_rebuild_tree()
    sitewide_changed()
    pages_purge([keys.SITE])
    section.refresh_from_db()
    return section


@transaction.atomic
def section_delete(*, section: Section, user) -> None:
    _require(user, Section, "delete")
    section.delete()
    sitewide_changed()
    pages_purge([keys.SITE])


@transaction.atomic
def ad_slot_save(*, slot: AdSlot, user) -> AdSlot:
    _require(user, AdSlot, "change" if slot.pk else "add")
    slot.save()
    sitewide_changed()
    pages_purge([keys.SITE])
    return slot


@transaction.atomic
def ad_slot_delete(*, slot: AdSlot, user) -> None:
    _require(user, AdSlot, "delete")
    slot.delete()
    sitewide_changed()
    pages_purge([keys.SITE])


def _require(user, model: type[Section] | type[AdSlot], verb: str) -> None:
    if not permissions.may(user, verb, model):
        raise PermissionDenied(f"You cannot {verb} {model._meta.verbose_name_plural}.")


def sections_rebuild_tree() -> None:
    sections = list(Section.objects.order_by("position", "name", "pk"))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)

    changed: list[Section] = []
    moved: list[Section] = []
    old_paths: list[SectionAddress] = []

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
                    moved.append(section)
                    old_paths.append(SectionAddress(section=section, path=section.path))
                for field, value in derived.items():
                    setattr(section, field, value)
                changed.append(section)
            visit(section, depth + 1, root or section)

    visit(None, 0, None)
    # Paths are unique: move the changed rows out of the way first so a swap
    # of two paths never collides half-way.
    for section in moved:
        Section.objects.filter(pk=section.pk).update(path=f"~moving~{section.pk}")
    Section.objects.bulk_update(changed, ["path", "full_name", "tree_order", "depth", "root"])
    _record_addresses(old_paths)
    # Their stories' addresses change with them: feeds and sitemaps go by
    # when each story was saved.
    Article.objects.filter(section__in=moved).update(modified_at=timezone.now())


def _record_addresses(old_paths: list[SectionAddress]) -> None:
    """Keep the addresses moved sections leave, each leading to its own
    section, and forget any a live section now has: it answers there."""
    SectionAddress.objects.filter(path__in=[address.path for address in old_paths]).delete()
    SectionAddress.objects.bulk_create(old_paths)
    SectionAddress.objects.filter(path__in=Section.objects.values("path")).delete()
