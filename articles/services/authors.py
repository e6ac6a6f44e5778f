"""Authors as the desk keeps them: the addresses an author's page leaves
when its slug changes keep leading to it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import permissions
from ..models import Author, AuthorAddress
from ..pagecache import keys
from ..sitewide import sitewide_changed
from .pages import pages_purge


@transaction.atomic
def author_save(*, author: Author, user) -> Author:
    _require(user, "change" if author.pk else "add")
    old_slug = None
    if author.pk:
        stored = Author.objects.select_for_update().values_list("slug", flat=True)
        old_slug = stored.get(pk=author.pk)
    author.save()
    if old_slug not in (None, author.slug):
        AuthorAddress.objects.update_or_create(slug=old_slug, defaults={"author": author})
    # A live author answers at their slug, whoever had it before.
    AuthorAddress.objects.filter(slug=author.slug).delete()
    # Bylines in feeds and on cached lists name the author afresh.
    sitewide_changed()
    pages_purge(_shown(author.pk))
    return author


@transaction.atomic
def author_delete(*, author: Author, user) -> None:
    _require(user, "delete")
    shown = _shown(author.pk)
    author.delete()
    sitewide_changed()
    pages_purge(shown)


def _shown(author_id: int) -> list[str]:
    """Their name and picture wherever shown, their page, and the list of
    authors the sitemaps give."""
    return [keys.author(author_id), keys.author_list(author_id), keys.AUTHORS]


def _require(user, verb: str) -> None:
    if not permissions.may(user, verb, Author):
        raise PermissionDenied(f"You cannot {verb} authors.")
