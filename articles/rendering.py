"""The story body as readers get it: its blocks with the READ MORE lines the
editor placed between them, and each body picture as the library picture
it names, in renditions, with its credit."""

import json

from django.template.loader import render_to_string

from .models import Article, Image
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
