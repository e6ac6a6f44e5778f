"""Site search, the parts that need no database: what a reader typed, made
safe and bounded, the page's form, and highlighted snippets. How each
database matches and ranks is `ArticleQuerySet.search()`; keeping the index
up to date is `services.search`."""

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import cast

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Bounds on what one query may cost, whatever arrives in ?q=.
MAX_CHARACTERS = 200
MAX_WORDS = 12

# PostgreSQL's text search configuration; SQLite's FTS5 table stems with
# Porter to match (migration 0012).
CONFIG = "english"
# Headline, standfirst, tags, body: the weights PostgreSQL gives A, B, C and
# D by default (1, 0.4, 0.2, 0.1), for SQLite's bm25() too.
FTS5_WEIGHTS = (10.0, 4.0, 2.0, 1.0)

# Where a match starts and stops in a snippet from the database. Private
# use characters, which `SearchTerms` takes out of what readers type; a
# story carrying one only gets a stray highlight, as `highlight()` keeps
# the markup balanced.
MARK_START, MARK_STOP = "\ue000", "\ue001"
MARKERS = re.compile(f"([{MARK_START}{MARK_STOP}])")
HTML_TAG = re.compile(r"<[^>]*>")


def plain_body(body: str) -> str:
    """A story body as searchable text. Each tag becomes a space rather
    than nothing (as `strip_tags` would make it), so the last word of one
    paragraph does not run into the first of the next."""
    return " ".join(html.unescape(HTML_TAG.sub(" ", body)).split())


@dataclass(frozen=True)
class SearchTerms:
    """At most `MAX_WORDS` words from the first `MAX_CHARACTERS` characters
    of what a reader typed, without control or private use characters (a
    NUL byte cannot even reach PostgreSQL)."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, typed: str) -> "SearchTerms":
        kept = "".join(c for c in typed[: MAX_CHARACTERS * 4] if unicodedata.category(c)[0] != "C")
        return cls(tuple(kept[:MAX_CHARACTERS].split()[:MAX_WORDS]))

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def has_words(self) -> bool:
        """Whether any word has a letter or digit to look for. Words to
        leave out ("-word") do not count: alone they would match, and
        rank, nearly every story."""
        return any(_searchable(word) and not word.startswith("-") for word in self.words)

    def fts5_match(self) -> str:
        """An FTS5 query for stories with every word and none of the
        "-words": each word a quoted string, so nothing typed is read as
        FTS5 syntax (NEAR, AND, *, a column name); a word the tokenizer
        makes nothing of matches nothing rather than failing."""
        wanted = [_quoted(word) for word in self.words if not word.startswith("-")]
        unwanted = [_quoted(word[1:]) for word in self.words if word.startswith("-")]
        wanted = [word for word in wanted if word]
        if not wanted:
            return '""'
        return " ".join(wanted) + "".join(f" NOT {word}" for word in unwanted if word)


def _searchable(word: str) -> bool:
    return re.search(r"\w", word) is not None


def _quoted(word: str) -> str:
    word = word.replace('"', "")
    return f'"{word}"' if _searchable(word) else ""


def highlight(snippet: str) -> SafeString:
    """`snippet` escaped, with each marked match in <mark>; the markup
    stays balanced whatever markers the text holds. Character references
    left from a body's HTML (PostgreSQL cuts snippets from the HTML with
    its tags made spaces) are read first, so `&amp;` shows as `&`."""
    parts, is_open = [], False
    for piece in MARKERS.split(html.unescape(snippet)):
        if piece in (MARK_START, MARK_STOP):
            if (piece == MARK_START) != is_open:
                parts.append("</mark>" if is_open else "<mark>")
                is_open = not is_open
        else:
            parts.append(escape(piece))
    if is_open:
        parts.append("</mark>")
    return mark_safe("".join(parts))


class SearchForm(forms.Form):
    """The search page's filters. A filter that does not parse is left out
    and named in `notices`, never an error page."""

    q = forms.CharField(
        label="Search for",
        required=False,
        widget=forms.SearchInput(attrs={"maxlength": MAX_CHARACTERS}),
    )
    section = forms.ChoiceField(label="Section", required=False)
    published_from = forms.DateField(
        label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = forms.DateField(
        label="Published to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, sections, terms: SearchTerms):
        data = data.copy()
        data["q"] = terms.text
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["section"]).choices = [("", "All sections")] + [
            (section.path, "— " * section.depth + section.name) for section in sections
        ]
        # A filter that does not parse is dropped, then the form is cleaned
        # again without it: not shown back (a date field holding
        # "yesterday" is not valid HTML) nor marked as an error.
        self.left_out = [self.fields[name].label for name in self.errors]
        for name in self.errors:
            data[name] = ""
        self._errors = None

    def notices(self) -> list[str]:
        return [f"{label}: that is not one we know, so it was left out." for label in self.left_out]

    def value(self, name: str):
        return self.cleaned_data.get(name) or None
