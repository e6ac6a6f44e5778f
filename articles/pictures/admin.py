"""The picture library in the desk: the list, the picture form with its
focal point, the picker the story editor opens, and the lead-picture box
that searches the library by sight."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from .. import permissions
from ..desk import DeletesThroughService, DeskAutocompleteSelect, SavesThroughService
from ..forms import ImageAdminForm
from ..models import Article, Author
from ..validators import ROW_NUMBER
from . import renditions
from . import services as pictures
from .models import Image

USED_IN_ROWS = 20
PICKER_PAGE = 24


def small_rendition_url(image: Image, shape: str, width: int = 0) -> str:
    """The picture's smallest rendition of `shape` at least `width` wide (or
    its widest), for the desk's own screens; the original until it exists."""
    sizes = renditions.made(image, shape)
    if not sizes:
        return image.file.url
    size = next((size for size in sizes if size["width"] >= width), sizes[-1])
    return default_storage.url(size["files"][image.renditions["fallback"]])


class PictureAutocompleteView(AutocompleteJsonView):
    """The desk's search-as-you-type boxes; a picture comes with its
    thumbnail and what it still needs, so the editor picks by sight."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Image):
            result.update(picture_looks(obj))
        return result


def picture_looks(image: Image) -> dict[str, str]:
    """How the desk shows a picture it offers: a thumbnail, the crop a
    social card shows, and what it still needs."""
    return {
        "thumbnail": small_rendition_url(image, "1:1"),
        "social": small_rendition_url(image, "social"),
        "needs": needs_to_publish(image),
    }


class PictureSelect(DeskAutocompleteSelect):
    """The lead-picture box: the same search, its results as thumbnails."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Set up by picture-select.js instead of the admin's own script.
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "picture-autocomplete")
        return attrs

    def optgroups(self, name, value, attr=None):
        # The chosen picture shows as a thumbnail from the start, as one
        # picked in the box does: fetched once, its label handed to the box
        # as a choice it knows.
        numbers = [str(v) for v in value if ROW_NUMBER.fullmatch(str(v))]
        chosen = {str(pk): image for pk, image in Image.objects.in_bulk(numbers).items()}
        label = self.choices.field.label_from_instance
        self.known = {number: label(image) for number, image in chosen.items()}
        groups = super().optgroups(name, value, attr)
        for _, options, _ in groups:
            for option in options:
                if image := chosen.get(str(option["value"])):
                    looks = picture_looks(image)
                    option["attrs"].update({f"data-{key}": text for key, text in looks.items()})
        return groups

    @property
    def media(self):
        # One list, so the script comes after jQuery and select2 it uses.
        base = super().media
        # `_js` and `_css`, the merged lists, are private: the stubs leave them out.
        return forms.Media(
            js=[*base._js, "js/picture-select.js"],  # type: ignore[attr-defined]
            css={"screen": [*base._css.get("screen", []), "css/picture-select.css"]},  # type: ignore[attr-defined]
        )


def refusal(refused: PermissionDenied | ValidationError) -> ValidationError:
    """A service's refusal, as a form shows it."""
    return refused if isinstance(refused, ValidationError) else ValidationError(str(refused))


def picker_query(request) -> str:
    """The picker's own address parameters, kept from step to step: which
    editor callback, or the lead picture, it answers."""
    kept = {name: request.GET[name] for name in ("CKEditorFuncNum", "for") if name in request.GET}
    return urlencode(kept)


def needs_to_publish(image: Image) -> str:
    """“Needs alt text and a credit to publish”, or nothing."""
    missing = image.missing_words()
    return f"Needs {' and '.join(missing)} to publish" if missing else ""


class NeedsWordsFilter(admin.SimpleListFilter):
    """Pictures a story cannot be published with yet."""

    title = "ready to publish"
    parameter_name = "ready"

    def lookups(self, request, model_admin):
        return [("no", "Needs alt text or credit"), ("yes", "Has both")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.needing_words()
        if self.value() == "yes":
            return queryset.having_words()
        return queryset


@admin.register(Image)
class ImageAdmin(DeletesThroughService, SavesThroughService, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "short_caption", "size", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "caption", "credit", "alt_text"]
    list_filter = [NeedsWordsFilter, "uploaded_at"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "size"]
    fields = [
        "file",
        "preview",
        ("focal_x", "focal_y"),
        "size",
        "title",
        "alt_text",
        "caption",
        "credit",
        "base_version",
    ]

    class Media:
        js = ["js/focal-point.js"]
        css = {"screen": ["css/focal-point.css"]}

    @admin.display(description="Picture")
    def thumbnail(self, image):
        # The smallest rendition when it exists: the list must not load
        # every original at full size.
        return format_html(
            '<img src="{}" alt="" width="96" height="72" style="object-fit:cover">',
            small_rendition_url(image, "4:3"),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["used_in"] = self.used_in(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def used_in(self, user, image: Image) -> str:
        """Where the picture is used, among the stories `user` may see on the
        desk: an embargoed draft's headline is not shown to a reporter."""
        seen = permissions.desk_articles(user, Article.objects.all())
        uses = [
            (reverse("admin:articles_article_change", args=[story.pk]), story.headline, how)
            for how, stories in (
                ("lead picture", seen.filter(lead_image=image)),
                ("in the body", seen.filter(body_picture_links__image=image)),
            )
            for story in stories.order_by("-modified_at")[:USED_IN_ROWS]
        ] + [
            (reverse("admin:articles_author_change", args=[author.pk]), author.name, "portrait")
            for author in Author.objects.filter(photo=image)[:USED_IN_ROWS]
        ]
        links = format_html_join("", "<li><a href='{}'>{}</a> ({})</li>", uses)
        return format_html("<ul>{}</ul>", links) if links else "Nothing yet."

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("picker/", view(self.picker_view), name="articles_image_picker"),
            path(
                "picker/<int:pk>/", view(self.picker_focus_view), name="articles_image_picker_focus"
            ),
            path("<int:pk>/shown/", view(self.shown_view), name="articles_image_shown"),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """The library in a window of its own, opened from the story
        editor's picture buttons: search, then click a picture to place it;
        or upload one here, then set its focal point (`picker_focus_view`)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        upload = None
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            upload = self.picker_form(request, Image())
            if upload.is_valid():
                try:
                    self.save_model(request, upload.instance, upload, change=False)
                except (PermissionDenied, ValidationError) as refused:
                    upload.add_error(None, refusal(refused))
                else:
                    focus = reverse("admin:articles_image_picker_focus", args=[upload.instance.pk])
                    return redirect(f"{focus}?{picker_query(request)}")
        term = request.GET.get("q", "").strip()
        pictures, _ = self.get_search_results(request, self.get_queryset(request), term)
        page = Paginator(pictures, PICKER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose a picture",
            "is_popup": True,
            "term": term,
            "page": page,
            "callback": request.GET.get("CKEditorFuncNum", ""),
            "picker_query": picker_query(request),
            "upload": upload,
            "may_upload": self.has_add_permission(request),
            "pictures": [
                {
                    "image": image,
                    "shown": reverse("admin:articles_image_shown", args=[image.pk]),
                    "grid": small_rendition_url(image, "4:3"),
                    **picture_looks(image),
                }
                for image in page
            ],
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    def picker_form(self, request, image: Image):
        """The picture form, bound to what the picker posted: the file and
        words on upload, the focal point after it."""
        data = request.POST.copy()
        for name in ("focal_x", "focal_y"):
            data.setdefault(name, str(getattr(image, name)))
        data.setdefault("base_version", str(image.version or ""))
        for name in ("title", "alt_text", "caption", "credit"):
            data.setdefault(name, getattr(image, name))
        form_class = self.get_form(request, image if image.pk else None, change=bool(image.pk))
        return form_class(data, request.FILES, instance=image)

    def picker_focus_view(self, request, pk):
        """Right after an upload, in the picker's window: click the picture's
        subject, see each crop readers get, then place the picture."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        form = None
        if request.method == "POST" and not permissions.can_change_image(request.user, image):
            # Someone else's picture: placed as it is.
            return self.picker_chosen(request, image)
        if request.method == "POST":
            form = self.picker_form(request, image)
            if form.is_valid():
                try:
                    self.save_model(request, form.instance, form, change=True)
                except (PermissionDenied, ValidationError) as refused:
                    form.add_error(None, refusal(refused))
                else:
                    image.refresh_from_db()
                    return self.picker_chosen(request, image)
        context = {
            **self.admin_site.each_context(request),
            "title": "Set the focal point",
            "is_popup": True,
            "image": image,
            "form": form,
            "may_change": permissions.can_change_image(request.user, image),
            "picker_query": picker_query(request),
            "crops": [
                ("16:9", "Story page", "16 / 9"),
                ("4:3", "Lists and fronts", "4 / 3"),
                ("1:1", "Thumbnails", "1 / 1"),
                ("social", "Social card", "1200 / 630"),
            ],
        }
        return TemplateResponse(request, "admin/articles/image/picker_focus.html", context)

    def picker_chosen(self, request, image: Image):
        """The picture goes back to the story that opened the picker."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Picture placed",
            "is_popup": True,
            "callback": request.GET.get("CKEditorFuncNum", ""),
            "picture": {
                "image": image,
                "shown": reverse("admin:articles_image_shown", args=[image.pk]),
                **picture_looks(image),
            },
        }
        return TemplateResponse(request, "admin/articles/image/picker_chosen.html", context)

    def shown_view(self, request, pk):
        """What the story editor shows for a body picture: an address that
        stays right when the picture's file or focal point changes."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        return redirect(small_rendition_url(image, "full", width=640))

    @admin.display(description="Focal point")
    def preview(self, image):
        if not image.pk:
            return "Save the picture, then click on its subject to set the focal point."
        return format_html(
            '<div class="focal-picker" data-x-field="id_focal_x" data-y-field="id_focal_y">'
            '<img src="{}" alt="" style="display:block;max-width:480px;height:auto">'
            '<span class="focal-marker" aria-hidden="true" style="left:{}%;top:{}%"></span>'
            "</div><p class='help'>Click on the picture's subject: every crop keeps it "
            "in frame.</p>",
            image.file.url,
            round(image.focal_x * 100, 1),
            round(image.focal_y * 100, 1),
        )

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description="Caption")
    def short_caption(self, image):
        return image.caption[:80]

    def may_change(self, user, obj) -> bool:
        return permissions.can_change_image(user, obj)

    def save_model(self, request, obj, form, change):
        pictures.image_save(
            image=obj,
            user=request.user,
            upload=form.upload,
            base_version=form.cleaned_data.get("base_version"),
        )

    def delete_one(self, request, obj):
        pictures.image_delete(image=obj, user=request.user)
