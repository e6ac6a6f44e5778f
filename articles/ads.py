"""Named advertising slots, filled per section by the business side."""

from django.conf import settings
from django.http import HttpRequest

from .models import AdSlot
from .sitewide import sitewide


def load_active_slots() -> list[AdSlot]:
    return list(AdSlot.objects.filter(is_active=True).select_related("section"))


class AdSlots:
    """Active slot markup, from the cache while the desk changes none (else
    in one query), once per request. A section's own slot
    wins over its parent's, then the site-wide slot, then the default from
    settings.NEWSROOM["AD_SLOTS"]."""

    def __init__(self, slots: list[AdSlot]):
        self.markup = {
            (slot.name, slot.section.path if slot.section else ""): slot.markup for slot in slots
        }

    @classmethod
    def for_request(cls, request: HttpRequest) -> "AdSlots":
        # Kept on the request, as middleware keeps its own; the stubs know
        # only the attributes Django sets.
        if not hasattr(request, "_ad_slots"):
            request._ad_slots = cls(sitewide("ad-slots", load_active_slots, request))  # type: ignore[attr-defined]
        return request._ad_slots  # type: ignore[attr-defined]

    def markup_for(self, name: str, section_path: str = "") -> str:
        parts = section_path.split("/") if section_path else []
        for depth in range(len(parts), -1, -1):
            markup = self.markup.get((name, "/".join(parts[:depth])))
            if markup is not None:
                return markup
        return settings.NEWSROOM["AD_SLOTS"].get(name, "")
