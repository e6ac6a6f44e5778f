"""The desk: content (sections, pictures, authors, ad slots) and stories."""

from . import content, stories, updates  # noqa: F401 (registers the model admins)
