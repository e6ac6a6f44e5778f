"""Desk forms: the story form with its tag picker and buttons, and the
picture form. Forms check the shape of what was typed; every rule is the
services', which the forms ask before saving so the desk can explain."""

import copy

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget, AdminSplitDateTime
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.urls import reverse

from . import permissions, revisions
from .models import Article, Byline, Correction, Image, RelatedLink
from .pictures import services as pictures
from .pictures import uploads
from .services import checks, stories
from .validators import TIME_RANGE_WORDS, validate_desk_time


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
        if len(value) > stories.MAX_TAGS:
            raise forms.ValidationError(f"A story carries at most {stories.MAX_TAGS} tags.")
        for name in value:
            if problem := checks.tag_name_problem(name):
                raise forms.ValidationError(problem)


# The largest version a form may claim to have opened (a positive integer
# column holds no more).
VERSION_MAX = 2**31 - 1

# The story form's buttons, in the order the desk sees them: the name each
# posts, the desk's verb, and its label.
BUTTONS = [
    ("_submit", permissions.SUBMIT, "Submit for review"),
    ("_return_to_draft", permissions.RETURN_TO_DRAFT, "Send back to draft"),
    ("_publish", permissions.PUBLISH, "Publish now"),
    ("_schedule", permissions.SCHEDULE, "Schedule at “publish at”"),
    ("_schedule_update", permissions.SCHEDULE_UPDATE, "Schedule these changes as an update"),
    ("_unpublish", permissions.UNPUBLISH, "Unpublish"),
]


def requested_action(data) -> str:
    """The verb of the workflow button a form was posted with; EDIT for a
    plain save."""
    return next((action for button, action, _ in BUTTONS if button in data), permissions.EDIT)


class DeskDateTimeField(forms.SplitDateTimeField):
    """A date and time typed on the desk, within the times the desk takes.
    Years Python cannot carry into UTC (0001 in a zone ahead of it) are
    refused like any other mistyped time, not left to fail later."""

    default_validators = [validate_desk_time]

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except OverflowError:
            raise forms.ValidationError(
                f"Give a time {TIME_RANGE_WORDS}.", code="time_out_of_range"
            ) from None


def story_edit(form: forms.BaseForm, formsets=()) -> stories.StoryEdit:
    """What the story form and its inlines ask of the story, for the
    services: the form's content and publication fields, the byline and
    READ MORE lines as the desk left them, and new corrections."""
    cleaned = form.cleaned_data
    values = {name: cleaned[name] for name in revisions.CONTENT_LABELS if name in cleaned}
    publication = {name: cleaned[name] for name in stories.PUBLICATION_FIELDS if name in cleaned}
    corrections = []
    for formset in formsets:
        if formset.model is Byline:
            values["bylines"] = [row["author"] for row in _kept_rows(formset) if row.get("author")]
        elif formset.model is RelatedLink:
            values["links"] = [
                {name: row.get(name) or None for name in ("target", "after_paragraph")}
                | {name: row.get(name) or "" for name in ("url", "title")}
                for row in _kept_rows(formset)
            ]
        elif formset.model is Correction:
            # A log: only rows added in this form are new corrections.
            added = [form.cleaned_data for form in formset.extra_forms if form.has_changed()]
            # Rows that did not validate (asked in `clean`) may lack a field.
            corrections = [(row.get("kind", ""), row["text"]) for row in added if row.get("text")]
    return stories.StoryEdit.of(
        **values,
        **publication,
        corrections=corrections,
        mark_updated=cleaned.get("mark_updated", False),
        note=cleaned.get("note") or "",
    )


def _kept_rows(formset) -> list[dict]:
    """The rows of an inline the desk kept, in the order of their positions."""
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(rows, key=lambda row: row.get("position") or 0)


# What the services say of the byline and READ MORE lines, which the story
# form shows beside those inlines as well as at its top.
INLINES = ("bylines", "links")


class ArticleAdminForm(forms.ModelForm):
    """The story form: it checks the shape of what was typed, and asks the
    story service whether the save would go through, to explain before
    anything is saved. The service decides again under its lock."""

    # Set by the admin: whose request this form serves.
    request: HttpRequest

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
    update_at = DeskDateTimeField(
        label="Apply update at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="For “Schedule update”: readers keep the live version until this time.",
    )
    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=VERSION_MAX
    )
    # The prepared update this form was opened to change, which scheduling
    # its changes replaces.
    replaces = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=VERSION_MAX
    )
    note = forms.CharField(
        label="Add a note",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the story's reporter and editors, kept with the story, saved with "
        "whichever button you press. “Send back to draft” needs one.",
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
            "is_featured",
            "published_at",
            "expires_at",
            "breaking_until",
            "is_live",
        ]
        field_classes = {
            "published_at": DeskDateTimeField,
            "expires_at": DeskDateTimeField,
            "breaking_until": DeskDateTimeField,
        }
        # A box that shows the whole headline, on as many lines as it takes.
        widgets = {"headline": forms.Textarea(attrs={"rows": 2, "class": "story-headline"})}

    # Text typed into this form before and not saved, put back (set by the admin).
    restored: dict[str, object] = {}
    # The services' refusals of the inlines' rows, by `INLINES` name.
    inline_problems: dict[str, list[str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version
        if not self.is_bound:
            self.initial.update(self.restored)
        self.action = requested_action(self.data) if self.is_bound else permissions.EDIT

    def clean_headline(self):
        # One line, however it was typed or pasted into its box.
        return " ".join(self.cleaned_data["headline"].split())

    def clean_published_at(self):
        return self.kept_time("published_at")

    def clean_expires_at(self):
        return self.kept_time("expires_at")

    def clean_breaking_until(self):
        return self.kept_time("breaking_until")

    def kept_time(self, field: str):
        """The form shows whole seconds; an unchanged time keeps its stored
        fraction, so saving never nudges a story's times."""
        value, stored = self.cleaned_data.get(field), getattr(self.instance, field)
        if value and stored and value == stored.replace(microsecond=0):
            return stored
        return value

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        # Asked even when some field is malformed: a refusal (who may do
        # what, a newer version, what publishing needs) is worth knowing
        # before fixing the fields. The byline and READ MORE lines come in
        # the inlines, which the admin hands over (`story_formsets`).
        formsets = getattr(self.request, "story_formsets", [])
        for formset in formsets:
            formset.is_valid()
        problems = stories.article_desk_problems(
            article=self.instance,
            user=self.request.user,
            edit=story_edit(self, formsets),
            action=self.action,
            base_version=cleaned.get("base_version"),
            update_at=cleaned.get("update_at"),
            replaces=cleaned.get("replaces"),
        )
        self.inline_problems = {name: problems[name] for name in INLINES if name in problems}
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class ImageAdminForm(forms.ModelForm):
    """The picture form: a new file is checked and cleaned before anything
    is stored, and the picture service is asked whether the save would go
    through (a file already in the library, a stale form, words a
    published story needs) to explain before anything is saved."""

    # Set by the admin: whose request this form serves.
    request: HttpRequest
    upload: uploads.Upload | None = None
    # A plain file field: `uploads` gives the reasons, not Django's general
    # "not an image or a corrupted image".
    file = forms.FileField(widget=AdminFileWidget(attrs={"accept": "image/*"}))
    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=VERSION_MAX
    )

    class Meta:
        model = Image
        fields = ["file", "focal_x", "focal_y", "title", "alt_text", "caption", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file
        self.upload = uploads.read_upload(file)
        return self.upload.file

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        candidate = construct_instance(self, copy.copy(self.instance))
        problems = pictures.image_save_problems(
            image=candidate,
            user=self.request.user,
            upload=self.upload,
            base_version=cleaned.get("base_version"),
        )
        for name, errors in problems.items():
            for error in errors:
                if getattr(error, "code", "") == "duplicate":
                    url = reverse("admin:articles_image_change", args=[error.params["pk"]])
                    error = pictures.duplicate_link(error, url)
                self.add_error(name if name in self.fields else None, error)
        return cleaned
