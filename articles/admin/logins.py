"""Desk logins (django-axes), for superusers only: failed attempts, whose
deletion lifts a lockout, and the record of successful logins."""

from axes.admin import AccessAttemptAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin

from .. import permissions


class SuperusersOnly:
    def has_module_permission(self, request):
        return permissions.can_manage_logins(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_logins(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_logins(request.user)


@admin.register(AccessAttempt)
class FailedLoginAdmin(SuperusersOnly, AccessAttemptAdmin):
    # Axes's "Clean up expired attempts" action reads attributes that only a
    # login request carries and fails on the desk; deleting the selected
    # records lifts their lockouts instead.
    actions: list[str] = []


@admin.register(AccessLog)
class LoginAdmin(SuperusersOnly, AccessLogAdmin):
    def has_delete_permission(self, request, obj=None):
        # A record of who logged in is pruned by `axes_reset_logs`, not here.
        return False
