"""Signed preview links: a draft, a scheduled story or a scheduled update,
readable by whoever holds the link until it expires. The link names one
story (and update) and is signed with the site's key, so it opens nothing
else and cannot be forged or stretched."""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from taggit.models import Tag

from . import revisions
from .models import Article, Author, Byline, Image, RelatedLink, ScheduledUpdate
from .querysets import BODY_PICTURE_FIELDS
from .rendering import shown_as_fetched
from .richtext import body_pictures

SALT = "newsroom.preview"


def lifetime_hours() -> int:
    return settings.NEWSROOM["PREVIEW_HOURS"]


def url(subject: Article | ScheduledUpdate) -> str:
    if isinstance(subject, ScheduledUpdate):
        payload = {"a": subject.article_id, "u": subject.pk}
    else:
        payload = {"a": subject.pk}
    return reverse("preview", kwargs={"token": signing.dumps(payload, salt=SALT, compress=True)})


def load(token: str) -> tuple[int, int | None]:
    """The story and update ids a link names. Raises `signing.BadSignature`
    (`SignatureExpired` included) for a forged, damaged or expired link."""
    payload = signing.loads(token, salt=SALT, max_age=lifetime_hours() * 3600)
    return int(payload["a"]), payload.get("u")


def story_with_update(article: Article, update: ScheduledUpdate, now: datetime) -> Article:
    """`article`, as readers have it now (shaped by `for_reading`), as it
    will read once `update` is applied. Made in memory: nothing is written
    or locked, so any number of link holders may look while the desk works.
    Raises ValidationError when something the update names is gone."""
    changes = update.changes
    for name, value in changes.items():
        if name in revisions.REFERENCES:
            setattr(article, name, _stored(revisions.REFERENCES[name], value))
        elif name not in ("bylines", "tags", "links"):
            setattr(article, name, value)
    if "bylines" in changes:
        authors = [_stored(Author, author) for author in changes["bylines"]]
        shown_as_fetched(article, "bylines", [Byline(article=article, author=a) for a in authors])
    if "tags" in changes:
        shown_as_fetched(article, "tags", _tags(changes["tags"]))
    if "links" in changes:
        shown_as_fetched(article, "related_links", _links(article, changes["links"], now))
    if "body" in changes:
        numbers = {ref.image_id for ref in body_pictures(article.body) if ref.image_id}
        pictures = Image.objects.filter(pk__in=numbers).values(*BODY_PICTURE_FIELDS)
        article.body_picture_rows = list(pictures)
    if article.published_at:
        article.updated_at = max(update.due_at, article.published_at)
    return article


def _stored(model, value):
    if value is None:
        return None
    found = model.objects.filter(pk=value[0]).first()
    if found is None:
        raise ValidationError(f"“{value[1]}” no longer exists.")
    return found


def _tags(names: list[str]) -> list[Tag]:
    stored = {tag.name.casefold(): tag for tag in Tag.objects.filter(name__in=names)}
    return [
        stored.get(name.casefold()) or Tag(name=name, slug=Tag().slugify(name)) for name in names
    ]


def _links(article: Article, links: list[dict], now: datetime) -> list[RelatedLink]:
    """READ MORE lines as the page shows them: to our stories only while
    readers can see them."""
    targets = {link["target"][0] for link in links if link["target"]}
    visible = Article.objects.visible(now).select_related("section").in_bulk(targets)
    return [
        RelatedLink(
            article=article,
            target=visible.get(link["target"][0]) if link["target"] else None,
            url=link["url"],
            title=link["title"],
            after_paragraph=link["after_paragraph"],
        )
        for link in links
        if not link["target"] or link["target"][0] in visible
    ]
