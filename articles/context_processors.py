from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .breaking import breaking_news
from .links import feed_links, site_origin
from .navigation import SectionTree


def site(request):
    """Site name, canonical address, the section menu, the breaking-news
    banner and the site's feeds for every page."""
    newsroom = settings.NEWSROOM
    origin = site_origin(request)
    return {
        "site": {
            "name": newsroom["SITE_NAME"],
            "description": newsroom["SITE_DESCRIPTION"],
            "promo_line": newsroom["PROMO_LINE"],
            "origin": origin,
        },
        "canonical_url": origin + request.path,
        "menu_sections": SimpleLazyObject(lambda: SectionTree.for_request(request).top_level()),
        # A function, asked only by the readers' pages that show the banner.
        "breaking_news": lambda: breaking_news(timezone.now()),
        # Pages with a feed of their own replace this with both.
        "feeds": SimpleLazyObject(feed_links),
    }
