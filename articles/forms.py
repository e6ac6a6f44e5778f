"""Desk forms: the story form and its tag picker."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget, AdminSplitDateTime
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

from . import permissions, revisions, services, uploads
from .models import Article, Image
from .templatetags.newsroom import reader_time

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


# The story form's buttons: the name each posts, and the desk's verb.
ACTION_BUTTONS = {
    "_submit": permissions.SUBMIT,
    "_return_to_draft": permissions.RETURN_TO_DRAFT,
    "_publish": permissions.PUBLISH,
    "_schedule": permissions.SCHEDULE,
    "_unpublish": permissions.UNPUBLISH,
    "_schedule_update": permissions.SCHEDULE_UPDATE,
}


def requested_action(data) -> str:
    return next((action for button, action in ACTION_BUTTONS.items() if button in data), "")


def conflict_message(newer: list) -> str:
    """Who saved the story since the form was opened, and what they changed."""
    saves = []
    for revision in newer:
        what = revisions.describe(revision.changed) or "nothing in the text"
        saves.append(
            f"{revision.author_name} at {reader_time(revision.created_at)} "
            f"({revision.action.lower()}: {what})"
        )
    return (
        "Not saved: this story was changed while you were editing it, by "
        + "; ".join(saves)
        + ". Your text is still in the form below. Copy what you need, open the story "
        "again to see their version, and merge your changes into it."
    )


class ArticleAdminForm(forms.ModelForm):
    # Set by the admin: whose request this form serves.
    request = None

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
    update_at = forms.SplitDateTimeField(
        label="Apply update at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="For “Schedule update”: readers keep the live version until this time.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
            "is_featured",
            "published_at",
            "expires_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version
        self.action = requested_action(self.data) if self.is_bound else ""

    def clean_published_at(self):
        return self.kept_time("published_at")

    def clean_expires_at(self):
        return self.kept_time("expires_at")

    def kept_time(self, field: str):
        """The form shows whole seconds; an unchanged time keeps its stored
        fraction, so saving never nudges a story's times."""
        value, stored = self.cleaned_data.get(field), getattr(self.instance, field)
        if value and stored and value == stored.replace(microsecond=0):
            return stored
        return value

    def clean(self):
        cleaned = super().clean()
        now = timezone.now()
        if self.instance.pk:
            try:
                services.article_lock(
                    article_id=self.instance.pk, base_version=cleaned.get("base_version") or 0
                )
            except services.StoryChanged as changed:
                raise forms.ValidationError(conflict_message(changed.revisions)) from None
        reason = permissions.refusal(self.request.user, self.instance, self.action or "edit", now)
        if reason:
            raise forms.ValidationError(reason)
        lead = cleaned.get("lead_image")
        public_actions = (permissions.PUBLISH, permissions.SCHEDULE, permissions.SCHEDULE_UPDATE)
        public = self.action in public_actions or self.instance.status == Article.Status.PUBLISHED
        if lead and public:
            for problem in services.image_problems(lead, "lead image"):
                self.add_error("lead_image", problem)
        for problem in services.body_picture_problems(cleaned.get("body", ""), words=public):
            self.add_error("body", problem)
        if self.action == permissions.SCHEDULE:
            when = cleaned.get("published_at")
            if not when or when <= now:
                self.add_error("published_at", "To schedule, give a publish time ahead.")
        if self.action == permissions.SCHEDULE_UPDATE:
            when = cleaned.get("update_at")
            if not when or when <= now:
                self.add_error("update_at", "Give the time ahead at which the update goes live.")
            # An update carries the story's content; publication times and
            # the "Updated on" tick act at once, so they are saved on their own.
            for field in {"published_at", "expires_at", "mark_updated"} & set(self.changed_data):
                self.add_error(
                    field, "Save this on its own: a scheduled update carries content only."
                )
        return cleaned


class ImageAdminForm(forms.ModelForm):
    """The picture form: a new file is checked and cleaned before anything
    is stored, and a file already in the library is offered instead."""

    upload: uploads.Upload | None = None
    # A plain file field: `uploads` gives the reasons, not Django's general
    # "not an image or a corrupted image".
    file = forms.FileField(widget=AdminFileWidget(attrs={"accept": "image/*"}))

    class Meta:
        model = Image
        fields = ["file", "focal_x", "focal_y", "title", "alt_text", "caption", "credit"]

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file
        self.upload = uploads.read_upload(file)
        # The desk's form runs inside one transaction: held to its end.
        services.fingerprint_lock(self.upload.content_hash)
        existing = (
            Image.objects.filter(content_hash=self.upload.content_hash)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            raise forms.ValidationError(
                format_html(
                    "This picture is already in the library as <a href='{}'>“{}”</a>; "
                    "use that one.",
                    reverse("admin:articles_image_change", args=[existing.pk]),
                    existing.title,
                ),
                code="duplicate",
            )
        return self.upload.file

    def clean(self):
        cleaned = super().clean()
        stored = Image.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        emptied = stored is not None and any(
            getattr(stored, field).strip() and not cleaned.get(field, "").strip()
            for field in ("alt_text", "credit")
        )
        if emptied:
            shown = (
                Article.objects.showing(self.instance)
                .filter(status=Article.Status.PUBLISHED)
                .first()
            )
            if shown is not None:
                raise forms.ValidationError(
                    f"This picture is shown in “{shown.headline}”, which is published or "
                    "scheduled: it keeps its alt text and credit."
                )
        return cleaned
