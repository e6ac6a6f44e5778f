"""A story's content as plain data: taken for every revision and prepared
update, compared for diffs, and written back by a restore or an update.

Related objects are kept as `[id, label]`: the id to write back, the label
to show in a diff even after the object is renamed or gone.
"""

import difflib
import html
import re

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Author, Byline, Image, RelatedLink, Section
from .richtext import body_pictures, split_blocks
from .templatetags.newsroom import reader_time

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
    labels = [LABELS[field] for field in fields if field in LABELS]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def apply(article: Article, data: dict) -> None:
    """Write the content fields present in `data` to the story and its
    relations. A section, author or picture deleted since is reported, not
    silently dropped."""
    for field in CONTENT_LABELS:
        if field not in data:
            continue
        value = data[field]
        if field in REFERENCES:
            setattr(article, f"{field}_id", _existing(REFERENCES[field], value, field))
        elif field not in ("bylines", "tags", "links"):
            setattr(article, field, value)
    if "body" in data:
        _body_pictures_exist(data["body"])
    article.full_clean(exclude=["slug", "tags"], validate_unique=False)
    article.save()
    if "tags" in data:
        article.tags.set(data["tags"])
    if "bylines" in data:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=_existing(Author, author, "bylines"), position=i)
            for i, author in enumerate(data["bylines"])
        )
    if "links" in data:
        article.related_links.all().delete()
        RelatedLink.objects.bulk_create(
            RelatedLink(
                article=article,
                target_id=_existing(Article, link["target"], "links"),
                url=link["url"],
                title=link["title"],
                after_paragraph=link["after_paragraph"],
                position=i,
            )
            for i, link in enumerate(data["links"])
        )


def _body_pictures_exist(body: str) -> None:
    numbers = {ref.image_id for ref in body_pictures(body) if ref.image_id}
    missing = numbers - set(Image.objects.filter(pk__in=numbers).values_list("pk", flat=True))
    if missing:
        listed = ", ".join(str(number) for number in sorted(missing))
        raise ValidationError(
            f"The body shows picture number {listed}, which is no longer in the library."
        )


def _existing(model, value, field: str) -> int | None:
    if value is None:
        return None
    if not model.objects.filter(pk=value[0]).exists():
        raise ValidationError(f"“{value[1]}” ({LABELS[field]}) no longer exists.")
    return value[0]


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
