"""The breaking-news banner every page shows: the newest live story an
editor marked as breaking, until the time they gave, its expiry or its
withdrawal, whichever comes first.

Worked out once and remembered until a story marked as breaking (or shown
in the banner) is saved, or the time at which the answer may change
passes: the banner's end, the story's expiry, or the next scheduled
change (a breaking story scheduled to go live)."""

from dataclasses import dataclass
from datetime import datetime

from .models import Article
from .pagecache import keys, store


@dataclass(frozen=True)
class Breaking:
    pk: int
    headline: str
    url: str
    # The end the editor gave.
    until: datetime | None


# The memo's name: a new one whenever what it holds changes shape, so that
# what an older release kept in a shared cache is never read.
MEMO = f"{keys.BREAKING}-2"


def breaking_news(now: datetime) -> Breaking | None:
    found, until = store.remembered(MEMO, lambda: _look(now))
    if until is not None and until <= now:
        found, until = store.remembered(MEMO, lambda: _look(now), refresh=True)
    return found


def _look(now: datetime) -> tuple[Breaking | None, datetime | None]:
    story = (
        Article.objects.visible(now)
        .filter(breaking_until__gt=now)
        .select_related("section")
        .only("headline", "slug", "section__path", "breaking_until", "expires_at")
        .order_by("-published_at", "-pk")
        .first()
    )
    ends = [keys.next_change(now)]
    if story is None:
        return None, min((at for at in ends if at is not None), default=None)
    ends += [story.breaking_until, story.expires_at]
    found = Breaking(story.pk, story.headline, story.get_absolute_url(), story.breaking_until)
    return found, min(at for at in ends if at is not None)
