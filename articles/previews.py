"""Signed preview links: a draft, a scheduled story or a scheduled update,
readable by whoever holds the link until it expires. The link names one
story (and update) and is signed with the site's key, so it opens nothing
else and cannot be forged or stretched."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Article, ScheduledUpdate

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
