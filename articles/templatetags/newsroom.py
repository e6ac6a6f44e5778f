import json
from urllib.parse import urljoin

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .. import formats, structured
from ..ads import AdSlots
from ..pictures.renditions import made, media_url

register = template.Library()

register.filter("reader_time", formats.reader_time)


@register.simple_tag
def timestamp(value, css_class=""):
    """A <time> element: full ISO 8601 for machines, the site's local time
    for readers."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}"{}>{}</time>',
        formats.machine_time(value),
        format_html(' class="{}"', css_class) if css_class else "",
        formats.reader_time(value),
    )


@register.simple_tag(takes_context=True)
def ad_slot(context, name, section=None):
    """Place the named ad slot. Its markup comes from the admin or settings,
    written by the business side, and is shown as written."""
    request = context.get("request")
    if request is None:
        return ""
    markup = AdSlots.for_request(request).markup_for(name, section.path if section else "")
    if not markup:
        return ""
    return format_html('<div class="ad-slot" data-slot="{}">{}</div>', name, mark_safe(markup))


@register.filter
def byline_names(bylines):
    """Authors' names as a reader says them: "A", "A and B", "A, B and C"."""
    return formats.join_names(byline.author.name for byline in bylines)


@register.simple_tag
def picture(image, shape="16:9", sizes="100vw", lazy=True, css_class="", alt=""):
    """A <picture> of `image` cut to `shape`: WebP and a fallback at every
    width made, with `sizes` for the browser to choose, and width and height
    so nothing moves as it loads. Until the renditions exist, the original.
    `alt` replaces the picture's own alt text in this one place."""
    alt = alt or image.alt_text
    options = format_html(
        '{}{} decoding="async"',
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(' loading="lazy"') if lazy else "",
    )
    widths = made(image, shape)
    if not widths:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}"{}>',
            image.file.url,
            alt,
            image.width,
            image.height,
            options,
        )
    largest = widths[-1]
    fallback = image.renditions["fallback"]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}></picture>',
        _srcset(widths, "webp"),
        sizes,
        media_url(largest["files"][fallback]),
        _srcset(widths, fallback),
        sizes,
        alt,
        largest["width"],
        largest["height"],
        options,
    )


def _srcset(sizes: list, image_format: str) -> str:
    return ", ".join(f"{media_url(size['files'][image_format])} {size['width']}w" for size in sizes)


@register.simple_tag(takes_context=True)
def social_card(context, image) -> dict:
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


@register.simple_tag(takes_context=True)
def structured_data(context, page, *args) -> SafeString:
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
