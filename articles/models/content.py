from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from ..formats import plain_text
from ..loading import LoadedFromRows
from ..pictures.models import Image
from ..querysets import ArticleManager, AuthorQuerySet, SectionQuerySet
from ..richtext import BODY_EXTENSIONS, sanitize_body
from ..validators import (
    address_lines,
    validate_address_lines,
    validate_desk_time,
    validate_section_slug,
)

if TYPE_CHECKING:
    from .workflow import Revision

# About 25,000 words with their markup: far beyond the longest read, short
# of what would make every save and page of the story slow.
BODY_MAX_CHARACTERS = 200_000

# Top-level URL segments that belong to other pages, so no section may take
# them as its slug.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "author",
        "authors",
        "tag",
        "tags",
        "static",
        "media",
        "search",
        "feeds",
        "feed",
        "sitemap",
        "api",
        "preview",
        "read",
        "robots.txt",
    }
)


def story_path(section_path: str, slug: str, pk: int, prefix: str | None = None) -> str:
    """A story's address, as the `article` URL pattern reads it:
    /<section path>/<slug>-<number>/. Built here rather than by `reverse()`,
    which costs a hundred times more, as sitemaps ask for thousands at once
    (and pass the script `prefix` they looked up once); tests hold the two to
    the same answer."""
    return f"{prefix or get_script_prefix()}{section_path}/{slug}-{pk}/"


def expiry_problem(expires_at: datetime | None, published_at: datetime | None) -> str:
    """Why a story with these times could not be read: it would expire
    before it is published."""
    if expires_at and published_at and expires_at <= published_at:
        return "The expiry time must come after publication."
    return ""


def default_slug(headline: str) -> str:
    """A story's address made from its headline."""
    return slugify(headline)[:120].strip("-") or "story"


class Section(LoadedFromRows):
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=60,
        validators=[validate_section_slug],
        help_text="Part of the web address; unique among the section's siblings.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among its sibling sections; lower comes first."
    )
    description = models.TextField(blank=True)
    # Derived from the tree by services.section_save(), never typed in: the
    # URL path of slugs ("news/world"), the names along it ("News › World"),
    # the depth, a key that sorts the whole tree in reading order, and the
    # top-level ancestor.
    path = models.CharField(max_length=255, unique=True, editable=False)
    full_name = models.CharField(max_length=500, default="", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    tree_order = models.CharField(max_length=255, default="", editable=False, db_index=True)
    root = models.ForeignKey(
        "self", null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["tree_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="section_slug_unique_among_siblings"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(parent__isnull=True),
                name="section_slug_unique_at_top",
                violation_error_message="A top-level section with this slug already exists.",
            ),
        ]

    def __str__(self):
        # The desk picks sections by this; two "World"s stay apart.
        return self.full_name or self.name

    def get_absolute_url(self):
        # As the `section` URL pattern reads it; built rather than
        # reversed, like `story_path`, as every page's menus ask for each.
        return f"{get_script_prefix()}{self.path}/"

    def clean(self):
        if self.parent_id is None and self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by another page of the site; choose another slug."}
            )
        if self.pk and self.parent is not None:
            if self.parent_id == self.pk or self.parent.path.startswith(f"{self.path}/"):
                raise ValidationError(
                    {"parent": "A section cannot sit inside itself or one of its subsections."}
                )


class Author(LoadedFromRows):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(
        max_length=10,
        choices=Kind,
        default=Kind.PERSON,
        help_text="A desk is a team or organisation credited as a whole.",
    )
    role = models.CharField(
        max_length=100, blank=True, help_text="For example “Chief Correspondent”."
    )
    bio = models.TextField(blank=True)
    links = models.TextField(
        "profile links",
        blank=True,
        validators=[validate_address_lines, MaxLengthValidator(2000)],
        help_text="The author's pages elsewhere (a social network, a personal site), "
        "one address a line. Search engines use them to tell who the author is.",
    )
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # As the `author` URL pattern reads it (see `Section.get_absolute_url`).
        return f"{get_script_prefix()}author/{self.slug}/"

    @property
    def is_desk(self) -> bool:
        return self.kind == self.Kind.DESK

    @property
    def profile_links(self) -> list[str]:
        return address_lines(self.links)


class Article(LoadedFromRows):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        # Published with a future `published_at` is a scheduled story.
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(
        max_length=110, help_text="At most 110 characters, as search engines show them."
    )
    slug = models.SlugField(
        max_length=120,
        blank=True,
        help_text="Part of the web address; made from the headline when left empty.",
    )
    standfirst = models.TextField(
        max_length=400, help_text="The one-paragraph summary shown under the headline."
    )
    body = ProseEditorField(
        extensions=BODY_EXTENSIONS,
        sanitize=True,
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_CHARACTERS)],
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where the story was filed, e.g. “Kolkata”."
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    edited_by = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="edited_articles"
    )
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_of"
    )
    lead_image_caption = models.TextField(
        blank=True, help_text="Replaces the image's own caption in this story only."
    )
    tags = TaggableManager(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    is_featured = models.BooleanField(
        "top story", default=False, help_text="Shown among the top stories on the home page."
    )
    published_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="When readers first see the story. A time ahead schedules it.",
        validators=[validate_desk_time],
    )
    expires_at = models.DateTimeField(
        "expire at",
        null=True,
        blank=True,
        help_text="Optional: the story leaves the site at this time.",
        validators=[validate_desk_time],
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The “Updated on” time readers see; moved only by a substantive update.",
    )
    is_live = models.BooleanField(
        "live coverage",
        default=False,
        help_text="A live page: timestamped entries, newest first, posted from its live desk.",
    )
    coverage_ended_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the desk ended live coverage."
    )
    breaking_until = models.DateTimeField(
        "breaking news until",
        null=True,
        blank=True,
        help_text="A banner on every page links to the story, while it is live, until this time.",
        validators=[validate_desk_time],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Moved on by every recorded save; a form saved from an older version
    # is refused instead of overwriting someone else's changes.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The page cache's lists the story was in when last saved (`section-3`,
    # `tagged-7`...), so that leaving one makes that page fresh too.
    listed_in = models.JSONField(default=list, blank=True, editable=False)

    # What search matches on PostgreSQL, kept by `services.search`; its GIN
    # index is made by migration 0012 there only. SQLite searches its own
    # FTS5 table instead and leaves this empty.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    # Not stored: set on stories read through `ArticleQuerySet`'s
    # `with_desk_state()`, `on_front()`, `with_body_pictures()`, `search()` and
    # `with_search_snippet()` (made safe HTML by the search page).
    desk_state: str
    # Its place on a front the desk arranged (`on_front()`, `front_page()`).
    front_position: int | None
    body_picture_rows: list[dict[str, Any]] | None
    search_rank: float
    search_snippet: str

    class Meta:
        # What the newsroom calls them.
        verbose_name = "story"
        verbose_name_plural = "stories"
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and edit any story"),
        ]
        # Unpublished stories (no time yet) last, on every database.
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["section", "-published_at"], name="article_section_published"),
            # The home page's top stories: the few the desk marked, newest
            # first, without walking the archive for them.
            models.Index(
                fields=["status", "-published_at"],
                condition=Q(is_featured=True),
                name="article_featured_published",
            ),
            # What changed since a moment: saves, and expiries by the clock
            # (`freshness`, feeds and sitemaps).
            models.Index(fields=["modified_at"], name="article_modified"),
            models.Index(fields=["expires_at"], name="article_expires"),
            # The breaking-news banner: the few stories marked, without
            # walking the archive for them.
            models.Index(
                fields=["breaking_until"],
                condition=Q(breaking_until__isnull=False),
                name="article_breaking",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.tidy()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return story_path(self.section.path, self.slug, self.pk)

    @property
    def submission(self) -> "Revision | None":
        """The revision that sent the story into review, while it is there:
        who submitted it and when (`with_submission()` fetches it for a list)."""
        if self.status != self.Status.IN_REVIEW:
            return None
        if (submissions := self.__dict__.get("submissions")) is None:
            submitted = self.revisions.model.SUBMITTED
            submissions = self.revisions.filter(action=submitted).select_related("created_by")
        return next(iter(submissions), None)

    # The byline's authors as a list of stories fetched them with the story
    # (`for_listing`): set only there.
    listed_authors: list["Author"]

    @property
    def byline_authors(self) -> list["Author"]:
        """The story's authors in byline order: as a list of stories fetched
        them, or from its bylines."""
        if (listed := self.__dict__.get("listed_authors")) is not None:
            return listed
        return [byline.author for byline in self.bylines.all()]

    def tidy(self) -> None:
        """What every save makes of the row's own fields: an address from
        the headline when none was given, a body sanitised against the
        editor's allow-list whatever path it came by, and no control
        characters (pasted from word processors) in the plain-text fields,
        which feeds and sitemaps could not carry."""
        for name in ("headline", "standfirst", "dateline", "lead_image_caption"):
            setattr(self, name, plain_text(getattr(self, name)))
        self.slug = self.slug or default_slug(self.headline)
        self.body = sanitize_body(self.body)

    @property
    def caption(self) -> str:
        """The caption shown under the lead image in this story."""
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    def clean(self):
        if problem := self.expiry_problem():
            raise ValidationError({"expires_at": problem})

    def expiry_problem(self) -> str:
        return expiry_problem(self.expires_at, self.published_at)

    @property
    def is_updated(self) -> bool:
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)


class Byline(LoadedFromRows):
    """One author's place in a story's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self):
        return str(self.author)


class BodyPicture(models.Model):
    """A library picture that a story's body shows. Derived from the body
    on every save: it answers "which stories use this picture", keeps a
    picture in use from being deleted, and lets the story page fetch the
    body's pictures with the story itself."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="body_picture_links"
    )
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="body_of")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_picture_once"),
        ]

    def __str__(self):
        return f"{self.image} in {self.article}"


class RelatedLink(models.Model):
    """A “READ MORE” line: another story of ours or a page elsewhere."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text="One of our stories. Shown only while that story is published.",
    )
    url = models.URLField(
        "external address", max_length=500, blank=True, help_text="Or a page on another site."
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Required for an external page; for our stories, defaults to its headline.",
    )
    after_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Show after this paragraph of the body (headings, quotes and lists count); "
        "empty: after the story.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.display_title

    def clean(self):
        if bool(self.target_id) == bool(self.url):
            raise ValidationError(
                "Choose one of our stories or give an external address, not both."
            )
        if self.url and not self.title:
            raise ValidationError({"title": "Give the title of the external page."})
        if self.target_id and self.target_id == self.article_id:
            raise ValidationError({"target": "A story cannot link to itself."})

    @property
    def display_title(self) -> str:
        return self.title or (self.target.headline if self.target else self.url)

    @property
    def href(self) -> str:
        return self.target.get_absolute_url() if self.target else self.url

    @property
    def is_external(self) -> bool:
        return not self.target_id
