"""Front pages: the lead and top stories the desk places on the home page
and on each section's front, in its order, each until it is moved or its
pin runs out. Readers see the placed stories first and the newest of the
rest after them (`views`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .. import permissions
from ..formats import reader_time
from ..models import FRONT_SLOTS, Article, FrontSlot, Section
from ..pagecache import keys
from .pages import pages_purge

# The key of the lock the home front's arrangements take turns by.
HOME_FRONT_LOCK = 7_301_011


@dataclass(frozen=True)
class Placing:
    """A story's place on a front: the order of `Placing`s is the front's,
    the first its lead; `pinned_until` (optional) ends it."""

    article: Article
    pinned_until: datetime | None = None


def front_problems(
    section: Section | None, placings: Sequence[Placing], now: datetime
) -> list[str]:
    """Why the desk cannot arrange the front so, each reason naming the
    story; empty when it can."""
    problems: list[str] = []
    if len(placings) > FRONT_SLOTS:
        problems.append(f"A front holds a lead and at most {FRONT_SLOTS - 1} top stories.")
    stories = {
        story.pk: story
        for story in Article.objects.filter(pk__in=[p.article.pk for p in placings]).select_related(
            "section"
        )
    }
    seen: set[int] = set()
    for placing in placings:
        story = stories.get(placing.article.pk)
        if story is None:
            problems.append("A story placed on the front was deleted.")
            continue
        if story.pk in seen:
            problems.append(f"“{story.headline}” is placed twice.")
        seen.add(story.pk)
        if story.status != Article.Status.PUBLISHED or (
            story.expires_at is not None and story.expires_at <= now
        ):
            problems.append(
                f"“{story.headline}” is not published: place stories that are live or scheduled."
            )
        elif section is not None and not _within(story.section, section):
            problems.append(
                f"“{story.headline}” is in {story.section.full_name}, "
                f"not in {section.full_name} or its subsections."
            )
        if placing.pinned_until is not None and placing.pinned_until <= now:
            problems.append(
                f"“{story.headline}” is pinned until {reader_time(placing.pinned_until)}, "
                "which has passed: give a time ahead, or none to keep it there."
            )
    return problems


def _within(story_section: Section, section: Section) -> bool:
    return story_section.path == section.path or story_section.path.startswith(f"{section.path}/")


@transaction.atomic
def front_arrange(
    *, section: Section | None, placings: Sequence[Placing], user, now: datetime | None = None
) -> list[FrontSlot]:
    """Place `placings` on the home page's front (`section` None) or the
    section's, in their order, in place of what was there."""
    if not permissions.can_arrange_fronts(user):
        raise PermissionDenied("Only editors arrange front pages.")
    now = now or timezone.now()
    if section is None:
        current = FrontSlot.objects.filter(section__isnull=True)
        # The home front has no row of its own to hold while empty.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HOME_FRONT_LOCK])
    else:
        current = FrontSlot.objects.filter(section=section)
        # A front with nothing placed yet has no row of its own to hold.
        list(Section.objects.select_for_update().filter(pk=section.pk).values("pk"))
    # Held until the end, so two editors arranging one front take turns.
    list(current.select_for_update().order_by().values("pk"))
    if problems := front_problems(section, placings, now):
        raise ValidationError(problems)
    current.delete()
    slots = FrontSlot.objects.bulk_create(
        FrontSlot(
            section=section,
            article=placing.article,
            position=position,
            pinned_until=placing.pinned_until,
            arranged_at=now,
            arranged_by=user,
        )
        for position, placing in enumerate(placings)
    )
    # SCHEDULE: a pin running out is a time at which pages change.
    pages_purge([keys.front(section.pk if section else None), keys.SCHEDULE])
    return slots


def fronts_leave(article_id: int) -> None:
    """Take a story off every front it was placed on (it was taken down or
    deleted): put back up later, it does not return to an old place."""
    slots = FrontSlot.objects.filter(article_id=article_id)
    fronts = {keys.front(section_id) for section_id in slots.values_list("section_id", flat=True)}
    if fronts:
        slots.delete()
        pages_purge(fronts)
