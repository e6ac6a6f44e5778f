"""The story body as readers get it: its blocks with the READ MORE lines the
editor placed between them, and each body picture as the library picture
it names, in renditions, with its credit."""

import json

from django.template.loader import render_to_string

from .models import Article, Correction, Image
from .pagecache.keys import as_time
from .richtext import IMG_TAG, body_pictures, figure_caption, split_blocks


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
    pictures = {}
    for row in article.body_picture_rows or []:
        if isinstance(row["renditions"], str):
            # SQLite nests the stored JSON as text.
            row = {**row, "renditions": json.loads(row["renditions"])}
        pictures[row["id"]] = Image(**row)
    return pictures


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


def corrections_unpacked(article: Article) -> None:
    """Its corrections, oldest first, from the story's own query when it
    came through `with_corrections()`, where the page reads them."""
    rows = getattr(article, "correction_rows", None)
    if rows is None or "corrections" in getattr(article, "_prefetched_objects_cache", {}):
        return
    if isinstance(rows, str):
        # SQLite nests the stored JSON as text.
        rows = json.loads(rows)
    corrections = [
        Correction(**{**row, "published_at": as_time(row["published_at"])}, article=article)
        for row in rows
    ]
    corrections.sort(key=lambda correction: (correction.published_at, correction.pk))
    shown_as_fetched(article, "corrections", corrections)


def shown_as_fetched(article: Article, relation: str, objects: list) -> None:
    """Put `objects` where a prefetch would have put the relation's rows, so
    the page reads them as it reads a stored story's."""
    rows = getattr(article, relation).all()
    # As Django's own prefetch fills a queryset's cache.
    rows._result_cache, rows._prefetch_done = list(objects), True
    # Django's own cache of prefetched rows is private: the stubs leave it out.
    if not hasattr(article, "_prefetched_objects_cache"):
        article._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    article._prefetched_objects_cache[relation] = rows  # type: ignore[attr-defined]
