"""What a story and its pictures need before readers see them. Read-only:
the services refuse with these reasons, and the desk's forms ask the same
questions to explain before anything is saved."""

from datetime import datetime

from taggit.models import Tag

from .. import richtext
from ..formats import CONTROL_CHARACTERS, plain_text
from ..models import Article, Image

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def publish_problems(article: Article) -> list[str]:
    """What a story needs before readers may see it."""
    problems = list(text_problems(article.body, has_byline=article.bylines.exists()).values())
    if article.lead_image_id:
        problems += image_problems(Image.objects.get(pk=article.lead_image_id), "lead image")
    return problems + body_picture_problems(article.body)


def text_problems(body: str, *, has_byline: bool) -> dict[str, str]:
    """What a story readers see (or are about to) may never lose, by the
    part of the story it concerns: its text and its byline."""
    problems = {}
    if not body.strip():
        problems["body"] = "The story has no body text."
    if not has_byline:
        problems["bylines"] = "Add at least one author to the byline."
    return problems


def story_problems(
    article: Article, content: dict, *, live: bool, public: bool
) -> dict[str, list[str]]:
    """What `content` (the revisions' format; fields left out stay as
    stored) would break, by the part of the story it concerns: a body
    picture from outside the library, ever; once the story is `public` or
    about to be, a picture without its words; and a `live` story (or one
    about to go live) never lacks its text or its byline."""
    found: dict[str, list[str]] = {}
    if live:
        body = content["body"] if "body" in content else article.body
        if "bylines" in content:
            byline = bool(content["bylines"])
        else:
            byline = article.pk is not None and article.bylines.exists()
        for name, problem in text_problems(body, has_byline=byline).items():
            found.setdefault(name, []).append(problem)
    lead = content["lead_image"] if "lead_image" in content else [article.lead_image_id]
    image = Image.objects.filter(pk=lead[0]).first() if public and lead and lead[0] else None
    if image is not None and (problems := image_problems(image, "lead image")):
        found["lead_image"] = problems
    if pictures := body_picture_problems(content.get("body", ""), words=public):
        found["body"] = found.get("body", []) + pictures
    return found


def live_content_problems(article: Article, content: dict) -> list[str]:
    """What `content` would break of a published story: everything
    publishing asks."""
    found = story_problems(article, content, live=True, public=True)
    return [problem for problems in found.values() for problem in problems]


def tag_name_problem(name: str) -> str:
    """What is wrong with `name` as a tag's name; empty when nothing is. A
    tag's page address is made from its name, so it needs a letter or digit."""
    if len(name) > TAG_NAME_MAX_LENGTH:
        return f"Tag “{name[:40]}…” is longer than {TAG_NAME_MAX_LENGTH} characters."
    if CONTROL_CHARACTERS.search(name):
        return f"Tag “{plain_text(name)}” holds a control character; type it again."
    if not Tag().slugify(name):
        return f"Tag “{name}” needs at least one letter or digit."
    return ""


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
EXPIRY_PASSED = "The expiry time has passed; clear it or move it on first."


def is_ahead(when: datetime | None, now: datetime) -> bool:
    """Whether `when` is a time still to come: what scheduling a story or
    an update asks of its time."""
    return when is not None and when > now
