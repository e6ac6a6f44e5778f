"""The desk: stories, their updates and tags, sections, authors, ad slots,
logins, and the picture library (in `articles.pictures.admin`)."""

from ..pictures import admin as pictures  # noqa: F401 (registers the model admins)
from . import content, fronts, logins, stories, tags, updates  # noqa: F401
