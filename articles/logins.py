"""Throttling failed desk logins (django-axes): which address a login comes
from, and what a locked-out person is told."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a login came from. Behind trusted proxies it is the entry
    the outermost of them appended to X-Forwarded-For; everything to its
    left was written by the client. Without a trusted proxy the header is
    ignored, or anyone could lock out any address or dodge their own."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The desk's page for a login from a locked account or address,
    answered instead of the login form (`response`)."""
    context = {
        **admin.site.each_context(request),
        "title": "Login locked",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)
