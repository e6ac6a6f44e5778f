"""Writing a story's content (fields and relations, in the revisions'
format) and keeping each write as a revision: the steps every service that
changes a story takes, the desk's save, a restore and a scheduled update
alike."""

from datetime import datetime
from typing import overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import revisions, richtext
from ..models import Article, Author, BodyPicture, Byline, Image, RelatedLink, Revision
from .pages import story_pages_purge
from .search import search_index


def content_apply(article: Article, data: dict) -> None:
    """Write the content fields present in `data` (the revisions' format) to
    the story and its relations, checked as the model checks them. A
    section, author, picture or story deleted since is reported, not
    silently dropped."""
    _content_fields_set(article, data)
    bylines = _byline_ids(data["bylines"]) if "bylines" in data else None
    links = _links_made(article, data["links"]) if "links" in data else None
    article.save()
    if "tags" in data:
        article.tags.set(data["tags"])
    if bylines is not None:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_id, position=position)
            for position, author_id in enumerate(bylines)
        )
    if links is not None:
        article.related_links.all().delete()
        RelatedLink.objects.bulk_create(links)
    body_pictures_sync(article)
    search_index([article.pk])


def content_check(article: Article, data: dict) -> None:
    """Raise what `content_apply` would raise for `data`, writing nothing:
    for content kept aside to be applied later."""
    copy = Article.objects.get(pk=article.pk)
    _content_fields_set(copy, data)
    if "bylines" in data:
        _byline_ids(data["bylines"])
    if "links" in data:
        _links_made(copy, data["links"])


def _content_fields_set(article: Article, data: dict) -> None:
    for name in revisions.CONTENT_LABELS:
        if name not in data:
            continue
        if name in revisions.REFERENCES:
            setattr(article, f"{name}_id", _existing(revisions.REFERENCES[name], data[name], name))
        elif name not in ("bylines", "tags", "links"):
            setattr(article, name, data[name])
    if "body" in data:
        _body_pictures_exist(data["body"])
    article.full_clean(exclude=["tags"], validate_unique=False)


def _byline_ids(authors: list) -> list[int]:
    ids = [_existing(Author, author, "bylines") for author in authors]
    if len(set(ids)) != len(ids):
        raise ValidationError("Each author appears once in the byline.")
    return ids


def _links_made(article: Article, links: list) -> list[RelatedLink]:
    made = [
        RelatedLink(
            article=article,
            target_id=_existing(Article, link["target"], "links"),
            url=link["url"],
            title=link["title"],
            after_paragraph=link["after_paragraph"],
            position=position,
        )
        for position, link in enumerate(links)
    ]
    for link in made:
        link.full_clean(exclude=["article", "target"])
    return made


def body_pictures_sync(article: Article) -> None:
    """Keep the record of library pictures the body shows in step with the
    body, whichever way it was saved (desk, update, restore)."""
    wanted = {ref.image_id for ref in richtext.body_pictures(article.body) if ref.image_id}
    kept = set(article.body_picture_links.values_list("image_id", flat=True))
    if kept - wanted:
        article.body_picture_links.filter(image_id__in=kept - wanted).delete()
    if wanted - kept:
        with transaction.atomic():
            # A picture deleted since the body named it is simply not shown;
            # one being deleted now waits for this story.
            existing = (
                Image.objects.filter(pk__in=wanted - kept)
                .select_for_update(no_key=True)
                .values_list("pk", flat=True)
            )
            BodyPicture.objects.bulk_create(
                BodyPicture(article=article, image_id=image_id) for image_id in existing
            )


def _body_pictures_exist(body: str) -> None:
    numbers = {ref.image_id for ref in richtext.body_pictures(body) if ref.image_id}
    missing = numbers - set(Image.objects.filter(pk__in=numbers).values_list("pk", flat=True))
    if missing:
        listed = ", ".join(str(number) for number in sorted(missing))
        raise ValidationError(
            f"The body shows picture number {listed}, which is no longer in the library."
        )


@overload
def _existing(model, value: None, name: str) -> None: ...
@overload
def _existing(model, value: list, name: str) -> int: ...
def _existing(model, value, name: str) -> int | None:
    """The id a reference `[id, label]` names, once it is known to exist;
    None for no reference."""
    if value is None:
        return None
    if not model.objects.filter(pk=value[0]).exists():
        raise ValidationError(f"“{value[1]}” ({revisions.LABELS[name]}) no longer exists.")
    return value[0]


def revision_record(
    *, article: Article, user, action: str, now: datetime | None = None, desk_only: bool = False
) -> Revision:
    """Move the story's version on and keep its content as a revision.
    `desk_only` keeps it from reporters (it tells of a prepared update)."""
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    article.version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    data = revisions.snapshot(article)
    previous = Revision.objects.filter(article=article).first()
    story_pages_purge(article.pk)
    return Revision.objects.create(
        article=article,
        number=article.version,
        created_at=now or timezone.now(),
        created_by=user if user is not None and user.is_authenticated else None,
        action=action,
        is_desk_only=desk_only,
        changed=revisions.changed_fields(previous.data, data) if previous else [],
        data=data,
    )
