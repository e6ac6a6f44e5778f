"""The story desk: the story form with its workflow buttons, the story list,
revisions, and scheduled updates. Every button and action calls a service,
and every service checks `permissions` again."""

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from taggit.models import Tag

from .. import diffs, permissions, previews, revisions
from ..desk import (
    DeletesThroughService,
    LoadedChoices,
    SafeAutocomplete,
    SavesThroughService,
    bounded_search,
)
from ..formats import join_names, reader_time
from ..forms import BUTTONS, VERSION_MAX, ArticleAdminForm, requested_action, story_edit
from ..links import site_origin, static_url
from ..models import Article, Byline, Correction, RelatedLink, ScheduledUpdate
from ..models.workflow import desk_name
from ..pictures.admin import PictureSelect, small_rendition_url
from ..querysets import ArticleQuerySet, DeskState
from ..richtext import sanitize_body
from ..services import sessions, stories, updates, workflow
from ..validators import ROW_NUMBER
from . import live
from .content import PopularTagFilter, SectionTreeFilter
from .history import RevisionHistory

TAG_SUGGESTIONS = 20
DONE = {
    permissions.SUBMIT: "submitted for review",
    permissions.RETURN_TO_DRAFT: "sent back to draft",
    permissions.PUBLISH: "published",
    permissions.SCHEDULE: "scheduled",
    permissions.UNPUBLISH: "unpublished",
}


# Said once on the story form, not under each of its times.
TIME_ZONE_NOTE = (
    f"Times are {datetime.now(ZoneInfo(settings.TIME_ZONE)).tzname()} ({settings.TIME_ZONE}), "
    "whatever your computer's clock says."
)


# The address parameter that opens the story form with the unsaved text.
RESTORE = "restore"
# The address parameter that opens the story form to change a prepared update.
CHANGE_UPDATE = "update"


def update_form_values(update: ScheduledUpdate) -> dict[str, object]:
    """The story form's values for a prepared update: its changes, as the
    form's fields take them, its time, and which update it replaces."""
    values: dict[str, object] = {}
    for name, value in update.changes.items():
        if name in revisions.REFERENCES:
            values[name] = value[0] if value else None
        elif name not in ("bylines", "links"):
            values[name] = value
    due = timezone.localtime(update.due_at)
    values.update(
        update_at=due,
        mark_updated=update.substantive,
        replaces=update.pk,
    )
    return values


def update_inline_rows(update: ScheduledUpdate) -> dict[str, list[dict]]:
    """A prepared update's byline and READ MORE lines, as inline rows."""
    rows: dict[str, list[dict]] = {}
    if "bylines" in update.changes:
        rows["bylines"] = [
            {"author": author[0], "position": position}
            for position, author in enumerate(update.changes["bylines"])
        ]
    if "links" in update.changes:
        rows["links"] = [
            {**link, "target": link["target"][0] if link["target"] else None, "position": position}
            for position, link in enumerate(update.changes["links"])
        ]
    return rows


# Ten times the longest note: whatever a person typed, not what a script
# might post.
UNSENT_NOTE_KEPT = 20_000


def unsent_note_key(article: Article) -> str:
    """Where a refused note waits in the writer's session to be shown again."""
    return f"newsroom:unsent-note:{article.pk}"


def state_detail(article: Article, state: DeskState) -> str:
    """For a story in review, who sent it and when; otherwise nothing."""
    if state == DeskState.IN_REVIEW and (submission := article.submission):
        return f"sent by {submission.author_name}, {reader_time(submission.created_at)}"
    return ""


def state_words(article: Article, state: DeskState) -> str:
    """Where the story stands, and for one in review who sent it and when."""
    detail = state_detail(article, state)
    return f"{state.label}: {detail}" if detail else state.label


class DeskStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return DeskState.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(desk_state=self.value())
        return queryset


QUICK_VIEWS = [
    ("mine", "My drafts"),
    ("review", "In review"),
    ("today", "Scheduled today"),
    ("live", "Live"),
]


class QuickViewFilter(admin.SimpleListFilter):
    """The lists an editor opens most, offered as tabs above the list."""

    title = "quick view"
    parameter_name = "view"

    def lookups(self, request, model_admin):
        return QUICK_VIEWS

    def queryset(self, request, queryset):
        view = self.value()
        if view == "mine":
            return queryset.filter(created_by=request.user, desk_state=DeskState.DRAFT)
        if view == "review":
            return queryset.filter(desk_state=DeskState.IN_REVIEW)
        if view == "today":
            start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
            return queryset.filter(
                desk_state=DeskState.SCHEDULED,
                published_at__gte=start,
                published_at__lt=start + timedelta(days=1),
            )
        if view == "live":
            return queryset.filter(desk_state=DeskState.LIVE)
        return queryset


class BoundedInline(LoadedChoices):
    """An inline that refuses more rows than `max_num`, with the formset's
    own message, instead of saving them (the admin only stops offering
    more). Opened to change a prepared update, it shows the update's rows
    (`update_field` of its changes) rather than the live story's."""

    update_field = ""

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, validate_max=True, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        rows = update_rows(request).get(self.update_field)
        if rows is None:
            return super().get_extra(request, obj, **kwargs)
        return len(rows) + super().get_extra(request, obj, **kwargs)


def update_rows(request) -> dict[str, list[dict]]:
    """The inline rows of the prepared update the story form was opened to
    change, by the update's field; set by `ArticleAdmin.get_form`."""
    return getattr(request, "story_update_rows", {})


class BylineInline(BoundedInline, SafeAutocomplete, admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    max_num = stories.MAX_BYLINES
    update_field = "bylines"
    verbose_name = "author in the byline"
    verbose_name_plural = "byline (lowest position first)"


class RelatedLinkInline(BoundedInline, SafeAutocomplete, admin.StackedInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target"]
    fields = ["target", "url", "title", "after_paragraph", "position"]
    extra = 0
    max_num = stories.MAX_LINKS
    update_field = "links"
    verbose_name = "READ MORE link"
    verbose_name_plural = "READ MORE links"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only stories this user may see on the desk: a typed-in id of
        # someone else's draft is refused, not shown back by its headline.
        if db_field.name == "target":
            kwargs["queryset"] = permissions.desk_articles(request.user, Article.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorrectionInline(BoundedInline, admin.StackedInline):
    """A log: editors append, nobody rewrites what readers were told."""

    model = Correction
    fields = ["kind", "text", "published_at"]
    readonly_fields = ["published_at"]
    extra = 0
    verbose_name = "correction or clarification"
    verbose_name_plural = "corrections and clarifications (shown at the end of the story)"

    def get_max_num(self, request, obj=None, **kwargs):
        # The corrections already made, and a bound on those one save adds.
        made = obj.corrections.count() if obj is not None and obj.pk else 0
        return made + stories.MAX_CORRECTIONS

    def has_add_permission(self, request, obj=None):
        return permissions.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(DeletesThroughService, SavesThroughService, RevisionHistory, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["story", "state", "section", "byline", "times"]
    list_display_links = ["story"]
    list_filter = [
        QuickViewFilter,
        DeskStateFilter,
        SectionTreeFilter,
        ("authors", admin.RelatedOnlyFieldListFilter),
        PopularTagFilter,
        "published_at",
    ]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "edited_by", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    # Writing on the left; the fieldsets marked "in-panel" go to the
    # panel on the right ("in-panel-head" above the byline), as the
    # story's own change form lays them out.
    fieldsets = [
        (None, {"classes": ["story-copy"], "fields": ["headline", "standfirst", "body"]}),
        ("Notes", {"fields": ["notes_thread", "note"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug", "edited_by"]}),
        (
            "Where it stands",
            {
                "classes": ["in-panel", "in-panel-head"],
                "fields": ["desk_status", "preview_links"],
            },
        ),
        ("Place", {"classes": ["in-panel"], "fields": ["section", "dateline"]}),
        (
            "Publication",
            {
                "classes": ["in-panel"],
                "description": TIME_ZONE_NOTE,
                "fields": [
                    "is_featured",
                    "published_at",
                    "expires_at",
                    "breaking_until",
                    "is_live",
                    "mark_updated",
                    "update_at",
                    "updated_at",
                    "base_version",
                    "replaces",
                ],
            },
        ),
        ("Tags", {"classes": ["in-panel"], "fields": ["tags"]}),
        (
            "Lead picture",
            {"classes": ["in-panel"], "fields": ["lead_image", "lead_image_caption"]},
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Asked to put back what this person typed and did not save: the
        # form opens with it, on the version it was typed on (a save since
        # is then refused as a conflict, not overwritten). Asked to change a
        # prepared update: the form opens with the update's text and time.
        form = super().get_form(request, obj, change, **kwargs)
        if request.method != "GET":
            return form
        if request.GET.get(RESTORE):
            kept = sessions.unsaved_text(user=request.user, article=obj)
            if kept is not None:
                restored = {**kept.unsaved, "base_version": kept.base_version}
                return type(form.__name__, (form,), {"restored": restored})
        if update := self.update_to_change(request, obj):
            request.story_update_rows = update_inline_rows(update)
            opened = update_form_values(update)
            return type(form.__name__, (form,), {"restored": opened})
        return form

    def update_to_change(self, request, article: Article | None) -> ScheduledUpdate | None:
        """The prepared update of `article` the address asks to change
        (`?update=`), if this person may and it is still to come."""
        number = request.GET.get(CHANGE_UPDATE, "")
        if article is None or not ROW_NUMBER.fullmatch(number):
            return None
        if permissions.refusal(request.user, article, permissions.SCHEDULE_UPDATE):
            return None
        return article.scheduled_updates.open().filter(pk=number).first()

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = update_rows(request).get(getattr(inline, "update_field", ""))
        if rows is not None:
            kwargs.update(queryset=inline.model.objects.none(), initial=rows)
        return kwargs

    def _create_formsets(self, request, obj, change):
        # The story form asks the services about the byline and READ MORE
        # lines too, which come in these: a refusal names everything
        # missing at once, before anything is saved. (The admin's own
        # method, private, which the stubs leave out.)
        formsets, inlines = super()._create_formsets(request, obj, change)  # type: ignore[misc]
        request.story_formsets = formsets
        return formsets, inlines

    class Media:
        css = {"all": ["css/story-form.css", "css/story-list.css"]}
        js = ["js/story-form.js"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            kwargs["widget"] = PictureSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "lead_image" and formfield is not None:
            # A new lead picture is uploaded in the picker, where its focal
            # point is set too (the form's own button opens it).
            formfield.widget.can_add_related = False
        return formfield

    def get_queryset(self, request):
        # The admin starts from the model's manager: an `ArticleQuerySet`.
        stories = cast(ArticleQuerySet, super().get_queryset(request))
        stories = stories.with_bylines().with_desk_state().with_submission()
        return permissions.desk_articles(request.user, stories)

    def get_readonly_fields(self, request, obj=None):
        fields = ["desk_status", "story_state", "preview_links", "updated_at", "body_as_written"]
        fields.append("notes_thread")
        return fields + [
            name
            for name in permissions.EDITOR_FIELDS
            if permissions.field_refusal(request.user, name)
        ]

    def get_fieldsets(self, request, obj=None):
        # Scheduling an update only makes sense for a published story, and
        # only editors may; the field would mislead anyone else.
        fieldsets = super().get_fieldsets(request, obj)
        # Looked up with every entry of a fieldset, which may be a row of fields.
        shown_as: dict[object, str]
        hidden, shown_as = set(), {}
        if obj is None or permissions.refusal(request.user, obj, permissions.SCHEDULE_UPDATE):
            hidden.add("update_at")
        if obj is None or permissions.refusal(request.user, obj, permissions.NOTE):
            hidden.update({"notes_thread", "note"})
        if not permissions.can_publish(request.user):
            # Prepared updates are embargoed copy: reporters see the state only.
            shown_as["desk_status"] = "story_state"
        if obj is not None and not permissions.can_edit(request.user, obj):
            # Shown read-only, the version would count revisions kept from
            # this person.
            hidden.add("base_version")
            if request.method != "POST":
                # Only to read (a refused save keeps its form, and the typing
                # in it): the body as formatted text, not its markup, and
                # none of the controls of a form this person cannot send.
                shown_as["body"] = "body_as_written"
                # A note is added below the story instead (`note_view`).
                hidden.update({"mark_updated", "update_at", "note"})
        shown = [
            (
                name,
                {
                    **options,
                    "fields": [shown_as.get(f, f) for f in options["fields"] if f not in hidden],
                },
            )
            for name, options in fieldsets
        ]
        return [(name, options) for name, options in shown if options["fields"]]

    def may_change(self, user, obj) -> bool:
        return permissions.can_edit(user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def delete_one(self, request, obj):
        workflow.article_delete(article=obj, user=request.user)

    @admin.display(description="Story", ordering="headline")
    def story(self, article):
        """The headline, beside a thumbnail of the lead picture."""
        picture = mark_safe('<span class="story-thumbnail" aria-hidden="true"></span>')
        if article.lead_image is not None:
            picture = format_html(
                '<img class="story-thumbnail" src="{}" alt="" width="64" height="64">',
                small_rendition_url(article.lead_image, "1:1"),
            )
        return format_html(
            '<span class="story-cell">{}<span class="story-headline">{}</span></span>',
            picture,
            article.headline,
        )

    @admin.display(description="Publish at", ordering="published_at")
    def times(self, article):
        """When readers first see it, and when they were told it changed."""
        if article.published_at is None:
            return "Not yet set"
        if article.updated_at is None:
            return reader_time(article.published_at)
        return format_html(
            "{}<span class='state-detail'>Updated {}</span>",
            reader_time(article.published_at),
            reader_time(article.updated_at),
        )

    @admin.display(description="State", ordering="desk_state")
    def state(self, article):
        """A badge of the state's colour, and for a story in review who sent it."""
        state = DeskState(article.desk_state)
        badge = format_html(
            '<span class="state-badge state-{}">{}</span>', state.value, state.label
        )
        if detail := state_detail(article, state):
            return format_html("{}<span class='state-detail'>{}</span>", badge, detail)
        return badge

    @admin.display(description="Body")
    def body_as_written(self, article):
        # Sanitised on every save, and again here, as readers' pages are.
        return mark_safe(sanitize_body(article.body))

    @admin.display(description="Notes")
    def notes_thread(self, article):
        """The notes between the story's reporter and its editors, oldest first."""
        notes = article.notes.select_related("written_by")
        if not notes:
            return "No notes yet."
        return format_html_join(
            "",
            "<p class='story-note'><strong>{}</strong>, {}:<br>{}</p>",
            (
                (note.author_name, reader_time(note.created_at), linebreaksbr(note.text))
                for note in notes
            ),
        )

    @admin.display(description="By")
    def byline(self, article):
        return join_names(author.name for author in article.byline_authors)

    @admin.display(description="State")
    def story_state(self, article):
        """The state alone, for reporters: prepared updates are embargoed,
        and the version number would count the revisions that tell of them."""
        if not article.pk:
            return "New story"
        # The plugin cannot see the annotation `with_desk_state()` makes.
        state = Article.objects.with_desk_state().values_list("desk_state", flat=True)  # type: ignore[misc]
        return state_words(article, DeskState(state.get(pk=article.pk)))

    @admin.display(description="State")
    def desk_status(self, article):
        """The state, a link to the history and the prepared updates."""
        if not article.pk:
            return "New story"
        updates = format_html_join(
            "",
            "<br>Update of the {} due {}: {}",
            (
                (
                    revisions.describe(list(u.changes)),
                    reader_time(u.due_at),
                    f"held, not applied. {u.problem}"
                    if u.failed_at
                    else format_html("<a href='{}'>preview</a>", previews.url(u)),
                )
                for u in article.scheduled_updates.open()
            ),
        )
        history = reverse("admin:articles_article_history", args=[article.pk])
        return format_html(
            "{} · version {} · <a href='{}'>history</a>{}",
            self.story_state(article),
            article.version,
            history,
            updates,
        )

    @admin.display(description="Preview")
    def preview_links(self, article):
        if not article.pk:
            return "Save the story to get a preview link."
        hours = previews.lifetime_hours()
        links = format_html(
            "<a href='{}'>Preview as readers will see it</a><br>"
            "<span class='help'>Anyone with the link can read it for {} hours, "
            "without logging in. Search engines are told not to index it.</span>",
            previews.url(article),
            hours,
        )
        if article.is_live:
            live_desk = reverse("admin:articles_article_live", args=[article.pk])
            links += format_html(
                "<p class='live-desk-link'><a class='button' href='{}'>{}</a></p>",
                live_desk,
                "Live desk: post an entry" if not article.coverage_ended_at else "Live desk",
            )
        return links

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        context: dict[str, object] = {
            "desk_buttons": self.desk_buttons(request, article) if article else [],
            "show_save_and_add_another": False,
            **self.writing_context(request, article),
        }
        # On a story only to read: not on a refused save shown again, whose
        # kept typing these would throw away.
        if article and request.method == "GET" and not permissions.can_edit(request.user, article):
            context.update(self.readonly_extras(request, article))
        if article:
            context.update(self.update_extras(request, article))
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)

    def update_extras(self, request, article: Article) -> dict[str, object]:
        """The story's prepared updates, each as what it changes in the live
        story, to change or cancel; or, opened to change one, only the
        button that schedules the changes again (also when a refused save
        shows the form again, and when the update went meanwhile: the form
        holds its text, which must not go on the live story by mistake)."""
        number = request.GET.get(CHANGE_UPDATE, "")
        may = not permissions.refusal(request.user, article, permissions.SCHEDULE_UPDATE)
        changing = self.update_to_change(request, article)
        if may and ROW_NUMBER.fullmatch(number) and (changing or request.method == "POST"):
            return {
                "changing_mode": True,
                "changing_update": changing,
                "unsaved_offer": None,
                "desk_buttons": [
                    (name, label)
                    for name, label in self.desk_buttons(request, article)
                    if name == "_schedule_update"
                ],
                "show_save": False,
                "show_save_and_continue": False,
                "show_delete_link": False,
                # What is typed here is the update's, not the story's.
                "story_session_url": "",
            }
        if not may or request.method != "GET":
            return {}
        prepared = list(article.scheduled_updates.open().select_related("created_by"))
        if not prepared:
            return {}
        live = revisions.snapshot(article)
        change = reverse("admin:articles_article_change", args=[article.pk])
        return {
            "pending_updates": [
                {
                    "update": update,
                    "by": desk_name(update.created_by, missing="A former editor"),
                    "rows": diffs.diff(live, {**live, **update.changes}),
                    "preview": previews.url(update),
                    "change": f"{change}?{CHANGE_UPDATE}={update.pk}",
                    "cancel": reverse(
                        "admin:articles_article_cancel_update", args=[article.pk, update.pk]
                    ),
                }
                for update in prepared
            ]
        }

    def readonly_extras(self, request, article: Article) -> dict[str, object]:
        """What a story only to read offers: withdrawing it from review, for
        its reporter, and a note, on its own (a refused one comes back typed)."""
        extras: dict[str, object] = {}
        if not permissions.refusal(request.user, article, permissions.WITHDRAW):
            extras["withdraw_url"] = reverse("admin:articles_article_withdraw", args=[article.pk])
        if not permissions.refusal(request.user, article, permissions.NOTE):
            extras["note_url"] = reverse("admin:articles_article_note", args=[article.pk])
            extras["note_text"] = request.session.pop(unsent_note_key(article), "")
        return extras

    def changelist_view(self, request, extra_context=None):
        view = request.GET.get(QuickViewFilter.parameter_name, "")
        views = [("", "All stories"), *QUICK_VIEWS]
        quick_views = [
            (label, f"?{QuickViewFilter.parameter_name}={key}" if key else "?", key == view)
            for key, label in views
        ]
        context = {"quick_views": quick_views, **(extra_context or {})}
        return super().changelist_view(request, context)

    def add_view(self, request, form_url="", extra_context=None):
        context = {
            "desk_buttons": self.desk_buttons(request, Article()),
            "show_save_and_add_another": False,
            **self.writing_context(request, None),
        }
        return super().add_view(request, form_url, {**context, **(extra_context or {})})

    def writing_context(self, request, article: Article | None) -> dict[str, object]:
        """What the form's previews start from: the site as search results
        and social cards name it, the story's address and its social crop."""
        origin = site_origin(request)
        address = self.view_on_site(article) if article is not None else None
        social = ""
        if article is not None and article.lead_image is not None:
            social = small_rendition_url(article.lead_image, "social")
        session_url, offer = "", None
        if not permissions.editing_refusal(request.user, article):
            session_url = (
                reverse("admin:articles_article_editing", args=[article.pk])
                if article is not None
                else reverse("admin:articles_article_editing_new")
            )
            if request.method == "GET":
                offer = sessions.unsaved_text(user=request.user, article=article)
        return {
            "story_session_url": session_url,
            "story_kept_fields": " ".join(sessions.KEPT_FIELDS),
            "unsaved_offer": offer
            and not request.GET.get(RESTORE)
            and {
                "at": reader_time(offer.unsaved_at),
                "since_saved": article is not None and offer.base_version < article.version,
            },
            "restored": bool(offer and request.GET.get(RESTORE)),
            "story_site": {
                "name": settings.NEWSROOM["SITE_NAME"],
                "host": urlsplit(origin).netloc,
                "address": address or "",
                "card": static_url(settings.NEWSROOM["SITE_CARD"]),
            },
            "story_social": social,
        }

    def desk_buttons(self, request, article) -> list[tuple[str, str]]:
        """The workflow buttons this user may press for this story now."""
        now = timezone.now()
        return [
            (name, label)
            for name, action, label in BUTTONS
            if not permissions.refusal(request.user, article, action, now)
        ]

    def view_on_site(self, article):
        # The address readers have now, not the one a form sent back with
        # an error would give.
        live = Article.objects.visible().select_related("section").filter(pk=article.pk).first()
        return live.get_absolute_url() if article.pk and live else None

    # Saving -----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing is saved here: the story, its inlines and the button
        pressed go to the story service together, in `save_related`."""

    def save_related(self, request, form, formsets, change):
        saved = stories.article_desk_save(
            article=form.instance,
            user=request.user,
            edit=story_edit(form, formsets),
            action=form.action,
            base_version=form.cleaned_data.get("base_version"),
            update_at=form.cleaned_data.get("update_at"),
            replaces=form.cleaned_data.get("replaces"),
        )
        if level_message := self.outcome(saved):
            self.message_user(request, level_message[1], level_message[0])

    def outcome(self, saved: stories.DeskSave) -> tuple[int, str] | None:
        """What the desk is told after a workflow button; a plain save gets
        the admin's usual message."""
        headline = saved.article.headline
        if saved.action == permissions.SCHEDULE_UPDATE:
            if saved.update is None:
                done = "The correction is published; " if saved.corrected else ""
                return messages.WARNING, f"{done}nothing else changed, so no update was scheduled."
            return messages.SUCCESS, (
                f"Update of the {revisions.describe(list(saved.update.changes))} scheduled for "
                f"{reader_time(saved.update.due_at)}. Readers see the live version until then."
            )
        if saved.action not in DONE:
            return None
        if saved.refused:
            verb = DONE[saved.action]
            return messages.ERROR, f"Your changes are saved, but not {verb}: {saved.refused}"
        return messages.SUCCESS, f"“{headline}” was saved and {DONE[saved.action]}."

    def response_change(self, request, obj):
        # After a workflow button the desk stays on the story, told what
        # happened (by `save_related`).
        if requested_action(request.POST) == permissions.EDIT:
            return super().response_change(request, obj)
        return HttpResponseRedirect(request.path)

    def response_add(self, request, obj, post_url_continue=None):
        if requested_action(request.POST) == permissions.EDIT:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    # List actions -----------------------------------------------------------

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Offered only to those who may use them; the services refuse anyone
        # else whatever the request says.
        actions = super().get_actions(request, action_location)
        if not permissions.can_publish(request.user):
            actions.pop("publish_now", None)
            actions.pop("unpublish", None)
        return actions

    def run_on_each(self, request, queryset, service, verb: str):
        done, refused = 0, []
        for article in queryset:
            try:
                service(article=article, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"“{article.headline}”: {reason}")
        if done:
            self.message_user(request, f"{done} stories {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not {verb}: {line}", messages.ERROR)

    @admin.action(description="Submit the selected stories for review")
    def submit_for_review(self, request, queryset):
        self.run_on_each(request, queryset, workflow.article_submit, "submitted for review")

    @admin.action(description="Publish the selected stories now")
    def publish_now(self, request, queryset):
        self.run_on_each(request, queryset, workflow.article_publish, "published")

    @admin.action(description="Unpublish the selected stories")
    def unpublish(self, request, queryset):
        self.run_on_each(request, queryset, workflow.article_unpublish, "unpublished")

    # History, revisions and tags -------------------------------------------

    def get_urls(self):
        return [
            path(
                "tags/autocomplete/",
                self.admin_site.admin_view(self.tag_autocomplete),
                name="articles_article_tag_autocomplete",
            ),
            path(
                "<path:object_id>/notes/",
                self.admin_site.admin_view(self.note_view),
                name="articles_article_note",
            ),
            path(
                "editing/",
                self.admin_site.admin_view(self.editing_view),
                name="articles_article_editing_new",
            ),
            path(
                "<path:object_id>/editing/",
                self.admin_site.admin_view(self.editing_view),
                name="articles_article_editing",
            ),
            path(
                "<path:object_id>/updates/<int:update>/cancel/",
                self.admin_site.admin_view(self.cancel_update_view),
                name="articles_article_cancel_update",
            ),
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="articles_article_withdraw",
            ),
            path(
                "<path:object_id>/live/",
                self.admin_site.admin_view(self.live_view),
                name="articles_article_live",
            ),
            path(
                "<path:object_id>/live/<int:entry_id>/",
                self.admin_site.admin_view(self.live_view),
                name="articles_article_live_entry",
            ),
            path(
                "<path:object_id>/live/<int:entry_id>/delete/",
                self.admin_site.admin_view(self.live_delete_view),
                name="articles_article_live_delete",
            ),
            path(
                "<path:object_id>/live/coverage/<str:action>/",
                self.admin_site.admin_view(self.live_coverage_view),
                name="articles_article_live_coverage",
            ),
            path(
                "<path:object_id>/history/<int:number>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def live_view(self, request, object_id, entry_id=None):
        return live.live_desk_view(self, request, object_id, entry_id)

    def live_delete_view(self, request, object_id, entry_id):
        return live.live_action_view(self, request, object_id, "delete", entry_id)

    def live_coverage_view(self, request, object_id, action):
        if action not in ("end", "reopen"):
            raise Http404("No such action.")
        return live.live_action_view(self, request, object_id, action)

    def story_action(self, request, object_id, act: Callable[[Article], str]):
        """POST only: `act` on the story (a service call), then back to the
        story with what `act` says, or the reason it was refused."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such story.")
        if request.method == "POST":
            try:
                done = act(article)
            except (PermissionDenied, ValidationError) as refused:
                reason = " ".join(getattr(refused, "messages", [str(refused)]))
                self.message_user(request, reason, messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def note_view(self, request, object_id):
        """A note added to a story its writer may only read."""
        text = request.POST.get("note_text", "")

        def add(article: Article) -> str:
            try:
                workflow.note_add(article=article, user=request.user, text=text)
            except (PermissionDenied, ValidationError):
                # Shown again, typed, with the reason (within what a session keeps).
                request.session[unsent_note_key(article)] = text[:UNSENT_NOTE_KEPT]
                raise
            return "Your note is added to the story."

        return self.story_action(request, object_id, add)

    def editing_view(self, request, object_id=None):
        """The story form says it is open, with what is typed in it and not
        saved (JSON: `unsaved`, `version`; or `leaving`), and is told who
        else has the story open and who saved it since it was opened."""
        if request.method != "POST":
            return JsonResponse({"error": "Send the form's report by POST."}, status=405)
        article = None
        if object_id is not None and (article := self.get_object(request, object_id)) is None:
            return JsonResponse({"error": "No such story."}, status=404)
        try:
            report = json.loads(request.body or b"{}")
        except ValueError:
            report = None
        version = report.get("version", 0) if isinstance(report, dict) else None
        if (
            not isinstance(version, int)
            or isinstance(version, bool)
            or not 0 <= version <= VERSION_MAX
        ):
            return JsonResponse({"error": "The report is not the story form's."}, status=400)
        now = timezone.now()
        try:
            if report.get("leaving"):
                sessions.editing_leave(user=request.user, article=article)
                return JsonResponse({})
            seen = sessions.editing_report(
                user=request.user,
                article=article,
                unsaved=report.get("unsaved"),
                base_version=version,
                now=now,
            )
        except PermissionDenied as refused:
            return JsonResponse({"error": str(refused)}, status=403)
        except ValidationError as problem:
            return JsonResponse({"error": " ".join(problem.messages)}, status=400)
        return JsonResponse(
            {
                "others": [other.person_name for other in seen.others],
                "version": seen.version,
                "newer": seen.newer
                and {"name": seen.newer.author_name, "at": reader_time(seen.newer.created_at)},
                "kept": bool(report.get("unsaved")) and reader_time(now),
            }
        )

    def cancel_update_view(self, request, object_id, update):
        """An editor cancels a prepared update of the story."""

        def cancel(article: Article) -> str:
            prepared = article.scheduled_updates.filter(pk=update).first()
            if prepared is None or not updates.update_cancel(update=prepared, user=request.user):
                raise ValidationError("That update was applied or cancelled already.")
            return (
                f"The update due {reader_time(prepared.due_at)} is cancelled; "
                "the live story stays as it is."
            )

        return self.story_action(request, object_id, cancel)

    def withdraw_view(self, request, object_id):
        """The reporter takes their story back from review."""

        def withdraw(article: Article) -> str:
            workflow.article_withdraw(article=article, user=request.user)
            return f"“{article.headline}” is back in your drafts: edit it and submit it again."

        return self.story_action(request, object_id, withdraw)

    def tag_autocomplete(self, request):
        """Tags as the editor types, among those the person may see."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"error": "Not allowed."}, status=403)
        term = bounded_search(request.GET.get("term", ""))
        tags = permissions.desk_tags(request.user, Tag.objects.filter(name__icontains=term))
        tags = tags.order_by("name")[:TAG_SUGGESTIONS]
        return JsonResponse(
            {
                "results": [{"id": tag.name, "text": tag.name} for tag in tags],
                "pagination": {"more": False},
            }
        )
