"""Small builders for test data: each makes one valid object, with every
field overridable."""

import io
import itertools
import json
import re
from datetime import datetime, timedelta
from html import unescape

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles import permissions
from articles.models import Article, Author, Byline, Image, RelatedLink, Section
from articles.pictures import services as pictures
from articles.pictures import uploads
from articles.richtext import figure_html
from articles.services import content, sections, stories
from articles.services.pages import stories_lists_record
from articles.services.search import search_index

_numbers = itertools.count(1)


def image_bytes(size=(640, 360), colour=(30, 90, 150), image_format="JPEG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


def make_section(name=None, parent=None, **fields) -> Section:
    name = name or f"Section {next(_numbers)}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    section = Section(name=name, parent=parent, **fields)
    return sections.section_save(section=section, user=site_admin())


def site_admin() -> User:
    """Whoever builds the test's world: every permission, like the person
    who sets a newsroom up."""
    admin, _ = User.objects.get_or_create(
        username="test-world-builder", defaults={"is_superuser": True, "is_staff": True}
    )
    return admin


def make_author(name=None, **fields) -> Author:
    name = name or f"Reporter {next(_numbers)}"
    fields.setdefault("slug", name.lower().replace(" ", "-").replace("'", ""))
    return Author.objects.create(name=name, **fields)


def make_image(uploaded_by: User | None = None, **fields) -> Image:
    """A picture through the desk's own upload path; each one a different
    colour, so no two are the same file."""
    number = next(_numbers)
    fields.setdefault("title", f"Picture {number}")
    fields.setdefault("alt_text", f"A blue test picture number {number}")
    fields.setdefault("credit", "Newsroom Photo Desk")
    fields.setdefault("caption", f"Caption of picture {number}")
    size = fields.pop("size", (640, 360))
    colour = (number * 37 % 256, number * 11 % 256, (number // 256) % 256)
    name = f"picture-{number}.jpg"
    upload = uploads.read_upload(ContentFile(image_bytes(size, colour), name=name))
    return pictures.image_save(
        image=Image(**fields), upload=upload, user=uploaded_by or site_admin()
    )


def body_figure(image: Image, alt: str = "", caption: str = "") -> str:
    """A body picture as the story editor's picture button writes it."""
    src = f"/admin/articles/image/{image.pk}/shown/"
    return figure_html(image.pk, src=src, alt=alt, caption=caption)


def make_article(
    section=None,
    *,
    authors=(),
    tags=(),
    published_at: datetime | None = None,
    status=Article.Status.PUBLISHED,
    **fields,
) -> Article:
    number = next(_numbers)
    fields.setdefault("headline", f"Story number {number} makes the news")
    fields.setdefault("standfirst", f"What happened in story {number}, in one paragraph.")
    fields.setdefault("body", f"<p>First paragraph of story {number}.</p><p>Second paragraph.</p>")
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(minutes=number)
    article = Article(
        section=section or make_section(), status=status, published_at=published_at, **fields
    )
    article.save()
    content.body_pictures_sync(article)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    search_index([article.pk])
    # As a story saved through the desk: its lists noted for the page cache.
    stories_lists_record([article.pk])
    return article


def make_link(article, *, target=None, url="", title="", after_paragraph=None) -> RelatedLink:
    position = article.related_links.count()
    return RelatedLink.objects.create(
        article=article,
        target=target,
        url=url,
        title=title,
        after_paragraph=after_paragraph,
        position=position,
    )


def make_staff(group: str, username: str, password="a-long-test-password", **fields) -> User:
    user = User.objects.create_user(username=username, password=password, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_editor(username="desk-editor", password="a-long-test-password", **fields) -> User:
    return make_staff("Editor", username, password, **fields)


def make_reporter(username="desk-reporter", password="a-long-test-password", **fields) -> User:
    return make_staff("Reporter", username, password, **fields)


def edit_story(story: Article, user: User, action: str = permissions.EDIT, **changes):
    """Save `changes` to the story from the desk as `user`, pressing the
    button of `action`; returns what the save did."""
    return stories.article_desk_save(
        article=story, user=user, edit=stories.StoryEdit.of(**changes), action=action
    )


def prepare_update(story: Article, user: User, due_at: datetime, **changes):
    """Schedule `changes` to the live story as an update due at `due_at`."""
    saved = stories.article_desk_save(
        article=story,
        user=user,
        edit=stories.StoryEdit.of(**changes),
        action=permissions.SCHEDULE_UPDATE,
        update_at=due_at,
    )
    return saved.update


def paragraph(number: int, words: int = 50) -> str:
    """A paragraph of `words` words, told apart from the others by its number."""
    filler = ("the council weighed the figures once more and " * words).split()
    return f"Paragraph {number}: " + " ".join(filler[: words - 2]) + "."


def body(*paragraphs: str) -> str:
    """A story body of these paragraphs, as the editor writes it."""
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def numbered(count: int) -> list[str]:
    """`count` paragraphs of 50 words, numbered from 1."""
    return [paragraph(number) for number in range(1, count + 1)]


def structured_data(html: str) -> list[dict]:
    """The JSON-LD objects a served page carries, in order."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


def card_headlines(html: str) -> list[str]:
    """The headlines of a page's story cards, in the order shown, as text."""
    found = re.findall(
        r'class="card-headline"[^>]*>\s*(?:<span class="live-badge">Live</span>\s*)?'
        r"<a[^>]*>([^<]+)</a>",
        html,
    )
    return [unescape(headline) for headline in found]
