"""Which cached pages a change makes stale: every service that changes what
readers see calls one of these inside its transaction (see
`articles/pagecache`). A story's lists are the ones it is in now and the
ones it was in when last saved (`Article.listed_in`), so a story leaving a
section, a tag or a byline leaves those pages too."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.utils import timezone

from ..breaking import MEMO as BANNER_MEMO
from ..breaking import breaking_news
from ..models import Article
from ..models.content import story_path
from ..pagecache import keys
from ..pagecache.store import purge
from ..readership import list_key


def pages_purge(purged: Iterable[str]) -> None:
    purge(purged)


def story_pages_purge(article_id: int) -> None:
    """After any change to a story: its own page and the pages linking to
    it; the lists it was in when last saved; and, once it has a
    publication time (live, scheduled, expired or taken down), the lists it
    is in now. A draft never published purges no list."""
    row = (
        Article.objects.filter(pk=article_id)
        .values(
            "status",
            "section_id",
            "published_at",
            "listed_in",
            "breaking_until",
            "expires_at",
            "headline",
            "slug",
            "section__path",
        )
        .first()
    )
    if row is None:
        return
    current = story_lists(article_id, row["section_id"]) if row["published_at"] else set()
    if row["breaking_until"] and row["breaking_until"] > timezone.now():
        # Noted as a list, so that the save that ends it purges it too.
        current.add(keys.BREAKING)
    listed = sorted(current) if row["status"] == Article.Status.PUBLISHED else []
    if listed != row["listed_in"]:
        Article.objects.filter(pk=article_id).update(listed_in=listed)
    purged = {keys.story(article_id), keys.SCHEDULE, *row["listed_in"], *current}
    if keys.BREAKING in purged and _banner_changes(article_id, row):
        # The banner is on every page, and worked out once for them all.
        purged |= {keys.SITE, BANNER_MEMO}
    else:
        purged.discard(keys.BREAKING)
    # The most-read lists it may be in: site-wide, and its sections'.
    sections = [int(key.removeprefix("section-")) for key in purged if key.startswith("section-")]
    purged |= {list_key(None), *(list_key(pk) for pk in sections)}
    purge(purged)


def _banner_changes(article_id: int, row: Mapping[str, Any]) -> bool:
    """Whether the breaking-news banner may show otherwise after this change
    to a story that is or was marked as breaking: not when the banner shows
    the story and goes on showing it as it is (a live entry posted to it, a
    fix to its body), which would empty every kept page for nothing."""
    now = timezone.now()
    shows = (
        row["status"] == Article.Status.PUBLISHED
        and row["published_at"] is not None
        and row["published_at"] <= now
        and (row["expires_at"] is None or row["expires_at"] > now)
        and row["breaking_until"] is not None
        and row["breaking_until"] > now
    )
    shown = breaking_news(now)
    return not (
        shows
        and shown is not None
        and shown.pk == article_id
        and shown.headline == row["headline"]
        and shown.url == story_path(row["section__path"], row["slug"], article_id)
        and shown.until == row["breaking_until"]
    )


def story_lists(article_id: int, section_id: int) -> set[str]:
    return stories_lists([article_id], {article_id: section_id})[article_id]


def stories_lists(
    article_ids: list[int], sections: dict[int, int], registry=apps
) -> dict[int, set[str]]:
    """The lists each story is in: every story, its section and those above,
    its tags and its authors. `sections` gives each story's section;
    `registry` is the models' (a migration passes its own)."""
    Section = registry.get_model("articles", "Section")
    Byline = registry.get_model("articles", "Byline")
    TaggedItem = registry.get_model("taggit", "TaggedItem")
    ContentType = registry.get_model("contenttypes", "ContentType")
    path_of = dict(Section.objects.values_list("pk", "path"))
    at = {path: pk for pk, path in path_of.items()}
    lists: dict[int, set[str]] = {}
    for article_id in article_ids:
        parts = path_of[sections[article_id]].split("/")
        above = ("/".join(parts[: depth + 1]) for depth in range(len(parts)))
        lists[article_id] = {keys.STORIES, *(keys.section_list(at[p]) for p in above if p in at)}
    bylines = Byline.objects.filter(article_id__in=article_ids)
    for article_id, author_id in bylines.values_list("article_id", "author_id"):
        lists[article_id].add(keys.author_list(author_id))
    # A database being made has no content types yet, and no tags on stories.
    stories = ContentType.objects.filter(app_label="articles", model="article").first()
    tagged = TaggedItem.objects.filter(content_type=stories, object_id__in=article_ids)
    for article_id, tag_id in tagged.values_list("object_id", "tag_id"):
        lists[article_id].add(keys.tag_list(tag_id))
    return lists


def stories_lists_record(article_ids: list[int], registry=apps) -> None:
    """Note the lists of many stories at once (a bulk load, or stories
    saved before lists were noted), as a save through the desk would."""
    Article = registry.get_model("articles", "Article")
    published = dict(
        Article.objects.filter(pk__in=article_ids, status="published").values_list(
            "pk", "section_id"
        )
    )
    lists = stories_lists(list(published), published, registry)
    Article.objects.bulk_update(
        [Article(pk=pk, listed_in=sorted(found)) for pk, found in lists.items()],
        ["listed_in"],
        batch_size=1000,
    )
