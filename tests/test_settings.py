"""Start-up refuses an unsafe production configuration with a clear message;
the production switches documented in the README pass Django's deployment
check, and none of them is on by default."""

import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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


def test_postgresql_prepares_what_it_runs_again_unless_told_not_to():
    url = "postgres://u@127.0.0.1:5432/news"
    show = "db['OPTIONS'].get('server_side_binding'), db['OPTIONS'].get('prepare_threshold')"
    # Server-side binding on; which queries are kept prepared is
    # `articles.prepared`'s choice, not every query's fifth run.
    assert start(show, DJANGO_DEBUG="true", DATABASE_URL=url).stdout.split() == ["True", "None"]
    off = start(show, DJANGO_DEBUG="true", DATABASE_URL=url, DATABASE_PREPARED="off")
    assert off.stdout.split() == ["None", "None"]
    own = start(show, DJANGO_DEBUG="true", DATABASE_URL=f"{url}?prepare_threshold=20")
    assert own.stdout.split() == ["True", "20"]


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


def readme_production_command() -> tuple[dict[str, str], list[str]]:
    """The command under "With every production switch on" in README.md:
    the variables it sets, and the command it runs."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"With every production switch on,\s.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert found, "README.md has no production command"
    words = shlex.split(textwrap.dedent(found.group(1)).replace("\\\n", " "))
    variables = {}
    while re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        variables[name] = value
    return variables, words


def test_the_readmes_production_command_passes_the_deployment_check():
    variables, command = readme_production_command()
    assert command[:2] == ["python", "manage.py"]
    result = subprocess.run(
        [sys.executable, *command[1:]],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), **variables},
        capture_output=True,
        text=True,
    )
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0


@pytest.mark.django_db
def test_by_default_the_site_neither_redirects_to_https_nor_sends_hsts(client):
    assert client.get("/").status_code == 200
    over_https = client.get("/", secure=True)
    assert over_https.status_code == 200
    assert "Strict-Transport-Security" not in over_https.headers


def served_by(**env) -> subprocess.CompletedProcess:
    """What answers requests (`newsroom.wsgi.application`) under `env`."""
    base = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.com"}
    return start(
        "type(__import__('newsroom.wsgi').wsgi.application).__name__",
        **{"REDIS_URL": "", "PAGE_CACHE": "", **base, **env},
    )


def test_the_page_cache_answers_first_unless_switched_off():
    assert served_by().stdout.split() == ["PageCache"]
    assert served_by(PAGE_CACHE="off").stdout.split() == ["WSGIHandler"]


def test_on_postgresql_app_processes_hear_purges_through_redis():
    postgres = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/news"}
    assert served_by(**postgres).stdout.split() == ["WSGIHandler"]
    with_redis = served_by(**postgres, REDIS_URL="redis://127.0.0.1:6379/15")
    assert with_redis.stdout.split() == ["PageCache"]
    refused = served_by(**postgres, PAGE_CACHE="on")
    assert refused.returncode != 0
    assert "PAGE_CACHE is on without REDIS_URL" in refused.stderr
