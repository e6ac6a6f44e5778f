"""Read a form's fields out of a page the way a browser would submit them,
so tests post exactly what an editor's browser posts."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select = None
        self.textarea = None
        self.textareas = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(attrs["name"], []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.textareas.add(self.textarea)
            self.data[self.textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def form_data(html: str, form_id: str | None = None) -> dict:
    """Field name -> value (or list of values for multiple choices)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    for name in reader.textareas:
        # Browsers drop the newline that follows an opening <textarea>.
        reader.data[name][0] = reader.data[name][0].removeprefix("\n")
    return {name: values if len(values) != 1 else values[0] for name, values in reader.data.items()}


def change_url(story) -> str:
    return f"/admin/articles/article/{story.pk}/change/"


def history_url(story) -> str:
    return f"/admin/articles/article/{story.pk}/history/"


def opened_form(client, url: str, form_id: str = "article_form") -> dict:
    """A desk form as the browser holds it after opening `url`."""
    return form_data(client.get(url).content.decode(), form_id)


def post_form(client, url: str, button: str = "_save", form: dict | None = None, **typed):
    """Post the form at `url` as the browser would: as opened (or `form`),
    with `typed` changes and `button` pressed."""
    data = opened_form(client, url) if form is None else dict(form)
    return client.post(url, {**data, **typed, button: "pressed"})
