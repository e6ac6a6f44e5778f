"""Structured data: what each page shows, as schema.org objects that search
engines and news aggregators read (JSON-LD). Built from the objects the
page itself renders, so the two never disagree and nothing is typed twice;
the `structured_data` template tag writes them out.

Google's rules for articles shape the story's data: several pictures of
the lead (16:9, 4:3 and 1:1, each at least 1200 pixels wide when the
original has them), times with their offset, and authors as people or
organisations with the address of their page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

from . import formats
from .links import static_url
from .models import Article, Author, Section
from .pictures import renditions

CONTEXT = "https://schema.org"
# The cuts of the lead picture search engines choose from, and the width
# each should have.
LEAD_SHAPES = ("16:9", "4:3", "1:1")
LEAD_MIN_WIDTH = 1200
# A static file, square as Google asks of an organisation's logo.
LOGO, LOGO_SIZE = "img/logo.png", (512, 512)


@dataclass(frozen=True)
class Site:
    name: str
    origin: str

    @classmethod
    def of(cls, site: dict) -> "Site":
        """From the `site` every template gets (the context processor's)."""
        return cls(name=site["name"], origin=site["origin"])

    def url(self, address: str) -> str:
        """An absolute address; one that is absolute already stays as it is."""
        if address.startswith("/") and not address.startswith("//"):
            return self.origin + address
        return urljoin(self.origin + "/", address)

    def static_url(self, path: str) -> str:
        return self.url(path if "://" in path else static_url(path))


def site_card(site: Site) -> str:
    """The picture shown for a story that has none of its own."""
    return site.static_url(settings.NEWSROOM["SITE_CARD"])


def organization(site: Site) -> dict:
    return {
        "@type": "Organization",
        "name": site.name,
        "url": site.url("/"),
        "logo": {
            "@type": "ImageObject",
            "url": site.static_url(LOGO),
            "width": LOGO_SIZE[0],
            "height": LOGO_SIZE[1],
        },
    }


def home(site: Site) -> list[dict]:
    return [
        {"@context": CONTEXT, "@type": "WebSite", "name": site.name, "url": site.url("/")},
        {"@context": CONTEXT, **organization(site)},
    ]


def breadcrumbs(site: Site, lineage: list[Section], current: str) -> list[dict]:
    """Home, the sections along the way, then the page itself, which (as in
    the visible trail) is not a link."""
    trail = [("Home", site.url("/"))]
    trail += [(section.name, site.url(section.get_absolute_url())) for section in lineage]
    items: list[dict] = [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(trail, start=1)
    ]
    items.append({"@type": "ListItem", "position": len(items) + 1, "name": current})
    return [{"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}]


def author_entity(site: Site, author: Author) -> dict:
    """A byline's author: a person, or a desk as the organisation it is."""
    return {
        "@type": "Organization" if author.is_desk else "Person",
        "name": author.name,
        "url": site.url(author.get_absolute_url()),
    }


def profile(site: Site, author: Author) -> list[dict]:
    """An author's page is about the author."""
    entity = author_entity(site, author)
    if author.role and not author.is_desk:
        entity["jobTitle"] = author.role
    if author.bio:
        entity["description"] = author.bio
    if author.photo:
        entity["image"] = picture(site, author.photo, "1:1")["url"]
    if links := author.profile_links:
        entity["sameAs"] = links
    return [{"@context": CONTEXT, "@type": "ProfilePage", "mainEntity": entity}]


def picture(site: Site, image, shape: str) -> dict:
    """The picture cut to `shape` at the width search engines want, at an
    absolute address; the original until its renditions are made."""
    if cut := renditions.best(image, shape, min_width=LEAD_MIN_WIDTH):
        return {"url": site.url(cut["url"]), "width": cut["width"], "height": cut["height"]}
    return {"url": site.url(image.file.url), "width": image.width, "height": image.height}


def lead_pictures(site: Site, article: Article) -> list[dict]:
    """The lead picture's cuts as `ImageObject`s, one per distinct file
    (they are all the original until the renditions are made)."""
    image = article.lead_image
    if image is None:
        return []
    cuts = {cut["url"]: cut for cut in (picture(site, image, shape) for shape in LEAD_SHAPES)}
    return [
        {
            "@context": CONTEXT,
            "@type": "ImageObject",
            **cut,
            "contentUrl": cut["url"],
            "caption": article.caption,
            "creditText": image.credit,
        }
        for cut in cuts.values()
    ]


def story(site: Site, article: Article, live: dict | None = None) -> list[dict]:
    """The story as a `NewsArticle` (a `LiveBlogPosting` with its entries,
    for live coverage: `live` as `views.live_context` gives it), and its
    lead picture's cuts as `ImageObject`s, which carry the caption and the
    credit."""
    pictures = lead_pictures(site, article)
    data: dict = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "image": [cut["url"] for cut in pictures] or [site_card(site)],
        "author": [author_entity(site, author) for author in article.byline_authors],
        "publisher": organization(site),
        "mainEntityOfPage": site.url(article.get_absolute_url()),
        "articleSection": article.section.name,
        "isAccessibleForFree": True,
    }
    # A draft seen in preview has no time yet.
    if article.published_at:
        data["datePublished"] = formats.machine_time(article.published_at)
        modified = article.updated_at if article.is_updated else None
        data["dateModified"] = formats.machine_time(modified or article.published_at)
    if tags := [tag.name for tag in article.tags.all()]:
        data["keywords"] = tags
    if article.dateline:
        data["dateline"] = article.dateline
    if corrections := article.corrections.all():
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "datePublished": formats.machine_time(correction.published_at),
                "text": correction.text,
            }
            for correction in corrections
        ]
    if live is not None:
        data |= live_blog(site, article, live)
    return [data, *pictures]


# Updates given to search engines: the newest.
LIVE_UPDATES = 100


def live_blog(site: Site, article: Article, live: dict) -> dict:
    """What makes a story's data a `LiveBlogPosting`: when coverage began
    and ended, and its entries as `BlogPosting`s."""
    data: dict = {"@type": "LiveBlogPosting"}
    if article.published_at:
        data["coverageStartTime"] = formats.machine_time(article.published_at)
    if live["ended"]:
        data["coverageEndTime"] = formats.machine_time(live["ended"])
    address = site.url(article.get_absolute_url())
    updates = []
    for entry in live["entries"][:LIVE_UPDATES]:
        text = " ".join(unescape(strip_tags(entry.body)).split())
        update: dict = {
            "@type": "BlogPosting",
            "headline": entry.headline or Truncator(text).chars(110),
            "datePublished": formats.machine_time(entry.published_at),
            "articleBody": text,
            "url": f"{address}#entry-{entry.pk}",
        }
        if entry.corrected_at:
            update["dateModified"] = formats.machine_time(entry.corrected_at)
        if entry.author_name:
            update["author"] = {"@type": "Person", "name": entry.author_name}
            if entry.author_url:
                update["author"]["url"] = site.url(entry.author_url)
        if entry.image is not None:
            update["image"] = picture(site, entry.image, "16:9")["url"]
        updates.append(update)
    data["liveBlogUpdate"] = updates
    return data


# What the `structured_data` tag can write, by the name a template gives.
PAGES: dict[str, Callable[..., list[dict]]] = {
    "home": home,
    "story": story,
    "breadcrumbs": breadcrumbs,
    "profile": profile,
}
