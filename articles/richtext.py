"""The story body: what the editor may write, and how readers get it."""

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_prose_editor.fields import create_sanitizer

from .validators import ROW_NUMBER

# The attribute by which a body picture names its library picture.
PICTURE_ATTRIBUTE = "data-file"

# One list drives both the editor's toolbar and the server-side allow-list,
# so the editor can only make what the sanitiser keeps. Headings start at
# h2: the page's one h1 is the headline.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Pictures come from the library: the picker fills in the picture's
    # number (`data-file`), and readers get its renditions, never the
    # address the editor shows.
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
    "Caption": True,
    "Image": True,
}

_sanitize = create_sanitizer(BODY_EXTENSIONS)

# A live entry's text: words, links, lists and quotes; its one picture is
# chosen from the library beside it, not placed in the text.
ENTRY_EXTENSIONS = {
    name: value
    for name, value in BODY_EXTENSIONS.items()
    if name not in ("Figure", "Caption", "Image", "Heading", "HorizontalRule")
}
_sanitize_entry = create_sanitizer(ENTRY_EXTENSIONS)


def sanitize_entry(html: str) -> str:
    """A live entry's text against its own, smaller allow-list."""
    return _sanitize_entry(html or "")


def sanitize_body(html: str) -> str:
    """Keep only the allowed tags and attributes; drop scripts, event handlers
    and links with any scheme but http, https and mailto."""
    return _sanitize(html or "")


class _BlockSplitter(HTMLParser):
    VOID = frozenset({"br", "hr", "img"})

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.starts = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append(self.getpos())
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth = max(self.depth - 1, 0)


def split_blocks(html: str) -> list[str]:
    """Split sanitised body HTML into its top-level blocks (paragraphs,
    headings, quotes, lists), so READ MORE lines can sit between them."""
    if len(html) > KEPT_BODY_CHARACTERS:
        return list(_blocks.__wrapped__(html))
    return list(_blocks(html))


# Each reading of a story splits its body again: the bodies read lately
# are kept split, the text itself the key. Only bodies of ordinary length
# (nearly all), so that what is kept stays within a few megabytes.
KEPT_BODY_CHARACTERS = 20_000


@functools.lru_cache(maxsize=128)
def _blocks(html: str) -> tuple[str, ...]:
    splitter = _BlockSplitter()
    splitter.feed(html)
    splitter.close()
    lines = html.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    # Stray text before the first tag stays with the first block.
    starts = [0] + [offsets[line - 1] + column for line, column in splitter.starts[1:]]
    ends = starts[1:] + [len(html)]
    blocks = (html[start:end].strip() for start, end in zip(starts, ends, strict=True))
    return tuple(block for block in blocks if block)


@dataclass(frozen=True)
class PictureRef:
    """A picture in the body: the library picture it names (None for one
    from anywhere else), the alt text written for this story, and the
    address the editor showed."""

    image_id: int | None
    alt: str
    src: str


class _PictureFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        attrs = dict(attrs)
        number = (attrs.get(PICTURE_ATTRIBUTE) or "").strip()
        self.found.append(
            PictureRef(
                # Anything but a plain picture number is not from the library.
                image_id=int(number) if ROW_NUMBER.fullmatch(number) else None,
                alt=(attrs.get("alt") or "").strip(),
                src=attrs.get("src") or "",
            )
        )


def body_pictures(html: str) -> list[PictureRef]:
    """Every picture in the body, in reading order."""
    finder = _PictureFinder()
    finder.feed(html or "")
    finder.close()
    return finder.found


def picture_marker(image_id: int) -> str:
    """The text by which a stored body names library picture `image_id`,
    for finding bodies that show it without parsing each."""
    return f'{PICTURE_ATTRIBUTE}="{image_id}"'


def figure_html(image_id: int, *, src: str, alt: str = "", caption: str = "") -> str:
    """A body picture as the story editor's picture button writes it;
    `caption` is HTML."""
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return format_html(
        '<figure class="figure"><img src="{}" alt="{}" {}>{}</figure>',
        src,
        alt,
        mark_safe(picture_marker(image_id)),
        mark_safe(caption_html),
    )


_CAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL)
IMG_TAG = re.compile(r"<img\b[^>]*>")


def figure_caption(block: str) -> str:
    """The caption written under a body picture, as sanitised HTML; a
    picture inside a caption has no place there and is dropped."""
    match = _CAPTION.search(block)
    return IMG_TAG.sub("", match.group(1)).strip() if match else ""
