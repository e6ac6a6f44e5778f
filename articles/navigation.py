"""The section tree as readers move through it: menus and breadcrumbs."""

from django.http import HttpRequest

from .models import Article, Section
from .sitewide import sitewide

STORY_SECTION = Article._meta.get_field("section")


class SectionTree:
    """All sections, from the cache while the desk changes none (else in one
    query), kept for the rest of the request: menus, breadcrumbs and section
    lookups cost nothing more."""

    def __init__(self, sections: list[Section]):
        self.sections = sections
        self.by_path = {section.path: section for section in sections}
        self.by_pk = {section.pk: section for section in sections}

    @classmethod
    def for_request(cls, request: HttpRequest) -> "SectionTree":
        # Kept on the request, as middleware keeps its own; the stubs know
        # only the attributes Django sets.
        if not hasattr(request, "_section_tree"):
            sections = sitewide("sections", lambda: list(Section.objects.all()), request)
            request._section_tree = cls(sections)  # type: ignore[attr-defined]
        return request._section_tree  # type: ignore[attr-defined]

    def placed(self, stories: list[Article]) -> list[Article]:
        """`stories`, each with its section from the tree, as if fetched
        with it; a section the tree lacks is left to be fetched."""
        for story in stories:
            if (section := self.by_pk.get(story.section_id)) is not None:
                STORY_SECTION.set_cached_value(story, section)
        return stories

    def get(self, path: str) -> Section | None:
        return self.by_path.get(path)

    def answering_at(self, path: str) -> Section | None:
        """The section at `path` now, else the one that was there before
        (a query, asked only when no section lives at `path`)."""
        return self.get(path) or Section.objects.formerly_at(path).first()

    def top_level(self) -> list[Section]:
        return [section for section in self.sections if section.parent_id is None]

    def children(self, section: Section) -> list[Section]:
        return [child for child in self.sections if child.parent_id == section.pk]

    def lineage(self, section: Section) -> list[Section]:
        """The section's ancestors from the top, then the section itself."""
        parts = section.path.split("/")
        paths = ("/".join(parts[: depth + 1]) for depth in range(len(parts)))
        return [self.by_path[path] for path in paths if path in self.by_path]
