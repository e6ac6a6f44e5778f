"""The desk: the admin site, whose front page is the editors' dashboard,
and what every page of it shares: searches bounded whatever is typed,
pre-filled forms that ignore what does not fit, saves made by services."""

from datetime import datetime, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import smart_split

from . import permissions
from .models import Article, Note, Revision, ScheduledUpdate
from .validators import EARLIEST_TIME, LATEST_AHEAD, ROW_NUMBER, TIME_RANGE_WORDS

# What the desk's admin mixins extend. The type checker sees each mixin as
# the admin class it is mixed into, so what it reaches through `self` and
# `super()` is known; at run time a mixin stays a plain class and leaves
# the order of bases to the admin that uses it.
if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin

    BaseAdminMixin = BaseModelAdmin[Any]
    ModelAdminMixin = admin.ModelAdmin[Any]
    InlineAdminMixin = InlineModelAdmin[Any, Any]
else:
    BaseAdminMixin = ModelAdminMixin = InlineAdminMixin = object

BOARD_ROWS = 10
# A search is a few words: the admin ORs every word over every search field
# and ANDs the words, so a pasted page would build a query no database
# should run.
SEARCH_MAX_WORDS = 8
SEARCH_MAX_CHARACTERS = 200


# What the dashboard shows of a note and a revision: not the story's body,
# nor the copy of the story each revision keeps.
WRITER = ("username", "first_name", "last_name")
NOTE_SHOWN = (
    "article",
    "written_by",
    "text",
    "created_at",
    "article__headline",
    *(f"written_by__{name}" for name in WRITER),
)
REVISION_SHOWN = (
    "article",
    "created_by",
    "action",
    "created_at",
    "article__headline",
    *(f"created_by__{name}" for name in WRITER),
)


def desk_board(user, now: datetime) -> dict:
    """What needs the desk's attention, soonest first. Reporters see their
    own work in review; editors see the whole desk."""
    articles = permissions.desk_articles(user, Article.objects.select_related("section"), now)
    grace = timedelta(seconds=settings.NEWSROOM["OVERDUE_AFTER_SECONDS"])
    # Prepared updates are embargoed copy: editors only.
    updates = ScheduledUpdate.objects.none()
    if permissions.can_publish(user):
        updates = ScheduledUpdate.objects.select_related("article", "created_by")
    # By time: every row has one, as each query asks for a time ahead.
    schedule = sorted(
        [("Publishes", story.published_at, story) for story in articles.scheduled(now)[:BOARD_ROWS]]
        + [
            ("Update", update.due_at, update.article)
            for update in updates.pending().filter(due_at__gt=now)[:BOARD_ROWS]
        ]
        + [("Expires", story.expires_at, story) for story in articles.expiring(now)[:BOARD_ROWS]],
        key=itemgetter(1),
    )[:BOARD_ROWS]
    return {
        "now": now,
        "overdue": list(updates.overdue(now, grace)),
        "failed": list(updates.failed()),
        "in_review": list(articles.in_review()[:BOARD_ROWS]),
        "schedule": schedule,
        "own_drafts": list(
            articles.filter(created_by=user.pk, status=Article.Status.DRAFT).order_by(
                "-modified_at"
            )[:BOARD_ROWS]
        ),
        "recently_published": list(articles.visible(now).newest_first()[:BOARD_ROWS]),
        "notes": list(
            permissions.desk_notes(user, Note.objects.filter(article__in=articles.values("pk")))
            .select_related("article", "written_by")
            .only(*NOTE_SHOWN)
            .order_by("-created_at", "-pk")[:BOARD_ROWS]
        ),
        "activity": list(
            permissions.desk_revisions(
                user, Revision.objects.filter(article__in=articles.values("pk"))
            )
            .select_related("article", "created_by")
            .only(*REVISION_SHOWN)
            # Revisions are numbered as they are made: the newest have the
            # highest keys, found without sorting them all.
            .order_by("-pk")[:BOARD_ROWS]
        ),
    }


# Filters of a list that compare a date.
DATE_LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte", "range", "date"})


class DeskAutocompleteSelect(AutocompleteSelect):
    """The admin's search-as-you-type box, which shows a form sent back
    with an error as it was posted: a posted value that cannot be a row
    number is dropped rather than looked up (a letter, or a number past
    what the database holds, would fail the query)."""

    # The labels of rows the form has loaded already, by value: shown
    # without asking the database again for each row of an inline.
    known: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        numbers = [str(v) for v in value if ROW_NUMBER.fullmatch(str(v))]
        if not numbers or any(number not in self.known for number in numbers):
            return super().optgroups(name, numbers, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for number in numbers:
            label = self.known[number]
            options.append(self.create_option(name, number, label, True, len(options)))
        return [(None, options, 0)]


class SafeAutocomplete(BaseAdminMixin):
    """For the desk's admins and inlines: their autocomplete boxes are
    `DeskAutocompleteSelect`s."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = DeskAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A box that chooses a picture, section or author for this row never
        # offers to delete the chosen one from the library: that is done on
        # the library's own page, which says where it is used.
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_delete_related = False
        return formfield


class LoadedChoices(InlineAdminMixin):
    """For inlines whose rows choose a row elsewhere in a search-as-you-type
    box: the rows are loaded with their choices (`select_related`), and each
    box shows its choice from there, so the form costs the same queries
    however many rows it has."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.select_related(*self.autocomplete_fields) if self.autocomplete_fields else rows

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = list(self.autocomplete_fields)

        class Form(formset.form):  # type: ignore[name-defined]
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in names:
                    field = self.instance._meta.get_field(name)
                    if field.is_cached(self.instance) and (chosen := getattr(self.instance, name)):
                        widget = self.fields[name].widget
                        widget = getattr(widget, "widget", widget)
                        label = self.fields[name].label_from_instance(chosen)
                        widget.known = {str(chosen.pk): label}

        formset.form = Form
        return formset


def bounded_search(term: str) -> str:
    """The first words of what was typed into a search box."""
    words = list(smart_split(term.strip()[: SEARCH_MAX_CHARACTERS * 2]))
    return " ".join(words[:SEARCH_MAX_WORDS])[:SEARCH_MAX_CHARACTERS]


class DeskModelAdmin(SafeAutocomplete, ModelAdminMixin):
    """What every admin page of the desk does, its own or another app's:
    the site mixes it into each admin it registers."""

    def changelist_view(self, request, extra_context=None):
        # A date typed into a list's address (`?published_at__year=9999`)
        # outside the times the desk keeps would fail the query; the list is
        # shown without it, and says why.
        if _dates_out_of_range(request.GET):
            messages.error(request, f"Dates in a list's address must fall {TIME_RANGE_WORDS}.")
            return HttpResponseRedirect(request.path)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, bounded_search(search_term))

    def get_changeform_initial_data(self, request):
        """A form pre-filled from the address (`?section=3`) keeps only
        values its fields accept: a typed-in address is input like any."""
        initial = super().get_changeform_initial_data(request)
        fields = self.get_form(request).base_fields
        kept = {}
        for name, value in initial.items():
            if name not in fields:
                continue
            try:
                kept[name] = _initial_value(fields[name], value)
            except (ValidationError, ValueError, TypeError, OverflowError):
                label = fields[name].label or name
                messages.warning(
                    request,
                    f"The address pre-filled “{label}” with a value it "
                    "cannot take; it is left empty.",
                )
        return kept


def _dates_out_of_range(params) -> bool:
    """Whether a list's filter parameters name a year or a date outside the
    times the desk keeps."""
    for name, value in params.items():
        lookup = name.rpartition("__")[2]
        try:
            if lookup == "year":
                year = int(value)
            elif lookup in DATE_LOOKUPS and (when := parse_date(value[:10])):
                year = when.year
            else:
                continue
        except ValueError:
            continue
        if not EARLIEST_TIME.year <= year <= (timezone.now() + LATEST_AHEAD).year:
            return True
    return False


def _initial_value(field: forms.Field, value):
    if isinstance(field, forms.SplitDateTimeField):
        when = parse_datetime(value) if isinstance(value, str) else None
        if when is None:
            raise ValidationError("Not a time.")
        value = [when.date(), when.time()]
    return field.clean(value)


class SavesThroughService(ModelAdminMixin):
    """For admins whose save is one service call that checks its rules again
    under its locks (stories, pictures). The form asks the service first,
    so a refusal normally comes back as a form error with the typed text
    kept; when something changed between the two (another save landed, a
    story left draft), the form is shown again and now explains."""

    def may_change(self, user, obj) -> bool:
        """Whether `user` may change `obj` itself, to show its form
        editable; the service decides a save."""
        return True

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.method == "POST":
            # A save is judged by the service, which the form asks first: a
            # refused one (the story left draft meanwhile) comes back as the
            # form with its reason and the typed text, not as a bare 403.
            return allowed
        return allowed and self.may_change(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form asks the service as the person saving.
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (PermissionDenied, ValidationError):
            if request.method != "POST":
                raise
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Changed twice in a moment: nothing was saved; say so.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines were saved by the service, not by their formsets; the
        # story's own history records what changed.
        return super().construct_change_message(request, form, [], add)


class DeskAdminSite(admin.AdminSite):
    site_header = f"{settings.NEWSROOM['SITE_NAME']} desk"
    site_title = "Newsroom desk"
    index_title = "Editorial desk"
    index_template = "admin/desk_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeskModelAdmin):
            admin_class = type(admin_class.__name__, (DeskModelAdmin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        from .pictures.admin import PictureAutocompleteView

        return PictureAutocompleteView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        # Tags are the newsroom's, whichever library keeps them: listed
        # under its heading, not the library's.
        apps = super().get_app_list(request, app_label)
        newsroom = next((app for app in apps if app["app_label"] == "articles"), None)
        tags = next((app for app in apps if app["app_label"] == "taggit"), None)
        if newsroom is not None and tags is not None:
            newsroom["models"] = sorted(
                newsroom["models"] + tags["models"], key=lambda model: model["name"]
            )
            apps.remove(tags)
        return apps

    def index(self, request, extra_context=None):
        board = desk_board(request.user, timezone.now())
        return super().index(request, {"desk": board, **(extra_context or {})})


class DeletesThroughService(ModelAdminMixin):
    """Deleting one object or a selection goes through `delete_one`, so the
    service's checks and side effects (the site-wide cache, files) happen
    either way."""

    def delete_one(self, request: HttpRequest, obj) -> None:
        """Delete `obj` through its service: each admin names its own."""
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_one(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_one(request, obj)
