import os
from collections.abc import Callable

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application: Callable = get_wsgi_application()

if settings.PAGE_CACHE:
    from articles.pagecache.wsgi import PageCache

    application = PageCache(application)
