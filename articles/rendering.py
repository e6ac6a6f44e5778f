"""The story body as readers get it: its blocks with the READ MORE lines the
editor placed between them, and each body picture as the library picture
it names, in renditions, with its credit."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.template.loader import render_to_string
from taggit.models import Tag

from .models import Article, Author, Byline, Correction, Image, RelatedLink, Section
from .pagecache.keys import as_time
from .richtext import IMG_TAG, body_pictures, figure_caption, split_blocks

# The relations of a story fetched in its own query, by their rows' model.
FETCHED_WITH_STORY: dict[str, type[Byline | RelatedLink | Correction]] = {
    "bylines": Byline,
    "related_links": RelatedLink,
    "corrections": Correction,
}
BYLINE_ARTICLE = Byline._meta.get_field("article")
BYLINE_AUTHOR = Byline._meta.get_field("author")


def body_with_read_more(article: Article) -> list[dict]:
    """The body's blocks, each with the READ MORE lines the editor placed
    after it; lines placed past the end (or nowhere) close the story."""
    pictures = body_picture_map(article)
    blocks: list[dict] = [
        {"html": body_block(html, pictures), "links": []} for html in split_blocks(article.body)
    ]
    closing: dict = {"html": "", "links": []}
    for link in article.related_links.all():
        index = (link.after_paragraph or 0) - 1
        target = blocks[index] if 0 <= index < len(blocks) else closing
        target["links"].append(link)
    return blocks + [closing] if closing["links"] else blocks


def body_picture_map(article: Article) -> dict[int, Image]:
    """The library pictures the body shows, by number: from the story's own
    query when it came through `with_body_pictures()`."""
    if not hasattr(article, "body_picture_rows"):
        return {image.pk: image for image in Image.objects.filter(body_of__article=article)}
    return {row["id"]: _image(row) for row in article.body_picture_rows or []}


def _image(row: dict) -> Image:
    """A library picture from its row in a story's JSON (`BODY_PICTURE_FIELDS`)."""
    if isinstance(row["renditions"], str):
        # SQLite nests the stored JSON as text.
        row = {**row, "renditions": json.loads(row["renditions"])}
    return Image(**row)


def body_block(html: str, pictures: dict[int, Image]) -> str:
    """One block of the body as readers get it: a picture becomes the
    library picture it names, in renditions, with its credit; the address
    the editor saw is never used."""
    if "<img" not in html:
        return html
    if not html.startswith(("<figure", "<img")):
        # A picture inside running text has no place to stand: the text stays.
        return IMG_TAG.sub("", html)
    # A figure shows one picture: the first it holds.
    refs = body_pictures(html)
    image = pictures.get(refs[0].image_id) if refs and refs[0].image_id else None
    if image is None:
        return ""
    written = figure_caption(html)
    return render_to_string(
        "articles/includes/body_picture.html",
        {
            "image": image,
            "alt": refs[0].alt,
            "caption": written or image.caption,
            "caption_is_html": bool(written),
        },
    )


def story_unpacked(article: Article, authors: dict[int, Author] | None = None) -> Article:
    """Its bylines (or, for a list, the byline's authors), tags, READ MORE
    lines and corrections where the page reads them, from the JSON lists of
    the story's own query (`for_reading`, `for_listing`). A relation already
    in place (a preview's update) is left as it is. `authors` holds the
    authors already made for other stories of the same list, so each is
    made once."""
    db = article._state.db or DEFAULT_DB_ALIAS
    authors = {} if authors is None else authors
    if hasattr(article, "author_rows"):
        # `Article.byline_authors` reads them.
        article.listed_authors = [
            _author(row, db, authors) for row in _fetched_rows(article.author_rows)
        ]
    relations = {
        "bylines": ("byline_rows", lambda rows: _bylines(article, rows, db, authors)),
        "tags": ("tag_rows", lambda rows: _tags(rows, db)),
        "related_links": ("link_rows", lambda rows: _links(article, rows, db)),
        "corrections": ("correction_rows", lambda rows: _corrections(article, rows)),
    }
    fetched = getattr(article, "_prefetched_objects_cache", {})
    for relation, (attribute, unpack) in relations.items():
        if relation in fetched or not hasattr(article, attribute):
            continue
        shown_as_fetched(article, relation, unpack(_fetched_rows(getattr(article, attribute))))
    return article


def _fetched_rows(rows: list[dict] | str | None) -> list[dict]:
    """A JSON list of a story's rows in their order (SQLite nests the JSON
    as text)."""
    listed: list[dict] = json.loads(rows) if isinstance(rows, str) else rows or []
    return sorted(listed, key=lambda row: (row.get("position", 0), row["id"]))


BYLINE_COLUMNS = ["id", "article_id", "author_id", "position"]
AUTHOR_COLUMNS = ["id", "name", "slug", "kind"]


AUTHOR_BOX_COLUMNS = [*AUTHOR_COLUMNS, "role", "bio", "photo_id"]
AUTHOR_PHOTO = Author._meta.get_field("photo")


def _author(row: dict, db: str, authors: dict[int, Author]) -> Author:
    """The author of a byline's row (`BYLINE_FIELDS`), made once per list;
    on a story page (`STORY_BYLINE_FIELDS`) with their role, bio and photo."""
    if (author := authors.get(row["author_id"])) is None:
        values = [row["author_id"], row["author_name"], row["author_slug"], row["author_kind"]]
        if "author_bio" not in row:
            author = Author.from_db(db, AUTHOR_COLUMNS, values)
        else:
            values += [row["author_role"], row["author_bio"], row["photo_id"]]
            author = Author.from_db(db, AUTHOR_BOX_COLUMNS, values)
            photo = {
                name.removeprefix("photo_"): value
                for name, value in row.items()
                if name.startswith("photo_")
            }
            AUTHOR_PHOTO.set_cached_value(author, _image(photo) if row["photo_id"] else None)
        authors[row["author_id"]] = author
    return author


def _bylines(
    article: Article, rows: list[dict], db: str, authors: dict[int, Author]
) -> list[Byline]:
    bylines = []
    for row in rows:
        author = _author(row, db, authors)
        values = [row["id"], article.pk, author.pk, row["position"]]
        byline = Byline.from_db(db, BYLINE_COLUMNS, values)
        # As select_related leaves them: each byline knows its story and author.
        BYLINE_ARTICLE.set_cached_value(byline, article)
        BYLINE_AUTHOR.set_cached_value(byline, author)
        bylines.append(byline)
    return bylines


def _tags(rows: list[dict], db: str) -> list[Tag]:
    return [
        Tag.from_db(db, ["id", "name", "slug"], [row["tag_id"], row["name"], row["slug"]])
        for row in rows
    ]


def _links(article: Article, rows: list[dict], db: str) -> list[RelatedLink]:
    links = []
    for row in rows:
        link = RelatedLink(
            id=row["id"],
            article=article,
            url=row["url"],
            title=row["title"],
            after_paragraph=row["after_paragraph"],
            position=row["position"],
            target_id=row["target_id"],
        )
        link._state.adding, link._state.db = False, db
        if row["target_id"]:
            target = Article.from_db(
                db,
                ["id", "headline", "slug", "section_id"],
                [
                    row["target_id"],
                    row["target_headline"],
                    row["target_slug"],
                    row["target_section_id"],
                ],
            )
            target.section = Section.from_db(
                db, ["id", "path"], [row["target_section_id"], row["target_section_path"]]
            )
            link.target = target
        links.append(link)
    return links


def _corrections(article: Article, rows: list[dict]) -> list[Correction]:
    corrections = [
        Correction(**{**row, "published_at": as_time(row["published_at"])}, article=article)
        for row in rows
    ]
    corrections.sort(key=lambda correction: (correction.published_at, correction.pk))
    return corrections


def shown_as_fetched(article: Article, relation: str, objects: list) -> None:
    """Put `objects` where a prefetch would have put the relation's rows, so
    the page reads them as it reads a stored story's."""
    # The relation's rows as a queryset whose filter is built only if a
    # caller asks more of it than the rows (as Django defers a related
    # manager's); making the manager itself costs more than the page's use.
    if relation == "tags":
        rows = Tag.objects.all()
        rows._defer_next_filter = True
        rows = rows.filter(pk__in=[tag.pk for tag in objects])
    else:
        rows = FETCHED_WITH_STORY[relation].objects.all()
        # Private to Django's querysets, which the stubs leave out.
        rows._defer_next_filter = True  # type: ignore[union-attr]
        rows = rows.filter(article=article)
    # As Django's own prefetch fills a queryset's cache.
    rows._result_cache, rows._prefetch_done = list(objects), True
    # Django's own cache of prefetched rows is private: the stubs leave it out.
    if not hasattr(article, "_prefetched_objects_cache"):
        article._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    article._prefetched_objects_cache[relation] = rows  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Entry:
    """A live entry as readers see it."""

    pk: int
    headline: str
    # Sanitised when saved (`LiveEntry.save`).
    body: str
    published_at: datetime
    # Changes whenever the entry does: open pages replace it then.
    version: str
    is_pinned: bool
    is_key_event: bool
    corrected_at: datetime | None
    correction: str
    author_name: str
    author_url: str
    image: Image | None


def live_entries(article: Article) -> list[Entry]:
    """The live story's entries readers may see, newest first, from the
    story's own query (`for_reading`)."""
    entries = []
    for row in _fetched_rows(getattr(article, "live_entry_rows", None)):
        picture = {
            name.removeprefix("image_"): value
            for name, value in row.items()
            if name.startswith("image_") and name != "image_id"
        }
        author = Author(name=row["author_name"] or "", slug=row["author_slug"] or "")
        entries.append(
            Entry(
                pk=row["id"],
                headline=row["headline"],
                body=row["body"],
                published_at=as_time(row["published_at"]),
                version=str(as_time(row["modified_at"]).timestamp()),
                is_pinned=bool(row["is_pinned"]),
                is_key_event=bool(row["is_key_event"]),
                corrected_at=as_time(row["corrected_at"]) if row["corrected_at"] else None,
                correction=row["correction"],
                author_name=author.name,
                author_url=author.get_absolute_url() if row["author_id"] else "",
                image=_image(picture) if row["image_id"] else None,
            )
        )
    return sorted(entries, key=lambda entry: (entry.published_at, entry.pk), reverse=True)
