"""The live desk of a live story: a short form to post an entry in a few
seconds, the entries with their history, and the coverage's end. Every
button calls `services.live`, which checks who may."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from .. import permissions
from ..desk import DeskAutocompleteSelect
from ..formats import reader_time
from ..forms import DeskDateTimeField
from ..models import Article, Author, Image, LiveEntry, LiveEntryRevision
from ..pictures.admin import PictureSelect
from ..services import live
from ..services.live import CORRECTION_MAX, HEADLINE_MAX, EntryText


class LiveEntryForm(forms.Form):
    headline = forms.CharField(
        label="Headline", max_length=HEADLINE_MAX, required=False, help_text="Optional."
    )
    body = cast(ProseEditorField, LiveEntry._meta.get_field("body")).formfield(label="Text")
    image = forms.ModelChoiceField(
        label="Picture", queryset=Image.objects.all(), required=False, help_text="Optional."
    )
    author = forms.ModelChoiceField(label="By", queryset=Author.objects.all(), required=False)
    is_key_event = forms.BooleanField(label="Key event", required=False)
    is_pinned = forms.BooleanField(label="Pin to the top", required=False)
    publish_at = DeskDateTimeField(
        label="Post at",
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text="Optional: a time ahead schedules it; empty posts it now.",
    )
    correction = forms.CharField(
        label="What was corrected",
        max_length=CORRECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to readers under an entry they have seen.",
    )

    def __init__(self, *args, admin_site, entry: LiveEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, widget in (("image", PictureSelect), ("author", DeskAutocompleteSelect)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.widget = widget(LiveEntry._meta.get_field(name), admin_site)
            field.widget.choices = field.choices
        if entry is None or entry.published_at > timezone.now():
            del self.fields["correction"]

    def text(self) -> EntryText:
        data = self.cleaned_data
        return EntryText(
            body=data["body"],
            headline=data.get("headline") or "",
            image=data.get("image"),
            author=data.get("author"),
            is_pinned=bool(data.get("is_pinned")),
            is_key_event=bool(data.get("is_key_event")),
            publish_at=data.get("publish_at"),
        )

    def refused(self, error: ValidationError) -> None:
        """The service's reasons, beside the fields they concern."""
        for name, messages_ in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages_)


def _initial(entry: LiveEntry) -> dict:
    return {
        "headline": entry.headline,
        "body": entry.body,
        "image": entry.image_id,
        "author": entry.author_id,
        "is_key_event": entry.is_key_event,
        "is_pinned": entry.is_pinned,
        "publish_at": entry.published_at if entry.published_at > timezone.now() else None,
    }


def live_desk_view(model_admin, request, object_id, entry_id=None):
    """GET: the live desk (or one entry's form); POST: post the entry, or
    save the change, through the service."""
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404("No such story.")
    if not permissions.can_post_live(request.user):
        raise PermissionDenied("Only editors post to live coverage.")
    entry = None
    if entry_id is not None:
        entry = LiveEntry.objects.filter(article=article, pk=entry_id).first()
        if entry is None:
            raise Http404("No such entry.")
    site = model_admin.admin_site
    here = _desk_url(article)
    if request.method == "POST":
        form = LiveEntryForm(request.POST, admin_site=site, entry=entry)
        if form.is_valid():
            try:
                if entry is None:
                    posted = live.live_entry_post(
                        article=article, user=request.user, text=form.text()
                    )
                    said = _posted_message(posted)
                else:
                    live.live_entry_change(
                        entry=entry,
                        user=request.user,
                        text=form.text(),
                        correction=form.cleaned_data.get("correction") or "",
                    )
                    said = "The entry is changed."
            except ValidationError as refused:
                form.refused(refused)
            else:
                model_admin.message_user(request, said, messages.SUCCESS)
                return HttpResponseRedirect(here)
    else:
        initial = _initial(entry) if entry else {"author": _own_author(request.user)}
        form = LiveEntryForm(initial=initial, admin_site=site, entry=entry)
    now = timezone.now()
    entries = list(
        LiveEntry.objects.filter(article=article).select_related("author", "image", "created_by")
    )
    context = {
        **site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Live: {article.headline}" if entry is None else "Change a live entry",
        "article": article,
        "entry": entry,
        "form": form,
        "media": model_admin.media + form.media,
        "entries": entries,
        "now": now,
        "history": LiveEntryRevision.objects.filter(article=article).select_related("created_by")[
            :30
        ],
        "reader_url": article.get_absolute_url(),
    }
    return render(request, "admin/articles/article/live.html", context)


def live_action_view(model_admin, request, object_id, action: str, entry_id=None):
    """POST only: delete an entry, end or reopen the coverage."""
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404("No such story.")
    if request.method != "POST":
        return HttpResponseRedirect(_desk_url(article))
    try:
        if action == "delete":
            entry = LiveEntry.objects.filter(article=article, pk=entry_id).first()
            if entry is None:
                raise Http404("No such entry.")
            live.live_entry_delete(entry=entry, user=request.user)
            said = "The entry is deleted: readers no longer see it."
        elif action == "end":
            live.live_coverage_end(article=article, user=request.user)
            said = "Coverage has ended: readers are told, and open pages stop asking."
        else:
            live.live_coverage_reopen(article=article, user=request.user)
            said = "Coverage is open again."
    except (PermissionDenied, ValidationError) as refused:
        text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        model_admin.message_user(request, text, messages.ERROR)
    else:
        model_admin.message_user(request, said, messages.SUCCESS)
    return HttpResponseRedirect(_desk_url(article))


def _desk_url(article: Article) -> str:
    return reverse("admin:articles_article_live", args=[article.pk])


def _own_author(user) -> int | None:
    return Author.objects.filter(user=user).values_list("pk", flat=True).first()


def _posted_message(entry: LiveEntry) -> str:
    if entry.published_at > timezone.now():
        return f"The entry is scheduled for {reader_time(entry.published_at)}."
    return "The entry is live."
