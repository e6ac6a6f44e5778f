import re

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve


def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says. The static name
    # is looked up per request: it is hashed only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def media(request, path):
    # The folder is looked up per request, so a changed setting is obeyed.
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(
            rf"^{re.escape(media_prefix)}(?P<path>.*)$",
            media,
        )
    )

urlpatterns.append(path("", include("articles.urls")))
