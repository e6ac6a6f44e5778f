"""A story's content as plain data: taken for every revision and prepared
update, compared for diffs, and written back (by `services.stories`) on a
desk save, a restore or an update.

Related objects are kept as `[id, label]`: the id to write back, the label
to show in a diff even after the object is renamed or gone.
"""

import difflib
import html
import re

from django.utils.dateparse import parse_datetime
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .formats import join_names, reader_time
from .models import Article, Author, Byline, Image, RelatedLink, Section
from .models.content import default_slug
from .richtext import body_pictures, sanitize_body, split_blocks

# What a restore or a scheduled update writes back, in the desk's words.
CONTENT_LABELS = {
    "headline": "headline",
    "standfirst": "standfirst",
    "body": "body",
    "section": "section",
    "dateline": "dateline",
    "bylines": "byline",
    "edited_by": "edited by",
    "lead_image": "lead image",
    "lead_image_caption": "lead image caption",
    "tags": "tags",
    "links": "READ MORE links",
    "slug": "web address",
    "is_featured": "top story",
}
# Shown in the history, never written back: a restore does not unpublish.
PUBLICATION_LABELS = {
    "status": "status",
    "published_at": "publish time",
    "expires_at": "expiry",
}
LABELS = CONTENT_LABELS | PUBLICATION_LABELS
REFERENCES = {"section": Section, "edited_by": Author, "lead_image": Image}
LINK_DEFAULTS = {"target": None, "url": "", "title": "", "after_paragraph": None}


def ref(obj) -> list | None:
    return [obj.pk, str(obj)] if obj is not None else None


def snapshot(article: Article) -> dict:
    """The story as stored now (not as the object in hand says)."""
    stored = Article.objects.select_related("section", "edited_by", "lead_image").get(pk=article.pk)
    bylines = Byline.objects.filter(article=stored).select_related("author")
    links = RelatedLink.objects.filter(article=stored).select_related("target")
    return {
        "headline": stored.headline,
        "standfirst": stored.standfirst,
        "body": stored.body,
        "section": ref(stored.section),
        "dateline": stored.dateline,
        "bylines": [ref(byline.author) for byline in bylines],
        "edited_by": ref(stored.edited_by),
        "lead_image": ref(stored.lead_image),
        "lead_image_caption": stored.lead_image_caption,
        "tags": sorted(stored.tags.names(), key=str.casefold),
        "links": [
            {
                "target": ref(link.target),
                "url": link.url,
                "title": link.title,
                "after_paragraph": link.after_paragraph,
            }
            for link in links
        ],
        "slug": stored.slug,
        "is_featured": stored.is_featured,
        "status": stored.status,
        "published_at": stored.published_at.isoformat() if stored.published_at else None,
        "expires_at": stored.expires_at.isoformat() if stored.expires_at else None,
    }


def _identity(field: str, value):
    """What makes two values of a field the same: ids, not labels."""
    if field in REFERENCES:
        return value[0] if value else None
    if field == "bylines":
        return [author[0] for author in value or []]
    if field == "links":
        return [{**link, "target": _identity("section", link["target"])} for link in value or []]
    return value


def changed_fields(old: dict, new: dict, fields=LABELS) -> list[str]:
    return [
        field
        for field in fields
        if field in new and _identity(field, old.get(field)) != _identity(field, new[field])
    ]


def describe(fields: list[str]) -> str:
    """“headline, body and tags”."""
    return join_names(LABELS[field] for field in fields if field in LABELS)


def content_of(**values) -> dict:
    """Content in the revisions' format from the desk's values: pictures,
    sections and authors (objects) become references, READ MORE links
    dicts with their target's reference. Only the fields given."""
    data = {}
    for field, value in values.items():
        if field not in CONTENT_LABELS:
            raise TypeError(f"{field} is not part of a story's content.")
        if field in REFERENCES:
            data[field] = ref(value)
        elif field == "bylines":
            data[field] = [ref(author) for author in value]
        elif field == "links":
            data[field] = [
                {**LINK_DEFAULTS, **link, "target": ref(link.get("target"))} for link in value
            ]
        elif field == "tags":
            data[field] = list(value)
        else:
            data[field] = value
    return data


def normalised(data: dict) -> dict:
    """Content as saving it would store it: the body sanitised, an empty
    address made from the headline, tags once each in the desk's order."""
    data = dict(data)
    if "body" in data:
        data["body"] = sanitize_body(data["body"])
    if "slug" in data and not data["slug"]:
        data["slug"] = default_slug(data.get("headline", ""))
    if "tags" in data:
        unique = {tag.casefold(): tag for tag in reversed(data["tags"])}
        data["tags"] = sorted(unique.values(), key=str.casefold)
    return data


# Diffs --------------------------------------------------------------------


def diff(old: dict, new: dict) -> list[dict]:
    """Each changed field with its old and new text, changed words marked."""
    rows = []
    for field in changed_fields(old, new):
        before, after = display(field, old.get(field)), display(field, new.get(field))
        rows.append({"label": LABELS[field].capitalize(), "html": word_diff(before, after)})
    return rows


def _block_text(block: str) -> str:
    """A body block as the history shows it; a picture by its number and
    words, so adding, swapping or removing one shows in the diff."""
    text = html.unescape(strip_tags(block))
    pictures = "".join(
        f"[Picture {ref.image_id or 'from elsewhere'}: {ref.alt or 'no alt text'}] "
        for ref in body_pictures(block)
    )
    return pictures + text


def display(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field in REFERENCES:
        return value[1]
    if field == "body":
        return "\n\n".join(_block_text(block) for block in split_blocks(value))
    if field == "bylines":
        return ", ".join(author[1] for author in value)
    if field == "tags":
        return ", ".join(value)
    if field == "links":
        return "\n".join(_link_line(link) for link in value)
    if field == "is_featured":
        return "Yes" if value else "No"
    if field in ("published_at", "expires_at"):
        return reader_time(parse_datetime(value))
    return str(value)


def _link_line(link: dict) -> str:
    where = link["target"][1] if link["target"] else link["url"]
    title = link["title"] or where
    place = (
        f"after paragraph {link['after_paragraph']}" if link["after_paragraph"] else "at the end"
    )
    return f"{title} → {where} ({place})"


def word_diff(before: str, after: str) -> SafeString:
    """The text with removed words in <del> and added words in <ins>."""
    old, new = re.findall(r"\s+|[^\s]+", before), re.findall(r"\s+|[^\s]+", after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))
