"""The queue of prepared updates of live stories, made from the story form."""

from typing import cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from .. import previews, revisions
from ..formats import reader_time
from ..models import ScheduledUpdate
from ..querysets import ScheduledUpdateQuerySet
from ..services import updates


@admin.register(ScheduledUpdate)
class ScheduledUpdateAdmin(admin.ModelAdmin):
    """The queue of prepared updates. They are made from the story form;
    here they are cancelled, or applied by hand when they are overdue."""

    list_display = ["article", "due_at", "what", "state", "created_by", "preview"]
    list_filter = ["due_at"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__headline"]
    actions = ["cancel", "apply_due"]

    def get_queryset(self, request):
        # The admin starts from the model's manager: a `ScheduledUpdateQuerySet`.
        return cast(ScheduledUpdateQuerySet, super().get_queryset(request)).with_is_pending()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Changes")
    def what(self, update):
        return revisions.describe(list(update.changes))

    @admin.display(description="State")
    def state(self, update):
        if update.applied_at:
            return f"Applied {reader_time(update.applied_at)}"
        if update.cancelled_at:
            return f"Cancelled {reader_time(update.cancelled_at)}"
        if update.failed_at:
            return f"Held, not applied: {update.problem}"
        return "Pending"

    @admin.display(description="Preview")
    def preview(self, update):
        if not update.is_pending:
            return "—"
        return format_html("<a href='{}'>preview</a>", previews.url(update))

    @admin.action(description="Cancel the selected updates")
    def cancel(self, request, queryset):
        cancelled = 0
        for update in queryset:
            try:
                cancelled += updates.update_cancel(update=update, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(request, f"{cancelled} updates cancelled.", messages.SUCCESS)

    @admin.action(description="Apply the selected updates now, if due (when no worker runs)")
    def apply_due(self, request, queryset):
        try:
            applied = sum(
                updates.update_apply(update_id=update.pk, user=request.user) for update in queryset
            )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        left = queryset.count() - applied
        self.message_user(
            request,
            f"{applied} updates applied."
            + (f" {left} not yet due, held for the desk, or done already." if left else ""),
            messages.SUCCESS if applied else messages.WARNING,
        )
