"""Load the demo newsroom: sections, authors, pictures, stories, the desk's
work in progress (a story in review, a scheduled story, a scheduled update,
a correction) and the demo editor's and reporter's logins. Safe to run
again: whatever already exists is left alone."""

import argparse
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import permissions, readership, revisions
from articles.demo import content
from articles.demo.pictures import draw_picture
from articles.management.commands.refresh_statistics import statistics_refresh
from articles.models import (
    Article,
    Author,
    FrontSlot,
    Image,
    ReadTally,
    ScheduledUpdate,
    Section,
)
from articles.pictures import services as pictures
from articles.pictures import uploads
from articles.richtext import figure_html
from articles.services import fronts, live, stories
from articles.services import sections as section_services
from articles.services.fronts import Placing
from articles.services.live import EntryText
from articles.services.search import search_index
from articles.services.stories import StoryEdit

DEMO_EDITOR = {
    "username": "editor",
    "password": "newsroom-editor",
    "first_name": "Vikram",
    "last_name": "Anand",
    "author": "vikram-anand",
}
DEMO_REPORTER_AUTHOR = content.DEMO_REPORTER["author"]


def body_html(blocks: list, images: dict) -> str:
    """The demo's body blocks as the HTML the desk's editor produces.
    Paragraph strings are our own and may carry inline markup."""
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(f"<p>{block}</p>")
        elif block[0] == "h2":
            parts.append(f"<h2>{escape(block[1])}</h2>")
        elif block[0] == "quote":
            parts.append(f"<blockquote><p>{block[1]}</p></blockquote>")
        elif block[0] == "ul":
            items = "".join(f"<li><p>{item}</p></li>" for item in block[1])
            parts.append(f"<ul>{items}</ul>")
        elif block[0] == "picture":
            image = images[block[1]]
            src = reverse("admin:articles_image_shown", args=[image.pk])
            parts.append(figure_html(image.pk, src=src, caption=escape(block[2])))
    return "".join(parts)


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--renditions",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Make the pictures' renditions now (default), or leave them to the worker.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        editor = self.load_user(DEMO_EDITOR, "Editor")
        reporter = self.load_user(content.DEMO_REPORTER, "Reporter")
        sections = self.load_sections(editor)
        authors = self.load_authors({DEMO_EDITOR["author"]: editor, DEMO_REPORTER_AUTHOR: reporter})
        images = self.images = self.load_images(editor)
        if options["renditions"]:
            # Readers never wait for a rendition: the demo's are made now.
            for image in images.values():
                pictures.image_render(image_id=image.pk)
        created = self.load_articles(now, sections, authors, images, editor)
        self.load_work_in_progress(now, sections, authors, editor, reporter)
        self.load_breaking(now, sections, authors, editor)
        self.load_live_blog(now, sections, authors, editor)
        self.load_fronts(now, sections, editor)
        self.load_reads(now)
        statistics_refresh()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Demo newsroom ready: {len(sections)} sections, {len(authors)} authors, "
            f"{len(images)} images, {len(content.ARTICLES)} stories ({created} new). "
            f"Desk logins: {DEMO_EDITOR['username']} / {DEMO_EDITOR['password']} (editor), "
            f"{content.DEMO_REPORTER['username']} / {content.DEMO_REPORTER['password']} (reporter)"
        )

    def load_user(self, login: dict, group: str) -> User:
        user, created = User.objects.get_or_create(
            username=login["username"],
            defaults={
                "is_staff": True,
                "first_name": login["first_name"],
                "last_name": login["last_name"],
            },
        )
        if created:
            user.set_password(login["password"])
            user.save()
            user.groups.add(Group.objects.get(name=group))
        return user

    def load_sections(self, editor: User) -> dict[str, Section]:
        sections = {section.path: section for section in Section.objects.all()}
        for position, (path, name, description) in enumerate(content.SECTIONS):
            if path in sections:
                continue
            parent_path, _, slug = path.rpartition("/")
            section = Section(
                name=name,
                slug=slug,
                description=description,
                position=position,
                parent=sections.get(parent_path),
            )
            sections[path] = section_services.section_save(section=section, user=editor)
        return sections

    def load_authors(self, users: dict[str, User]) -> dict[str, Author]:
        authors = {}
        for data in content.AUTHORS:
            authors[data["slug"]], _ = Author.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "kind": data["kind"],
                    "role": data["role"],
                    "bio": data["bio"],
                    "user": users.get(data["slug"]),
                },
            )
        return authors

    def load_images(self, editor: User) -> dict[str, Image]:
        images = {}
        for data in content.IMAGES:
            image = Image.objects.filter(title=data["title"]).first()
            if image is None:
                picture = draw_picture(data["key"], data["scene"], data["palette"])
                upload = uploads.read_upload(ContentFile(picture, name=f"{data['key']}.jpg"))
                image = pictures.image_save(
                    image=Image(
                        title=data["title"],
                        alt_text=data["alt"],
                        caption=data["caption"],
                        credit=data["credit"],
                    ),
                    upload=upload,
                    user=editor,
                )
            images[data["key"]] = image
        return images

    def load_articles(self, now, sections, authors, images, editor) -> int:
        articles, new = {}, []
        for data in content.ARTICLES:
            section = sections[data["section"]]
            article = Article.objects.filter(slug=data["slug"], section=section).first()
            if article is None:
                article = self.create_article(data, now, section, authors, images, editor)
                new.append(data)
            articles[data["slug"]] = article
        for data in new:
            if data.get("related"):
                self.link_articles(data, articles, editor, now)
        # The desk's saves indexed the new stories; stories a run before
        # search existed made are indexed too.
        search_index(article.pk for article in articles.values())
        return len(new)

    def create_article(self, data, now, section, authors, images, editor) -> Article:
        """A story published `hours_ago`, and updated since when it says so."""
        published_at = now - timedelta(hours=data["hours_ago"])
        article = self.save_story(
            data,
            section,
            authors,
            user=editor,
            action=permissions.PUBLISH,
            now=published_at,
            edited_by=authors.get(data.get("edited_by")),
            lead_image=images.get(data.get("image")),
            lead_image_caption=data.get("image_caption", ""),
            is_featured=data.get("is_featured", False),
        )
        if (updated := data.get("updated_hours_ago")) is not None:
            stories.article_desk_save(
                article=article,
                user=editor,
                edit=StoryEdit(mark_updated=True),
                now=now - timedelta(hours=updated),
            )
        return article

    def link_articles(self, data, articles, editor, now) -> None:
        """The story's READ MORE lines, once every story they point at exists."""
        links = []
        for link in data["related"]:
            after = link.get("after_paragraph")
            links.append(
                {
                    "target": articles[link["article"]] if "article" in link else None,
                    "url": link.get("url", ""),
                    "title": link.get("title", ""),
                    "after_paragraph": None if after is None else after + 1,
                }
            )
        stories.article_desk_save(
            article=articles[data["slug"]], user=editor, edit=StoryEdit.of(links=links), now=now
        )

    def load_work_in_progress(self, now, sections, authors, editor, reporter) -> None:
        """The desk's day: each piece is made once, the first time the demo
        is loaded, with times counted from then."""
        for data in content.WORK_IN_PROGRESS:
            section = sections[data["section"]]
            if Article.objects.filter(slug=data["slug"], section=section).exists():
                continue
            hours = data.get("publish_in_hours")
            in_review = data["status"] == Article.Status.IN_REVIEW
            self.save_story(
                data,
                section,
                authors,
                user=reporter if in_review else editor,
                action=permissions.SUBMIT if in_review else permissions.SCHEDULE,
                now=now,
                **({"published_at": now + timedelta(hours=hours)} if hours else {}),
            )
        self.load_scheduled_update(now, editor)
        self.load_correction(editor)

    def publish_once(self, data, now, sections, authors, editor, **fields) -> Article | None:
        """The story published `minutes_ago`, the first time the demo is
        loaded; None when it is there already."""
        section = sections[data["section"]]
        if Article.objects.filter(slug=data["slug"], section=section).exists():
            return None
        return self.save_story(
            data,
            section,
            authors,
            user=editor,
            action=permissions.PUBLISH,
            now=now - timedelta(minutes=data["minutes_ago"]),
            **fields,
        )

    def load_breaking(self, now, sections, authors, editor) -> None:
        """A story filed minutes ago, with the breaking-news banner on."""
        data = content.BREAKING
        until = now + timedelta(hours=data["breaking_for_hours"])
        self.publish_once(data, now, sections, authors, editor, breaking_until=until)

    def load_live_blog(self, now, sections, authors, editor) -> None:
        """A live story with its entries, each posted at its minute."""
        data = content.LIVE_BLOG
        lead = self.images[data["image"]]
        blog = self.publish_once(
            data, now, sections, authors, editor, lead_image=lead, is_live=True
        )
        if blog is None:
            return
        for entry in data["entries"]:
            image = entry.get("image")
            live.live_entry_post(
                article=blog,
                user=editor,
                text=EntryText(
                    body="".join(f"<p>{paragraph}</p>" for paragraph in entry["body"]),
                    headline=entry["headline"],
                    author=authors[entry["author"]],
                    image=self.images[image] if image else None,
                    is_pinned=entry.get("pinned", False),
                    is_key_event=entry.get("key_event", False),
                ),
                now=now - timedelta(minutes=entry["minutes_ago"]),
            )

    def load_fronts(self, now, sections, editor) -> None:
        """The home page's and a section's lead and top stories, once."""
        for path, placed in content.FRONTS.items():
            section = sections[path] if path else None
            if FrontSlot.objects.filter(section=section).exists():
                continue
            placings = [
                Placing(
                    Article.objects.get(slug=slug),
                    None if hours is None else now + timedelta(hours=hours),
                )
                for slug, hours in placed
            ]
            fronts.front_arrange(section=section, placings=placings, user=editor, now=now)

    def load_reads(self, now) -> None:
        """The reads of the hours before the demo was loaded, once."""
        if ReadTally.objects.exists():
            return
        stories = dict(Article.objects.filter(slug__in=content.READS).values_list("slug", "pk"))
        for slug, hours in content.READS.items():
            for hours_ago, reads in hours:
                readership.reads_record({stories[slug]: reads}, now - timedelta(hours=hours_ago))

    def save_story(self, data, section, authors, *, user, action, now, **fields) -> Article:
        """One demo story, written and acted on as the desk would."""
        saved = stories.article_desk_save(
            article=Article(),
            user=user,
            edit=StoryEdit.of(
                headline=data["headline"],
                slug=data["slug"],
                standfirst=data["standfirst"],
                body=body_html(data["body"], self.images),
                dateline=data["dateline"],
                section=section,
                bylines=[authors[slug] for slug in data["authors"]],
                tags=data["tags"],
                **fields,
            ),
            action=action,
            now=now,
        )
        if saved.refused:
            raise CommandError(f"Demo story “{data['headline']}”: {saved.refused}")
        return saved.article

    def load_scheduled_update(self, now, editor) -> None:
        data = content.SCHEDULED_UPDATE
        article = Article.objects.get(slug=data["article"])
        if ScheduledUpdate.objects.filter(article=article).exists():
            return
        live = revisions.snapshot(article)
        stories.article_desk_save(
            article=article,
            user=editor,
            edit=StoryEdit.of(
                headline=data["headline"],
                body=live["body"] + f"<p>{data['paragraph']}</p>",
                tags=[*live["tags"], data["tag"]],
            ),
            action=permissions.SCHEDULE_UPDATE,
            update_at=now + timedelta(hours=data["due_in_hours"]),
            now=now,
        )

    def load_correction(self, editor) -> None:
        article = Article.objects.get(slug=content.CORRECTION["article"])
        if article.corrections.exists():
            return
        stories.article_desk_save(
            article=article,
            user=editor,
            edit=StoryEdit(corrections=(("correction", content.CORRECTION["text"]),)),
        )
