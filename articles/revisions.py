"""A story's content as plain data: taken for every revision and prepared
update, compared for diffs, and written back by a restore or an update.

Related objects are kept as `[id, label]`: the id to write back, the label
to show in a diff even after the object is renamed or gone.
"""

from django.core.exceptions import ValidationError

from .models import Article, Author, Byline, Image, RelatedLink, Section
from .richtext import body_pictures

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
