"""Keeping the search index in step with stories: every write that changes
a headline, standfirst, body or tags calls `search_index` with the stories
it changed, inside its own transaction, so a story is found by its new
words as soon as the change is committed. Whether a story is live is not
indexed: search starts from `Article.objects.visible()` like every page."""

from collections.abc import Iterable, Iterator

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from .. import search
from ..models import Article
from ..querysets import FTS5_TABLE, body_text_sql

# Stories written to the index in one statement.
CHUNK = 500


def in_chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    """`ids` in ascending order, a few at a time: one query takes at most
    32,766 values on SQLite and 65,535 on PostgreSQL, and a tag may be on
    more stories than that."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def search_index(article_ids: Iterable[int]) -> None:
    """Index the stories' current text; ids of stories deleted since leave
    the index."""
    for chunk in in_chunks(article_ids):
        if connection.vendor == "postgresql":
            _index_postgresql(chunk)
        elif connection.vendor == "sqlite":
            search_forget(chunk)
            _index_sqlite(chunk)


def search_forget(article_ids: Iterable[int]) -> None:
    """Take deleted stories out of the index. On PostgreSQL the index lives
    in the story's row and goes with it."""
    ids = list(article_ids)
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {FTS5_TABLE} WHERE rowid IN ({placeholders})", ids)


def search_forget_deleted() -> None:
    """Take out of the index every story no longer in the database, however
    it went (SQLite's index is a table apart from the stories')."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS5_TABLE} WHERE rowid NOT IN (SELECT id FROM articles_article)"
            )


def _tag_names():
    return (
        TaggedItem.objects.filter(content_type__model="article", content_type__app_label="articles")
        .filter(object_id=OuterRef("pk"))
        .values("object_id")
        .annotate(names=StringAgg("tag__name", Value(" ")))
        .values("names")
    )


def _index_postgresql(ids: list[int]) -> None:
    def weighted(expression, weight: str) -> SearchVector:
        return SearchVector(expression, weight=weight, config=search.CONFIG)

    tags = Coalesce(Subquery(_tag_names()), Value(""), output_field=TextField())
    Article.objects.filter(pk__in=ids).update(
        search_vector=weighted("headline", "A")
        + weighted("standfirst", "B")
        + weighted(tags, "C")
        + weighted(body_text_sql(), "D")
    )


def _index_sqlite(ids: list[int]) -> None:
    rows = Article.objects.filter(pk__in=ids).annotate(tag_names=Subquery(_tag_names()))
    values = [
        (pk, headline, standfirst, tag_names or "", search.plain_body(body))
        for pk, headline, standfirst, body, tag_names in rows.values_list(
            "pk", "headline", "standfirst", "body", "tag_names"
        )
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS5_TABLE} (rowid, headline, standfirst, tags, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            values,
        )
