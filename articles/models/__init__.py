from .addresses import AuthorAddress, SectionAddress, TagAddress
from .ads import AdSlot
from .content import (
    RESERVED_SECTION_SLUGS,
    Article,
    Author,
    BodyPicture,
    Byline,
    Image,
    RelatedLink,
    Section,
)
from .purges import PagePurge
from .workflow import Correction, EditingSession, Note, Revision, ScheduledUpdate

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "AdSlot",
    "Article",
    "Author",
    "AuthorAddress",
    "BodyPicture",
    "Byline",
    "Correction",
    "EditingSession",
    "Image",
    "Note",
    "PagePurge",
    "RelatedLink",
    "Revision",
    "ScheduledUpdate",
    "Section",
    "SectionAddress",
    "TagAddress",
]
