"""Fill the newsroom with generated stories for benchmarks: live stories
three minutes apart going back in time, each in one of the sections, by one
to three of a pool of generated reporters, with tags, READ MORE lines and
most with a lead picture from the library (whose renditions exist).

Written in bulk, straight to the tables, in batches: 100,000 stories take a
few minutes. No revision is recorded and no desk rule is checked, so this is
for a scratch database, never a newsroom's own. Run `load_demo` first: the
stories go into its sections and use its pictures.

    python manage.py generate_stories --count 100000 [--seed 1]
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.management.commands.refresh_statistics import statistics_refresh
from articles.management.progress import show_progress
from articles.models import Article, Author, Byline, Image, RelatedLink, Section
from articles.models.content import default_slug
from articles.pagecache import keys
from articles.services.pages import pages_purge, stories_lists_record
from articles.services.search import search_index

BATCH = 2_000
REPORTERS = 200
TOPICS = 400
APART = timedelta(minutes=3)

PLACES = "Kolkata Mumbai Delhi Chennai Bengaluru Pune Jaipur Lucknow Guwahati Kochi".split()
SUBJECTS = (
    "city council",
    "state government",
    "port authority",
    "farmers' union",
    "university senate",
    "metro rail corporation",
    "health department",
    "cricket board",
    "central bank",
    "water board",
)
ACTIONS = (
    "approves a plan for",
    "delays its decision on",
    "opens an inquiry into",
    "sets aside funds for",
    "faces questions over",
    "announces changes to",
)
OBJECTS = (
    "flood defences",
    "bus routes",
    "school meals",
    "power tariffs",
    "river clean-up",
    "street vending",
    "hospital beds",
    "housing permits",
    "heat shelters",
    "stadium repairs",
)
WORDS = (
    "officials said the work would begin before the monsoon and finish within a year while "
    "residents asked for clear timelines and the opposition called for a public hearing on "
    "costs that have risen since the first estimate was made three years ago according to "
    "documents seen by reporters who visited the site on Tuesday and spoke to engineers "
    "contractors shopkeepers and commuters about what the change would mean for them"
).split()


def elsewhere(story: Article) -> RelatedLink:
    return RelatedLink(
        article=story, url="https://example.org/report", title="The report", position=1
    )


class Command(BaseCommand):
    help = "Fill the database with generated live stories, in bulk (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many stories.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same stories.")

    def handle(self, *args, count: int, seed: int, verbosity: int = 1, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        sections = list(Section.objects.order_by("pk"))
        if not sections:
            raise CommandError("There are no sections: run `manage.py load_demo` first.")
        pictures = list(Image.objects.order_by("pk"))
        rng = random.Random(seed)
        reporters = self.reporters()
        topics = self.topics()
        oldest = (
            Article.objects.filter(published_at__isnull=False)
            .order_by("published_at")
            .values_list("published_at", flat=True)
        )
        start = (oldest.first() or timezone.now()) - APART
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                self.batch(rng, made, size, start, sections, pictures, reporters, topics)
            made += size
            if verbosity:
                show_progress(self, made, count, "stories")
        # Every list and sitemap has new stories: no kept page stands.
        pages_purge([keys.SITE])
        statistics_refresh()
        if verbosity:
            self.stdout.write("")

    def reporters(self) -> list[Author]:
        Author.objects.bulk_create(
            (
                Author(name=f"Generated Reporter {n}", slug=f"generated-reporter-{n}")
                for n in range(1, REPORTERS + 1)
            ),
            ignore_conflicts=True,
        )
        return list(Author.objects.filter(slug__startswith="generated-reporter-"))

    def topics(self) -> list[Tag]:
        Tag.objects.bulk_create(
            (
                Tag(name=f"{OBJECTS[n % len(OBJECTS)]} {n}", slug=f"topic-{n}")
                for n in range(TOPICS)
            ),
            ignore_conflicts=True,
        )
        return list(Tag.objects.filter(slug__startswith="topic-"))

    def batch(self, rng, made, size, start, sections, pictures, reporters, topics) -> None:
        stories = Article.objects.bulk_create(
            self.story(rng, start - APART * (made + n), sections, pictures) for n in range(size)
        )
        Byline.objects.bulk_create(
            Byline(article=story, author=author, position=position)
            for story in stories
            for position, author in enumerate(rng.sample(reporters, rng.randint(1, 3)))
        )
        tagged = Article.tags.through
        tagged.objects.bulk_create(
            tagged(content_object=story, tag=tag)
            for story in stories
            for tag in rng.sample(topics, rng.randint(0, 4))
        )
        # READ MORE lines to the story before each, and now and then a
        # page elsewhere.
        RelatedLink.objects.bulk_create(
            link
            for previous, story in zip(stories, stories[1:], strict=False)
            for link in (
                RelatedLink(article=story, target=previous, position=0, after_paragraph=2),
                *([elsewhere(story)] if rng.random() < 0.3 else []),
            )
        )
        search_index(story.pk for story in stories)
        stories_lists_record([story.pk for story in stories])

    def story(self, rng, published_at, sections, pictures) -> Article:
        headline = (
            f"{rng.choice(PLACES)} {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} "
            f"{rng.choice(OBJECTS)}"
        ).capitalize()
        return Article(
            headline=headline,
            slug=default_slug(headline),
            standfirst=self.sentence(rng, 30),
            body="".join(
                f"<p>{self.sentence(rng, rng.randint(40, 90))}</p>"
                for _ in range(rng.randint(6, 15))
            ),
            dateline=rng.choice(PLACES),
            section=rng.choice(sections),
            lead_image=rng.choice(pictures) if pictures and rng.random() < 0.8 else None,
            status=Article.Status.PUBLISHED,
            published_at=published_at,
        )

    def sentence(self, rng, words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."
