from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import SectionTree


def site(request):
    """Site name, canonical address and the section menu for every page."""
    newsroom = settings.NEWSROOM
    origin = newsroom["SITE_URL"] or f"{request.scheme}://{request.get_host()}"
    return {
        "site": {
            "name": newsroom["SITE_NAME"],
            "description": newsroom["SITE_DESCRIPTION"],
            "promo_line": newsroom["PROMO_LINE"],
            "origin": origin,
        },
        "canonical_url": origin + request.path,
        "menu_sections": SimpleLazyObject(lambda: SectionTree.for_request(request).top_level()),
    }
