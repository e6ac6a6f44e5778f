"""Every rule for reading stories and sections, as chainable querysets."""

import functools
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import (
    Aggregate,
    F,
    FloatField,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, JSONObject
from django.db.models.query import ModelIterable
from django.utils import timezone
from taggit.models import Tag

from .prepared import Prepared
from .search import CONFIG, FTS5_WEIGHTS, HTML_TAG, MARK_START, MARK_STOP, SearchTerms

if TYPE_CHECKING:
    from .models import Article, Author, ScheduledUpdate, Section

# What a picture in a story's body needs on the page: enough of its row to
# pick renditions, size the box and credit it.
BODY_PICTURE_FIELDS = (
    "id",
    "title",
    "file",
    "width",
    "height",
    "alt_text",
    "caption",
    "credit",
    "content_hash",
    "focal_x",
    "focal_y",
    "renditions",
)
BODY_PICTURE_ROWS = tuple((name, f"image__{name}") for name in BODY_PICTURE_FIELDS)


class JSONList(Aggregate):
    """A group's values as one JSON array, on PostgreSQL and SQLite."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


CORRECTION_FIELDS = tuple((name, name) for name in ("id", "kind", "text", "published_at"))
# What a byline, a tag and a READ MORE line show on the story page.
BYLINE_FIELDS = (
    ("id", "id"),
    ("position", "position"),
    ("author_id", "author_id"),
    ("author_name", "author__name"),
    ("author_slug", "author__slug"),
    ("author_kind", "author__kind"),
)
# On the story page the byline's authors carry what its author box shows.
STORY_BYLINE_FIELDS = (
    *BYLINE_FIELDS,
    ("author_role", "author__role"),
    ("author_bio", "author__bio"),
    *((f"photo_{name}", f"author__photo__{name}") for name in BODY_PICTURE_FIELDS),
)
TAG_FIELDS = (("id", "id"), ("tag_id", "tag_id"), ("name", "tag__name"), ("slug", "tag__slug"))
# What a live story's page shows of each entry readers may see.
LIVE_ENTRY_FIELDS = (
    *(
        (name, name)
        for name in (
            "id",
            "headline",
            "body",
            "published_at",
            "modified_at",
            "is_pinned",
            "is_key_event",
            "corrected_at",
            "correction",
            "author_id",
            "image_id",
        )
    ),
    ("author_name", "author__name"),
    ("author_slug", "author__slug"),
    *((f"image_{name}", f"image__{name}") for name in BODY_PICTURE_FIELDS),
)
LINK_FIELDS = (
    *((name, name) for name in ("id", "target_id", "url", "title", "after_paragraph", "position")),
    ("target_headline", "target__headline"),
    ("target_slug", "target__slug"),
    ("target_section_id", "target__section_id"),
    ("target_section_path", "target__section__path"),
)


def json_rows(rows: models.QuerySet, link: str, fields: tuple[tuple[str, str], ...]) -> Subquery:
    """The rows of `rows` whose `link` is the story, as one JSON list of
    objects of `fields` (name, path), for the story's own query."""
    listed = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(rows=JSONList(JSONObject(**dict(fields))))
        .values("rows")
    )
    return Subquery(listed, output_field=JSONField())


@functools.cache
def _rows_of(model_name: str, fields: tuple[tuple[str, str], ...]) -> Subquery:
    """A story's rows of `model_name` (linked by `article`) as JSON, built
    once: resolving a dozen field paths costs milliseconds, and each query
    copies it."""
    return json_rows(apps.get_model("articles", model_name).objects.all(), "article", fields)


@functools.cache
def _tag_rows() -> Subquery:
    """A story's tags as JSON. taggit links tags to any model by number and
    content type, named here rather than by its number, which a database
    flushed and filled again may change."""
    from taggit.models import TaggedItem

    tagged = TaggedItem.objects.filter(
        content_type__app_label="articles", content_type__model="article"
    )
    return json_rows(tagged, "object_id", TAG_FIELDS)


def visible_q(now: datetime, prefix: str = "") -> Q:
    """The one rule for what readers may see, evaluated against `now`.

    `prefix` applies it across a relation, e.g. "target__" for the story a
    READ MORE line points at.
    """
    live = Q(**{f"{prefix}status": "published", f"{prefix}published_at__lte": now})
    return live & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


# SQLite's search index (migration 0012): one row a story, rowid its id.
FTS5_TABLE = "articles_search"
# How many of the newest matches a search ranks. News search favours the
# recent; a query's cost stays bounded however common its words.
SEARCH_CANDIDATES = 1_000


def body_text_sql(field: str = "body") -> Func:
    """A body as searchable text, in SQL: tags made spaces, as
    `search.plain_body` makes them for SQLite."""
    return Func(
        F(field),
        Value(HTML_TAG.pattern),
        Value(" "),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )


def _fts5(sql: str, terms: SearchTerms, output_field, *params) -> RawSQL:
    """A value from the story's own row of the FTS5 table, for the terms."""
    return RawSQL(
        f"(SELECT {sql} FROM {FTS5_TABLE} WHERE {FTS5_TABLE} MATCH %s "
        f"AND {FTS5_TABLE}.rowid = articles_article.id)",
        (*params, terms.fts5_match()),
        output_field=output_field,
    )


# What a story card never shows, left out of the rows a list fetches.
CARD_UNSHOWN = (
    "dateline",
    "edited_by",
    "lead_image_caption",
    "status",
    "is_featured",
    "expires_at",
    "breaking_until",
    "created_at",
    "modified_at",
    "created_by",
    "version",
    "lead_image__title",
    "lead_image__caption",
    "lead_image__uploaded_at",
    "lead_image__uploaded_by",
)


class UnpackedIterable(ModelIterable):
    """Stories as fetched, each through `rendering.story_unpacked`; an
    author in several of their bylines is made once."""

    def __iter__(self):
        from .rendering import story_unpacked

        authors: dict = {}
        for story in super().__iter__():
            yield story_unpacked(story, authors)


class DeskState(models.TextChoices):
    """Where a story stands for the desk, at a given moment."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    EXPIRED = "expired", "Expired"
    UNPUBLISHED = "unpublished", "Unpublished"


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible(self, now: datetime | None = None) -> "ArticleQuerySet":
        return self.filter(visible_q(now or timezone.now()))

    def with_desk_state(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Annotate `desk_state`, a `DeskState` value, by the same rule."""
        now = now or timezone.now()
        published = Q(status="published")
        return self.annotate(
            desk_state=models.Case(
                models.When(visible_q(now), then=models.Value(DeskState.LIVE)),
                models.When(
                    published & Q(published_at__gt=now), then=models.Value(DeskState.SCHEDULED)
                ),
                models.When(published, then=models.Value(DeskState.EXPIRED)),
                default="status",
                output_field=models.CharField(),
            )
        )

    def in_review(self) -> "ArticleQuerySet":
        return self.filter(status="in_review").order_by("modified_at").with_submission()

    def with_submission(self) -> "ArticleQuerySet":
        """Each story's submissions for review, newest first, with who made
        them, in one more query (`Article.submission` reads them)."""
        Revision = apps.get_model("articles", "Revision")
        submissions = (
            Revision.objects.filter(action=Revision.SUBMITTED)
            .select_related("created_by")
            .only("article_id", "number", "created_at", "created_by")
            .order_by("-number")
        )
        return self.prefetch_related(Prefetch("revisions", submissions, to_attr="submissions"))

    def scheduled(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Stories that will go live at a time still ahead, soonest first."""
        return self.filter(status="published", published_at__gt=now or timezone.now()).order_by(
            "published_at"
        )

    def expiring(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Live or scheduled stories with an expiry still ahead, soonest first."""
        return self.filter(status="published", expires_at__gt=now or timezone.now()).order_by(
            "expires_at"
        )

    def in_section(self, section) -> "ArticleQuerySet":
        """Stories of the section and of all its subsections."""
        Section = apps.get_model("articles", "Section")
        subtree = Section.objects.filter(
            Q(path=section.path) | Q(path__startswith=f"{section.path}/")
        ).values("pk")
        return self.filter(section__in=subtree)

    def published_between(self, start: date | None, end: date | None) -> "ArticleQuerySet":
        """Stories first published on or after `start` and on or before
        `end`, days in the site's time zone; either may be open."""
        stories = self
        if start:
            stories = stories.filter(published_at__date__gte=start)
        if end:
            stories = stories.filter(published_at__date__lte=end)
        return stories

    def tagged(self, tag) -> "ArticleQuerySet":
        return self.filter(tags=tag)

    def by_author(self, author) -> "ArticleQuerySet":
        return self.filter(bylines__author=author)

    def showing(self, image) -> "ArticleQuerySet":
        """Stories that show the picture, as lead picture or in the body."""
        return self.filter(Q(lead_image=image) | Q(body_picture_links__image=image)).distinct()

    def search(self, terms: SearchTerms) -> "ArticleQuerySet":
        """Stories matching every word of `terms`, best match first: on
        PostgreSQL by web-search syntax against `search_vector`, on SQLite
        against its FTS5 table. `search_rank`: higher is better."""
        if connections[self.db].vendor == "postgresql":
            query = SearchQuery(terms.text, config=CONFIG, search_type="websearch")
            found = self.filter(search_vector=query)
            rank: models.Expression = SearchRank(F("search_vector"), query)
        else:
            ids = RawSQL(
                f"SELECT rowid FROM {FTS5_TABLE} WHERE {FTS5_TABLE} MATCH %s",
                (terms.fts5_match(),),
            )
            found = self.filter(pk__in=ids)
            weights = ", ".join(map(str, FTS5_WEIGHTS))
            # bm25() is lower for a better match.
            rank = _fts5(f"-bm25({FTS5_TABLE}, {weights})", terms, FloatField())
        # Ranking reads every match's text: a word in most stories would
        # cost a pass over the archive. Only the newest matches are ranked.
        newest = found.newest_first().values("pk")[:SEARCH_CANDIDATES]
        matching = self.filter(pk__in=newest).annotate(search_rank=rank)
        return matching.defer("search_vector").order_by("-search_rank", "-published_at", "-pk")

    def with_search_snippet(self, terms: SearchTerms) -> "ArticleQuerySet":
        """Annotate `search_snippet`: the standfirst or body around the
        matches, each between `MARK_START` and `MARK_STOP`. Meant
        for the few stories a page shows: it reads each one's text."""
        if connections[self.db].vendor == "postgresql":
            query = SearchQuery(terms.text, config=CONFIG, search_type="websearch")
            text = Concat("standfirst", Value(" "), body_text_sql(), output_field=TextField())
            snippet: models.Expression = SearchHeadline(
                text,
                query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        else:
            # The standfirst (column 1) when it holds a match, else the
            # body (3), as PostgreSQL cuts from the two run together; never
            # the headline, which the page shows above it.
            standfirst = f"snippet({FTS5_TABLE}, 1, %s, %s, '…', 30)"
            body = f"snippet({FTS5_TABLE}, 3, %s, %s, '…', 30)"
            snippet = _fts5(
                f"CASE WHEN instr({standfirst}, %s) THEN {standfirst} ELSE {body} END",
                terms,
                TextField(),
                *(MARK_START, MARK_STOP, MARK_START),
                *(MARK_START, MARK_STOP) * 2,
            )
        return self.annotate(search_snippet=snippet)

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")

    def with_bylines(self) -> "ArticleQuerySet":
        Byline = apps.get_model("articles", "Byline")
        return self.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of story summaries shows: section, picture, and the
        authors of the byline (`Article.byline_authors`), in the one query."""
        listing = self.select_related("section", "lead_image").defer("body").newest_first()
        return listing.annotate(author_rows=_rows_of("Byline", BYLINE_FIELDS)).unpacked()

    def for_cards(self) -> "ArticleQuerySet":
        """`for_listing()` as readers' lists show it, as story cards: without
        the columns no card shows."""
        return self.for_listing().defer(*CARD_UNSHOWN)

    def unpacked(self) -> "ArticleQuerySet":
        """Stories whose JSON lists of related rows (bylines, tags, READ
        MORE lines, corrections) are where pages read them, as if fetched."""
        stories = self.all()
        stories._iterable_class = UnpackedIterable
        return stories

    def for_reading(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Everything the article page shows, in one query: the story with
        its section, lead picture and editor, and as JSON lists its bylines,
        tags, READ MORE lines, corrections, body pictures and live entries,
        unpacked as they are fetched (`rendering.story_unpacked`). READ MORE
        lines pointing at stories readers cannot see, and entries scheduled
        for later, are left out."""
        RelatedLink = apps.get_model("articles", "RelatedLink")
        LiveEntry = apps.get_model("articles", "LiveEntry")
        now = now or timezone.now()
        links = RelatedLink.objects.filter(
            Q(target__isnull=True) | visible_q(now, prefix="target__")
        )
        story = self.select_related("section", "lead_image", "edited_by").annotate(
            byline_rows=_rows_of("Byline", STORY_BYLINE_FIELDS),
            tag_rows=_tag_rows(),
            link_rows=json_rows(links, "article", LINK_FIELDS),
            correction_rows=_rows_of("Correction", CORRECTION_FIELDS),
            body_picture_rows=_rows_of("BodyPicture", BODY_PICTURE_ROWS),
            live_entry_rows=json_rows(
                LiveEntry.objects.filter(published_at__lte=now), "article", LIVE_ENTRY_FIELDS
            ),
        )
        return story.unpacked()

    def with_body_pictures(self) -> "ArticleQuerySet":
        """The pictures each story's body shows, fetched in the story's own
        query as one JSON list (`body_picture_rows`)."""
        return self.annotate(body_picture_rows=_rows_of("BodyPicture", BODY_PICTURE_ROWS))

    def newest_per_group(self, groups: list[Q], per_group: int) -> "ArticleQuerySet":
        """The newest `per_group` stories matching each of `groups`, in one
        query. Each group is a subquery that walks stories newest first and
        stops after `per_group` matches, where a window over the archive
        would rank every story; a group whose latest story is old walks
        further."""
        if not groups:
            return self.none()
        # One list of numbers, each group's walk a derived table of its own
        # (where SQLite allows a LIMIT): a filter of one IN per group joined
        # by OR would make the database test every story against each.
        parts: list[str] = []
        params: list = []
        for number, group in enumerate(groups):
            walk = self.filter(group).newest_first().values("id")[:per_group]
            sql, walk_params = walk.query.sql_with_params()
            parts.append(f'SELECT "id" FROM ({sql}) AS "group_{number}"')
            params.extend(walk_params)
        return self.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))

    def top_stories(self, count: int) -> "ArticleQuerySet":
        """Stories the desk marked as top stories first, newest first, then
        the newest of the rest; slice it to `count`."""
        return self.newest_per_group([Q(is_featured=True), Q()], count).order_by(
            "-is_featured", "-published_at", "-pk"
        )

    def on_front(self, section_id: int | None, now: datetime) -> "ArticleQuerySet":
        """The stories the desk placed on the home page's front (`None`) or
        a section's, whose pin has not run out, each with its place
        (`front_position`) and in that order."""
        placed = front_slots(section_id, now)
        return (
            self.filter(pk__in=placed.values("article"))
            .annotate(
                front_position=Subquery(
                    placed.filter(article=OuterRef("pk")).values("position")[:1]
                )
            )
            .order_by("front_position")
        )

    def front_page(self, count: int, now: datetime) -> list["Article"]:
        """The home page's lead and top stories, in one query: those the
        desk placed, in its order, then top stories and the newest by
        `top_stories()`; `count` in all."""
        FrontSlot = apps.get_model("articles", "FrontSlot")
        placed = front_slots(None, now)
        # Room for the fill to lose every story the desk placed.
        fill = self.newest_per_group([Q(is_featured=True), Q()], count + FrontSlot.FRONT_SLOTS)
        stories: list[Article] = list(
            self.filter(Q(pk__in=placed.values("article")) | Q(pk__in=fill.values("pk")))
            .annotate(
                front_position=Subquery(
                    placed.filter(article=OuterRef("pk")).values("position")[:1]
                )
            )
            .order_by("-is_featured", "-published_at", "-pk")
        )
        first = sorted(
            (story for story in stories if story.front_position is not None),
            key=lambda story: story.front_position or 0,
        )
        rest = [story for story in stories if story.front_position is None]
        return (first + rest)[:count]

    def newest_per_section(self, sections, per_section: int) -> "ArticleQuerySet":
        """The newest `per_section` stories of each of `sections` itself
        (not its subsections): each a walk along one index, where a walk
        over a section with its subsections would sort them all first."""
        return self.newest_per_group([Q(section=section) for section in sections], per_section)

    def alongside(self, article) -> "ArticleQuerySet":
        """Other stories from the story's section: headline, time and lead
        picture (for a thumbnail) only."""
        return (
            self.in_section(article.section)
            .exclude(pk=article.pk)
            .select_related("section", "lead_image")
            .only("headline", "slug", "published_at", "section__path", "lead_image")
            .newest_first()
        )


def live_front_slots(now: datetime) -> models.QuerySet:
    """Places on fronts whose pin has not run out."""
    FrontSlot = apps.get_model("articles", "FrontSlot")
    return FrontSlot.objects.filter(Q(pinned_until__isnull=True) | Q(pinned_until__gt=now))


def front_slots(section_id: int | None, now: datetime) -> models.QuerySet:
    """A front's places whose pin has not run out (`None`: the home page's)."""
    slots = live_front_slots(now)
    if section_id is None:
        return slots.filter(section__isnull=True)
    return slots.filter(section_id=section_id)


def _story_page(pk: int, now: datetime) -> ArticleQuerySet:
    Article = apps.get_model("articles", "Article")
    return Article.objects.visible(now).for_reading(now).filter(pk=pk)


def _more_from_section(section_path: str, pk: int, now: datetime) -> ArticleQuerySet:
    Article, Section = apps.get_model("articles", "Article"), apps.get_model("articles", "Section")
    story = Article(pk=pk, section=Section(path=section_path))
    return Article.objects.visible(now).alongside(story)[:MORE_FROM_SECTION]


def _related_by_tags(pk: int, now: datetime, **listed: int) -> ArticleQuerySet:
    """Live stories sharing the most tags with story `pk`, newest first
    among equals, but for those `listed` beside it already ("More from"
    its section): headline, time and section only."""
    from taggit.models import TaggedItem

    Article = apps.get_model("articles", "Article")
    tagged = TaggedItem.objects.filter(
        content_type__app_label="articles", content_type__model="article"
    )
    its_tags = tagged.filter(object_id=pk).values("tag_id")
    sharing = tagged.filter(tag_id__in=its_tags).exclude(object_id=pk).order_by()
    # The stories sharing most tags, the newest first among equals, in one
    # pass over the tags' rows; then only those are counted again to sort.
    most = (
        sharing.values("object_id")
        .annotate(count=models.Count("pk"))
        .order_by("-count", "-object_id")
        .values("object_id")[:RELATED_CANDIDATES]
    )
    shared = (
        sharing.filter(object_id=OuterRef("pk"))
        .values("object_id")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return (
        Article.objects.visible(now)
        .filter(pk__in=most)
        .exclude(pk__in=list(listed.values()))
        .annotate(shared_tags=Subquery(shared))
        .select_related("section")
        .only("headline", "slug", "published_at", "section__path", "section__name")
        .order_by("-shared_tags", "-published_at", "-pk")[:RELATED_BY_TAGS]
    )


def _section_page(section_path: str, now: datetime, offset: int, limit: int) -> ArticleQuerySet:
    Article, Section = apps.get_model("articles", "Article"), apps.get_model("articles", "Section")
    stories = Article.objects.visible(now).in_section(Section(path=section_path)).for_cards()
    # Not each story's section: the page has them all in its section tree
    # (`SectionTree.placed`).
    stories = stories.select_related(None).select_related("lead_image")
    return stories[offset : offset + limit]


def _section_front(section_id: int, section_path: str, now: datetime) -> ArticleQuerySet:
    Article, Section = apps.get_model("articles", "Article"), apps.get_model("articles", "Section")
    FrontSlot = apps.get_model("articles", "FrontSlot")
    # A story moved out of the section since it was placed is not its own.
    stories = Article.objects.visible(now).in_section(Section(path=section_path)).for_cards()
    stories = stories.select_related(None).select_related("lead_image")
    return stories.on_front(section_id, now)[: FrontSlot.FRONT_SLOTS]


# The stories the desk placed on a section's front, in its order.
SECTION_FRONT = Prepared(_section_front, section_id=int, section_path=str, now=datetime)

# A section front's stories, newest first, from `offset` on, without their
# sections.
SECTION_PAGE = Prepared(_section_page, section_path=str, now=datetime, offset=int, limit=int)

# A reader's story page, built once per process (`prepared`): a live story
# by number, everything the page shows in its one query; and the newest
# other stories of its section.
STORY_PAGE = Prepared(_story_page, pk=int, now=datetime)
MORE_FROM_SECTION = 5
STORY_PAGE_MORE = Prepared(_more_from_section, section_path=str, pk=int, now=datetime)
# Related stories by shared tags, but for those under "More from" the
# section (`listed_0`...: their numbers, 0 for none).
RELATED_BY_TAGS = 4
# Stories sharing tags looked at to find them: enough for some to be live
# and not already listed from the section.
RELATED_CANDIDATES = 40
STORY_PAGE_RELATED = Prepared(
    _related_by_tags,
    pk=int,
    now=datetime,
    **{f"listed_{n}": int for n in range(MORE_FROM_SECTION)},
)


# Old addresses: asked only when no live section, author or tag answers, so
# a page at its current address costs nothing more.


class SectionQuerySet(models.QuerySet["Section"]):
    def formerly_at(self, path: str) -> "SectionQuerySet":
        """The section that once lived at `path` (at most one)."""
        return self.filter(old_addresses__path=path)


class AuthorQuerySet(models.QuerySet["Author"]):
    def formerly_at(self, slug: str) -> "AuthorQuerySet":
        """The author who once had the slug `slug` (at most one)."""
        return self.filter(old_addresses__slug=slug)

    def answering_at(self, slug: str) -> "Author | None":
        """The author at `slug` now, else the one who had it before."""
        return self.filter(slug=slug).first() or self.formerly_at(slug).first()


def tags_formerly_at(slug: str) -> models.QuerySet[Tag]:
    """The tag that once had the slug `slug` (at most one); taggit's model
    takes no queryset of ours."""
    return Tag.objects.filter(old_addresses__slug=slug)


def tag_answering_at(slug: str) -> Tag | None:
    """The tag at `slug` now, else the one that had it before."""
    return Tag.objects.filter(slug=slug).first() or tags_formerly_at(slug).first()


_ArticleManagerBase = models.Manager.from_queryset(ArticleQuerySet)


class ArticleManager(_ArticleManagerBase):
    """Stories without their search index (a vector as long as the body that
    only search reads) or the page cache's note of their lists, which only
    `story_pages_purge` reads: pages never fetch them, and a story saved
    from a page's copy never writes an old one back."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector", "listed_in")


OPEN = {"applied_at__isnull": True, "cancelled_at__isnull": True}


def open_q() -> Q:
    """A scheduled update neither applied nor cancelled: waiting, or held
    and waiting for the desk."""
    return Q(**OPEN)


def pending_q() -> Q:
    """A scheduled update still to be applied at its time."""
    return Q(**OPEN, failed_at__isnull=True)


class ScheduledUpdateQuerySet(models.QuerySet["ScheduledUpdate"]):
    def open(self) -> "ScheduledUpdateQuerySet":
        return self.filter(open_q())

    def pending(self) -> "ScheduledUpdateQuerySet":
        return self.filter(pending_q())

    def failed(self) -> "ScheduledUpdateQuerySet":
        return self.filter(open_q(), failed_at__isnull=False)

    def with_is_pending(self) -> "ScheduledUpdateQuerySet":
        return self.annotate(
            is_pending=models.ExpressionWrapper(pending_q(), output_field=models.BooleanField())
        )

    def due(self, now: datetime | None = None) -> "ScheduledUpdateQuerySet":
        return self.pending().filter(due_at__lte=now or timezone.now())

    def overdue(self, now: datetime, grace: timedelta) -> "ScheduledUpdateQuerySet":
        """Due longer ago than a running worker would leave them."""
        return self.pending().filter(due_at__lte=now - grace)
