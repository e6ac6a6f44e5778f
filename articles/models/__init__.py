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
from .fronts import FRONT_SLOTS, FrontSlot
from .live import LiveEntry, LiveEntryRevision
from .purges import PagePurge
from .readership import ReadTally
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
    "FRONT_SLOTS",
    "FrontSlot",
    "Image",
    "LiveEntry",
    "LiveEntryRevision",
    "Note",
    "PagePurge",
    "ReadTally",
    "RelatedLink",
    "Revision",
    "ScheduledUpdate",
    "Section",
    "SectionAddress",
    "TagAddress",
]
