"""Desk forms: the story form and its tag picker."""

from django import forms
from django.conf import settings
from django.urls import reverse
from taggit.models import Tag

from .models import Article

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class TagAutocomplete(forms.SelectMultiple):
    """A select2 box that suggests existing tags as the editor types and
    accepts new ones. Options travel by name, so a tag that does not exist
    yet survives a form error like any other typed text."""

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        self.choices = [(tag_name, tag_name) for tag_name in value]
        return super().get_context(name, value, attrs)

    def format_value(self, value):
        return [getattr(tag, "name", tag) for tag in value or []]

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = "tag-autocomplete"
        attrs["data-url"] = reverse(self.url_name)
        attrs["data-theme"] = "admin-autocomplete"
        return attrs

    @property
    def media(self):
        minified = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{minified}.js",
                f"admin/js/vendor/select2/select2.full{minified}.js",
                "admin/js/jquery.init.js",
                "js/tag-autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{minified}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )


class TagNamesField(forms.Field):
    """A list of tag names; duplicates that differ only in case are merged."""

    def prepare_value(self, value):
        return [getattr(tag, "name", tag) for tag in value or []]

    def to_python(self, value):
        names, seen = [], set()
        for raw in value or []:
            name = " ".join(str(raw).split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        for name in value:
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Tag “{name[:40]}…” is longer than {TAG_MAX_LENGTH} characters."
                )
            if not Tag().slugify(name):
                raise forms.ValidationError(f"Tag “{name}” needs at least one letter or digit.")


class ArticleAdminForm(forms.ModelForm):
    tags = TagNamesField(
        required=False,
        widget=TagAutocomplete("admin:articles_article_tag_autocomplete"),
        help_text="Type to find a tag; press Enter or a comma to add a new one.",
    )
    mark_updated = forms.BooleanField(
        label="Substantive update",
        required=False,
        help_text="Show readers a new “Updated on” time. Leave unticked for small fixes.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "section",
            "dateline",
            "edited_by",
            "lead_image",
            "lead_image_caption",
            "tags",
            "status",
            "is_featured",
        ]
