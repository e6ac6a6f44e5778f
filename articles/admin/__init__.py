"""The desk: content (sections, pictures, authors, ad slots), stories and logins."""

from . import content, logins, stories, updates  # noqa: F401 (registers the model admins)
