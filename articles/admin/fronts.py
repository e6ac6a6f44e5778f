"""Front pages on the desk: the home page's and each section's lead and
top stories, placed and ordered by editors (`services.fronts`)."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from .. import permissions
from ..desk import DeskAutocompleteSelect
from ..forms import DeskDateTimeField
from ..models import FRONT_SLOTS, Article, FrontSlot, Section
from ..querysets import front_slots, live_front_slots
from ..services.fronts import Placing, front_arrange


class PlacingForm(forms.Form):
    article = forms.ModelChoiceField(
        label="Story", queryset=Article.objects.filter(status=Article.Status.PUBLISHED)
    )
    pinned_until = DeskDateTimeField(
        label="Pinned until",
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text="Optional: it leaves the front then.",
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["article"])
        field.widget = DeskAutocompleteSelect(FrontSlot._meta.get_field("article"), admin_site)
        field.widget.choices = field.choices


class BasePlacingFormSet(forms.BaseFormSet):
    def placings(self) -> list[Placing]:
        """The rows with a story, in the order their numbers give."""
        return [
            Placing(form.cleaned_data["article"], form.cleaned_data.get("pinned_until"))
            for form in self.ordered_forms
            if form.cleaned_data.get("article")
        ]


PlacingFormSet = cast(
    type[BasePlacingFormSet],
    forms.formset_factory(
        PlacingForm,
        formset=BasePlacingFormSet,
        extra=0,
        max_num=FRONT_SLOTS,
        absolute_max=FRONT_SLOTS,
        validate_max=True,
        can_order=True,
        can_delete=True,
    ),
)


@admin.register(FrontSlot)
class FrontAdmin(admin.ModelAdmin):
    """The list of fronts (the home page, then the section tree) and a page
    to arrange each; no add, change or delete of single rows."""

    def has_module_permission(self, request):
        return permissions.can_arrange_fronts(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_arrange_fronts(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and permissions.can_arrange_fronts(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # The list of fronts and the page to arrange each: no page that
        # changes a single row past the service.
        arrange = self.admin_site.admin_view(self.arrange_view)
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="articles_frontslot_changelist",
            ),
            path("home/", arrange, name="articles_front_home"),
            path("<int:section_id>/", arrange, name="articles_front_section"),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        placed: dict[int | None, list[FrontSlot]] = {}
        slots = live_front_slots(now).select_related("article", "section")
        for slot in slots.order_by("position"):
            placed.setdefault(slot.section_id, []).append(slot)
        fronts: list[tuple[Section | None, str, list[FrontSlot]]] = [
            (None, reverse("admin:articles_front_home"), placed.get(None, []))
        ]
        fronts += [
            (
                section,
                reverse("admin:articles_front_section", args=[section.pk]),
                placed.get(section.pk, []),
            )
            for section in Section.objects.order_by("tree_order")
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Front pages",
            "fronts": fronts,
        }
        return render(request, "admin/articles/frontslot/fronts.html", context)

    def arrange_view(self, request, section_id=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        section = None
        if section_id is not None:
            section = Section.objects.filter(pk=section_id).first()
            if section is None:
                raise Http404("No such section.")
        now = timezone.now()
        site = {"admin_site": self.admin_site}
        if request.method == "POST":
            formset = PlacingFormSet(request.POST, prefix="front", form_kwargs=site)
            if formset.is_valid():
                try:
                    front_arrange(section=section, placings=formset.placings(), user=request.user)
                except ValidationError as refused:
                    # Said above the rows, which keep what was chosen.
                    formset._non_form_errors = formset.error_class(refused.messages)  # type: ignore[attr-defined]
                else:
                    self.message_user(
                        request, f"{_front_name(section)} is arranged.", messages.SUCCESS
                    )
                    return HttpResponseRedirect(request.path)
        else:
            slots = front_slots(section.pk if section else None, now).select_related("article")
            initial = [
                {"article": slot.article, "pinned_until": slot.pinned_until, "ORDER": n}
                for n, slot in enumerate(slots.order_by("position"), start=1)
            ]
            formset = PlacingFormSet(prefix="front", initial=initial, form_kwargs=site)
            # Every place shown, the empty ones to fill.
            formset.extra = FRONT_SLOTS - len(initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Arrange {_front_name(section).lower()}",
            "section": section,
            "front_name": _front_name(section),
            "formset": formset,
            "media": self.media + formset.media,
            "readers_see": _readers_see(section, now),
            "reader_url": section.get_absolute_url() if section else reverse("home"),
            "time_zone": settings.TIME_ZONE,
        }
        return render(request, "admin/articles/frontslot/arrange.html", context)


def _front_name(section: Section | None) -> str:
    return "The home page" if section is None else f"The {section.full_name} front"


def _readers_see(section: Section | None, now) -> list[tuple[Article, bool]]:
    """The front's first stories as readers see them now, each with whether
    the desk placed it there (else recency did)."""
    visible = Article.objects.visible(now).select_related("section").defer("body")
    if section is None:
        stories = visible.front_page(FRONT_SLOTS, now)
    else:
        placed = list(visible.on_front(section.pk, now))
        ids = {story.pk for story in placed}
        newest = visible.in_section(section).newest_first().exclude(pk__in=ids)
        stories = placed + list(newest[: max(FRONT_SLOTS - len(placed), 0)])
    return [(story, getattr(story, "front_position", None) is not None) for story in stories]
