"""Template filters for the desk's pages, which keep Django's templates
(readers' pages are Jinja2: `articles.templating`)."""

from django import template

from .. import formats

register = template.Library()

register.filter("reader_time", formats.reader_time)
