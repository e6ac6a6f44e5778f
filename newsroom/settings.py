"""
Newsroom settings: one module, every deployment choice read from the
environment, with embedded defaults (SQLite, local-memory cache, media on
local disk) that need no service at all.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import TypedDict

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, *, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Logo(TypedDict):
    path: str
    width: int
    height: int


def env_logo() -> Logo | None:
    """The masthead's logo (SITE_LOGO) and its size in pixels, which the
    page needs before the picture arrives so that nothing moves."""
    path = os.environ.get("SITE_LOGO", "")
    if not path:
        return None
    try:
        width, height = int(os.environ["SITE_LOGO_WIDTH"]), int(os.environ["SITE_LOGO_HEIGHT"])
    except (KeyError, ValueError):
        width = height = 0
    if width <= 0 or height <= 0:
        raise ImproperlyConfigured(
            "SITE_LOGO needs SITE_LOGO_WIDTH and SITE_LOGO_HEIGHT, the picture's "
            "size in pixels, so that the masthead keeps its place while it loads."
        )
    return {"path": path, "width": width, "height": height}


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# A production site must say who it is and keep its key secret: without
# DEBUG, a missing key or host list stops start-up instead of running on a
# guessable default.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=true for local development."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, "
            "comma-separated (for example news.example.com), or set "
            "DJANGO_DEBUG=true for local development."
        )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Search on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "django_prose_editor",
    "axes",
    # Before django_tasks_db: its `db_worker` command replaces the library's.
    "articles",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the desk's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # Readers' pages (reader_templates/): compiled once, cheap to render by the
    # thousand (articles/templating.py says more). Asked first, as readers'
    # pages are the ones served most.
    {
        "BACKEND": "articles.templating.Jinja2",
        "DIRS": [BASE_DIR / "reader_templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.templating.environment",
            "context_processors": ["articles.context_processors.site"],
        },
    },
    # The desk: the admin and its own pages (templates/).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves pages and runs the worker at once: WAL
    # lets readers go on while a writer works, and IMMEDIATE transactions
    # queue writers instead of failing one of them half-way. Options in the
    # URL win, e.g. sqlite:///db.sqlite3?timeout=20 to wait up to 20 seconds
    # (not 5) for a busy file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED", default=True
):
    # Readers' pages run the same few queries with other values on every
    # request, and PostgreSQL plans a story page's query in three times
    # the time it takes to run it. With the values sent apart from the
    # SQL, those queries are kept prepared on each connection
    # (`articles.prepared.kept_prepared`); every other query is planned
    # for its values as before. One query takes at most 65,535 values this
    # way: long lists go in chunks (`services.search.in_chunks`). A pooler
    # in transaction mode that cannot keep prepared statements (PgBouncer
    # before 1.21) needs DATABASE_PREPARED=off. Options in the URL win.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("REDIS_URL"):
    prefix = os.environ.get("CACHE_KEY_PREFIX", "newsroom")

    def redis_cache(part: str) -> dict:
        return {
            "BACKEND": "newsroom.cache.Redis",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"{prefix}{part}",
        }

    CACHES = {
        "default": redis_cache(""),
        "pages": redis_cache(":pages"),
        "page_stamps": redis_cache(":pages"),
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        "page_stamps": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page_stamps",
        },
    }

# Whole public pages kept in each process's memory and answered before
# Django runs (articles/pagecache). Every process must hear every purge:
# through Redis, or through the embedded SQLite database they share.
_embedded = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
PAGE_CACHE = env_bool("PAGE_CACHE", default=bool(redis_url) or _embedded)
if PAGE_CACHE and not redis_url and not _embedded:
    raise ImproperlyConfigured(
        "PAGE_CACHE is on without REDIS_URL: app processes on PostgreSQL hear each "
        "other's purges through Redis. Set REDIS_URL, or PAGE_CACHE=off."
    )
# How many pages each process keeps in memory (about 50 kB each).
PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", "1000"))
# The longest a page is kept, even if nothing it shows changes.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 60 * 60)))
# A CDN in front of the site, told of the same purges (articles/pagecache/cdn.py).
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_STYLE = os.environ.get("CDN_PURGE_STYLE", "fastly")
if CDN_PURGE_STYLE not in ("fastly", "varnish"):
    raise ImproperlyConfigured(
        f"CDN_PURGE_STYLE must be fastly or varnish, not {CDN_PURGE_STYLE!r}."
    )
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")

# django-axes refuses a login from a locked account or address before the
# password is checked, so the right password does not lift a lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The desk writes times as readers read them (newsroom/formats).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Kolkata")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media on object storage (S3, or any server speaking its API: MinIO, Ceph,
# R2) through django-storages, so that every app node and worker reads and
# writes the same pictures. Credentials come the way boto3 finds them
# (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role).
S3_BUCKET = os.environ.get("S3_BUCKET", "")


def s3_media(bucket: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Readers fetch pictures straight from the bucket or the CDN in
            # front of it: public addresses, no signatures that expire.
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "default_acl": None,
            # As on disk: a new file never replaces another of the same name.
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": s3_media(S3_BUCKET)
    if S3_BUCKET
    else {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# The embedded default keeps media on local disk and lets Django serve it, so
# `make run` needs no web server. Production serves media from a web server,
# a CDN or object storage and turns this off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=MEDIA_URL.startswith("/") and not S3_BUCKET)
# Uploads past this size go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# What one request may carry besides files: the story form with the most
# authors, links and tags a story takes and the longest body (200,000
# characters; three times that once a Hindi body is form-encoded) fits, and
# anything much larger is refused before a form is built from it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
# How many proxies in front append the address they saw to X-Forwarded-For.
# Only those entries can be believed: anything further left came from the
# client, which can write whatever it likes there.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_HTTPS_PROXY else "0"))
# HTTPS switches, all off by default so `make run` works over plain HTTP.
# HSTS cannot be taken back before it expires: raise HSTS_SECONDS only once
# the site works over HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Nothing frames our pages: the desk's picture library and the admin's
# related-object forms open in windows of their own.
X_FRAME_OPTIONS = "DENY"

# Readers' pages run no script at all; the admin runs our own static files
# plus the editor's import map, which carries a per-response nonce. Ad
# networks that need outside hosts are listed in CSP_EXTRA_HOSTS.
_csp_extra = env_list("CSP_EXTRA_HOSTS")
_logo = env_logo()
# A logo at an absolute address loads from its own host.
_logo_hosts = [_logo["path"]] if _logo and "://" in _logo["path"] else []
# Pictures on object storage load from the CDN in front of it, the
# S3-compatible server, or Amazon's S3.
_media_hosts = []
if S3_BUCKET:
    _media_hosts = [
        os.environ.get("S3_CUSTOM_DOMAIN")
        or os.environ.get("S3_ENDPOINT_URL")
        or "https://*.amazonaws.com"
    ]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE, *_csp_extra],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [
        CSP.SELF,
        "data:",
        "blob:",
        *_csp_extra,
        *env_list("CSP_MEDIA_HOSTS"),
        *_media_hosts,
        *_logo_hosts,
    ],
    # The headline face is a static file of our own (static/fonts/).
    "font-src": [CSP.SELF, "data:"],
    "frame-src": [CSP.SELF, *_csp_extra],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Failed logins (django-axes). An account is locked after this many wrong
# passwords from any addresses, and an address after this many for any
# accounts, so spreading the guesses over many machines or many accounts
# gets no further. Failures are counted in the database, shared by every
# app node, and forgotten once the cool-off passes without another.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_CLIENT_IP_CALLABLE = "articles.logins.client_address"
AXES_LOCKOUT_CALLABLE = "articles.logins.locked_out"
# The desk registers its own, superuser-only pages for the records.
AXES_ENABLE_ADMIN = False
# No start-up banner in every management command's output.
AXES_VERBOSE = False
# The log names the account and address being locked (never the password),
# which is what an operator reading it needs.
AXES_SENSITIVE_PARAMETERS: list[str] = []

# Background tasks (scheduled updates) queue in the database and are run by
# `manage.py db_worker`, which looks for due tasks every second.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

TAGGIT_CASE_INSENSITIVE = True


class NewsroomSettings(TypedDict):
    SITE_NAME: str
    SITE_URL: str
    SITE_DESCRIPTION: str
    PROMO_LINE: str
    SITE_CARD: str
    LOGO: Logo | None
    PAGE_SIZE: int
    LIVE_POLL_SECONDS: int
    IMAGE_MAX_BYTES: int
    IMAGE_MAX_PIXELS: int
    PREVIEW_HOURS: int
    OVERDUE_AFTER_SECONDS: int
    AD_SLOTS: dict[str, str]
    FEED_FULL_TEXT: bool


# The newsroom itself.
NEWSROOM: NewsroomSettings = {
    "SITE_NAME": os.environ.get("SITE_NAME", "Newsroom Daily"),
    # Absolute origin used in canonical links, e.g. https://news.example.com.
    # Empty: taken from the request.
    "SITE_URL": os.environ.get("SITE_URL", "").rstrip("/"),
    "SITE_DESCRIPTION": os.environ.get(
        "SITE_DESCRIPTION", "National and world news, business, sport and technology."
    ),
    "PROMO_LINE": os.environ.get(
        "SITE_PROMO_LINE",
        "Read all the latest national and world news, as it happens, on Newsroom Daily.",
    ),
    # The picture a shared link shows, and search engines take, for a story
    # without a lead picture: a static file's path or an absolute address,
    # best 1200×630.
    "SITE_CARD": os.environ.get("SITE_CARD_IMAGE", "img/site-card.png"),
    # The masthead's logo, a static file's path or an absolute address;
    # None: the site's name, set in the headline face.
    "LOGO": _logo,
    "PAGE_SIZE": 20,
    # How often an open live page asks for new entries: a request that
    # costs nothing while nothing changed (304 from the page cache).
    "LIVE_POLL_SECONDS": int(os.environ.get("LIVE_POLL_SECONDS", "15")),
    # Uploaded pictures: the largest file, and the most pixels (a 60 MP
    # camera's frame; more is a decompression bomb or a scan).
    "IMAGE_MAX_BYTES": int(os.environ.get("IMAGE_MAX_MB", "30")) * 1_000_000,
    "IMAGE_MAX_PIXELS": 60_000_000,
    # How long a signed preview link works.
    "PREVIEW_HOURS": int(os.environ.get("PREVIEW_HOURS", "48")),
    # A scheduled update still unapplied this long after its time means no
    # worker is running; the desk dashboard says so.
    "OVERDUE_AFTER_SECONDS": 60,
    # Feeds carry each story's full body, not only its standfirst.
    "FEED_FULL_TEXT": env_bool("FEED_FULL_TEXT", default=False),
    # Markup for named ad slots when no slot of that name is set in the
    # admin. Keys are slot names used by the templates.
    "AD_SLOTS": {
        name: '<div class="ad-placeholder">Advertisement</div>'
        for name in ("header", "article-top", "article-bottom", "sidebar", "list")
    },
}
