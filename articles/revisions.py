"""A story's content as plain data: taken for every revision and prepared
update, compared for diffs, and written back (by `services.stories`) on a
desk save, a restore or an update.

Related objects are kept as `[id, label]`: the id to write back, the label
to show in a diff even after the object is renamed or gone.
"""

from .formats import join_names
from .models import Article, Author, Byline, Image, RelatedLink, Section
from .models.content import default_slug
from .richtext import sanitize_body

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
    "breaking_until": "breaking news",
    "is_live": "live coverage",
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
        "is_live": stored.is_live,
        "breaking_until": (stored.breaking_until.isoformat() if stored.breaking_until else None),
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
