"""What a story and its pictures need before readers see them. Read-only:
the services refuse with these reasons, and the desk's forms ask the same
questions to explain before anything is saved."""

from datetime import datetime

from .. import richtext
from ..models import Article, Image


def publish_problems(article: Article) -> list[str]:
    """What a story needs before readers may see it."""
    problems = []
    if not article.body.strip():
        problems.append("The story has no body text.")
    if not article.bylines.exists():
        problems.append("Add at least one author to the byline.")
    if article.lead_image_id:
        problems += image_problems(Image.objects.get(pk=article.lead_image_id), "lead image")
    return problems + body_picture_problems(article.body)


def image_problems(image: Image, role: str, alt: str = "") -> list[str]:
    """What a picture needs before readers see it, naming it by `role`."""
    if missing := image.missing_words(alt):
        return [f"The {role} “{image.title}” needs {' and '.join(missing)}."]
    return []


def body_picture_problems(body: str, *, words: bool = True) -> list[str]:
    """What the body's pictures need: each must be a picture of the library
    (readers get its renditions and credit), and, before readers see it
    (`words`), have alt text and a credit."""
    refs = richtext.body_pictures(body)
    images = Image.objects.in_bulk({ref.image_id for ref in refs if ref.image_id})
    problems = []
    for ref in refs:
        image = images.get(ref.image_id)
        if ref.image_id is None:
            problems.append(
                f"The picture “{ref.src[:80]}” in the body is not from the library: remove it "
                "and insert it with the picture button, so it has a credit and fits every screen."
            )
        elif image is None:
            problems.append(
                f"The body shows picture number {ref.image_id}, which is no longer in the "
                "library: remove it."
            )
        elif words:
            problems += image_problems(image, "picture in the body", alt=ref.alt)
    return list(dict.fromkeys(problems))


SCHEDULE_AHEAD = "To schedule, give a publish time ahead."


def is_ahead(when: datetime | None, now: datetime) -> bool:
    """Whether `when` is a time still to come: what scheduling a story or
    an update asks of its time."""
    return when is not None and when > now
