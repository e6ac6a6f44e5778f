"""Start-up refuses an unsafe production configuration with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(
    show="db['ENGINE'], settings.TIME_ZONE, settings.DEBUG", **env
) -> subprocess.CompletedProcess:
    """Start Django with `env` and print `show`, about `settings` and the
    default database `db`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"db = settings.DATABASES['default']; print({show})",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = start(DJANGO_ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = start(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_embedded_defaults_are_sqlite_kolkata_and_no_debug():
    result = start(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="news.example.com")
    assert result.stdout.split() == ["django.db.backends.sqlite3", "Asia/Kolkata", "False"]


def test_database_url_switches_to_postgresql():
    result = start(DJANGO_DEBUG="true", DATABASE_URL="postgres://u@127.0.0.1:5432/news")
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_sqlite_options_in_the_database_url_are_kept():
    result = start(
        "db['OPTIONS']['timeout'], db['OPTIONS']['transaction_mode']",
        DJANGO_DEBUG="true",
        DATABASE_URL="sqlite:///news.sqlite3?timeout=20",
    )
    assert result.stdout.split() == ["20", "IMMEDIATE"]


def test_a_mistyped_debug_flag_is_an_error_not_a_guess():
    result = start(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be true or false" in result.stderr
