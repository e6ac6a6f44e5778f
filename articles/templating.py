"""The Jinja2 environment readers' pages are rendered with (`reader_templates/`).

Readers' pages are the ones served by the thousand: Jinja2 compiles each
template to Python once, where Django's template language walks its nodes
on every page. Escaping is the same: on by default, and what Django marks
safe (`format_html`, `mark_safe`) stays as it is. The desk (the admin) keeps
Django's templates.

Tags become functions here: `picture(...)`, `timestamp(...)`,
`ad_slot(...)`, `structured_data(...)`, `social_card(...)`, `url(...)`,
`static(...)`, `today(...)`, `querystring(...)`, `masthead()`.
"""

import json
import sys
from datetime import date
from types import SimpleNamespace
from urllib.parse import urljoin

from django.conf import settings
from django.template import defaultfilters, defaulttags
from django.template.backends import jinja2 as django_jinja2
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localdate
from django.utils.translation import get_language
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from . import formats, structured
from .ads import AdSlots
from .links import page_url, static_url, tag_url
from .models import Image
from .pictures.renditions import made, media_url


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with two differences from it:

    - what a view passes wins over what context processors give, as with
      Django's own templates (a story page's own feeds over the site's);
    - it says what it rendered as Django's own templates do
      (`template_rendered`), so the test client knows a page's context
      whichever engine drew it. Outside tests nothing listens and it is
      not sent."""

    def get_template(self, template_name: str) -> "Template":
        return Template(super().get_template(template_name).template, self)

    def from_string(self, template_code: str) -> "Template":
        return Template(super().from_string(template_code).template, self)


class Template(django_jinja2.Template):
    def render(self, context: dict | None = None, request=None) -> str:
        given = context or {}
        if request is not None:
            context = {
                "request": request,
                "csrf_input": csrf_input_lazy(request),
                "csrf_token": csrf_token_lazy(request),
            }
            for processor in self.backend.template_context_processors:
                context.update(processor(request))
            context.update(given)
        else:
            context = dict(given)
        html = super().render(context)
        # The signal lives with Django's test tools, which the served site
        # never loads (they cost every process start); tests have them.
        if (test_signals := sys.modules.get("django.test.signals")) is not None:
            test_signals.template_rendered.send(sender=self, template=self, context=context)
        return html


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(
        ad_slot=ad_slot,
        masthead=masthead,
        today=today,
        picture=picture,
        querystring=querystring,
        social_card=social_card,
        static=static_url,
        tag_url=tag_url,
        structured_data=structured_data,
        timestamp=timestamp,
        url=url,
    )
    env.filters.update(
        author_names=author_names,
        # Django's own, so text reads the same as on the desk.
        linebreaksbr=defaultfilters.linebreaksbr,
        reader_time=formats.reader_time,
        truncatechars=defaultfilters.truncatechars,
    )
    return env


def masthead() -> dict:
    """The site's name, and its logo if SITE_LOGO sets one, as the masthead
    shows them: from settings, not from the page's context, which a server
    error's page is drawn without."""
    newsroom = settings.NEWSROOM
    logo = None
    if (given := newsroom["LOGO"]) is not None:
        path = given["path"]
        logo = {**given, "url": path if "://" in path else static_url(path)}
    return {"name": newsroom["SITE_NAME"], "logo": logo}


def url(name: str, *args) -> str:
    return reverse(name, args=args) if args else page_url(name)


# (format, language, day) -> the day so written; a few a day.
_days: dict[tuple[str, str | None, date], str] = {}


def today(date_format: str) -> str:
    """Today in the site's time zone, as Django's `date` filter writes it."""
    day = localdate()
    key = (date_format, get_language(), day)
    if (found := _days.get(key)) is None:
        if len(_days) > 100:
            _days.clear()
        found = _days[key] = format_date(day, date_format)
    return found


def timestamp(value, css_class: str = "", clock: bool = False) -> SafeString:
    """A <time> element: full ISO 8601 for machines, the site's local time
    for readers (the time of day alone with `clock`)."""
    if value is None:
        return SafeString("")
    machine, reader = formats.both_times(value, clock)
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    # An ISO 8601 time holds nothing to escape.
    return SafeString(f'<time datetime="{machine}"{attribute}>{escape(reader)}</time>')


@pass_context
def ad_slot(context: Context, name: str, section=None) -> str:
    """Place the named ad slot. Its markup comes from the admin or settings,
    written by the business side, and is shown as written."""
    request = context.get("request")
    if request is None:
        return ""
    markup = AdSlots.for_request(request).markup_for(name, section.path if section else "")
    if not markup:
        return ""
    return format_html('<div class="ad-slot" data-slot="{}">{}</div>', name, mark_safe(markup))


def author_names(authors) -> str:
    """Authors' names as a reader says them: "A", "A and B", "A, B and C"."""
    return formats.join_names(author.name for author in authors)


def picture(
    image: Image,
    shape: str = "16:9",
    sizes: str = "100vw",
    lazy: bool = True,
    css_class: str = "",
    alt: str = "",
) -> SafeString:
    """A <picture> of `image` cut to `shape`: WebP and a fallback at every
    width made, with `sizes` for the browser to choose, and width and height
    so nothing moves as it loads. Until the renditions exist, the original.
    `alt` replaces the picture's own alt text in this one place. Written
    with f-strings, each value escaped: a list page draws a score of them."""
    alt = escape(alt or image.alt_text)
    options = (
        (f' class="{escape(css_class)}"' if css_class else "")
        + (' loading="lazy"' if lazy else "")
        + ' decoding="async"'
    )
    widths = made(image, shape)
    if not widths:
        return SafeString(
            f'<img src="{escape(image.file.url)}" alt="{alt}" width="{int(image.width)}" '
            f'height="{int(image.height)}"{options}>'
        )
    largest = widths[-1]
    fallback = image.renditions["fallback"]
    sizes = escape(sizes)
    return SafeString(
        f'<picture><source type="image/webp" srcset="{_srcset(widths, "webp")}" sizes="{sizes}">'
        f'<img src="{escape(media_url(largest["files"][fallback]))}" '
        f'srcset="{_srcset(widths, fallback)}" sizes="{sizes}" alt="{alt}" '
        f'width="{int(largest["width"])}" height="{int(largest["height"])}"{options}></picture>'
    )


def _srcset(sizes: list, image_format: str) -> str:
    files = ((media_url(size["files"][image_format]), int(size["width"])) for size in sizes)
    return escape(", ".join(f"{address} {width}w" for address, width in files))


@pass_context
def social_card(context: Context, image: Image | None) -> dict:
    """The picture social networks and chat apps show for a link: the
    1200×630 rendition at an absolute address, the original until it exists,
    and the site's card when there is no picture (its size unknown)."""
    if image is None:
        site = structured.Site.of(context["site"])
        return {"url": structured.site_card(site), "alt": site.name}
    if cards := made(image, "social"):
        card = cards[0]
        url = media_url(card["files"]["jpeg"])
        width, height = card["width"], card["height"]
    else:
        url, width, height = image.file.url, image.width, image.height
    return {
        "url": urljoin(context["site"]["origin"] + "/", url),
        "width": width,
        "height": height,
        "alt": image.alt_text,
    }


# As Django's json_script escapes them: no text in the data can end the
# script element or start markup inside it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@pass_context
def structured_data(context: Context, page: str, *args) -> SafeString:
    """The page's structured data (see `articles.structured`) as JSON-LD:
    `page` names what to build, from the objects that follow."""
    objects = structured.PAGES[page](structured.Site.of(context["site"]), *args)
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(json_ld(data)),) for data in objects),
    )


def json_ld(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


@pass_context
def querystring(context: Context, **changes) -> str:
    """The page's query string with `changes` made (None removes a key):
    Django's `{% querystring %}`."""
    # Django's tag reads only the request of the context it is given.
    page = SimpleNamespace(request=context["request"])
    return defaulttags.querystring(page, **changes)  # type: ignore[arg-type]
