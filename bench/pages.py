"""Readers' pages under load, uncached.

Builds a scratch newsroom (the demo plus --stories synthetic stories, each
with two authors, three tags and two READ MORE links), serves it with
gunicorn and measures requests per second with wrk for each kind of page.
The baseline, measured in the same run, is the cheapest request that still
crosses the whole middleware stack (/favicon.ico, a redirect); the ratio says
what a page costs relative to it, which travels between machines better than
raw figures.

    .venv/bin/python bench/pages.py [--stories 5000] [--seconds 10]

BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres runs it on
PostgreSQL instead of SQLite, in a scratch database made and dropped on that
server. Needs wrk (Debian package `wrk`).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8790


def scratch_postgres(server_url: str) -> tuple[str, callable]:
    """A new empty database on the server, and a function that drops it."""
    import psycopg

    name = f"newsroom_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server_url.rsplit("/", 1)[0] + f"/{name}", drop


def prepare_environment(scratch: Path, database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "bench-only-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "LOG_LEVEL": "WARNING",
        # The pages as Django builds them (serving.py measures the cache).
        "PAGE_CACHE": "off",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def add_stories(count: int) -> None:
    """Synthetic stories in bulk, spread over every section."""
    from datetime import timedelta

    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, Author, Byline, Image, RelatedLink, Section

    sections = list(Section.objects.all())
    authors = list(Author.objects.all())
    images = list(Image.objects.all())
    tags = [
        Tag.objects.get_or_create(name=f"bench topic {n}", slug=f"bench-topic-{n}")[0]
        for n in range(40)
    ]
    now = timezone.now()
    paragraph = "<p>" + "A sentence of reporting that runs to a typical length. " * 6 + "</p>"
    stories = Article.objects.bulk_create(
        Article(
            headline=f"Synthetic story number {n} about the city council",
            slug=f"synthetic-story-{n}",
            standfirst="A one-paragraph summary of what happened and why it matters to readers.",
            body=paragraph * 10,
            dateline="Kolkata",
            section=sections[n % len(sections)],
            lead_image=images[n % len(images)],
            edited_by=authors[0],
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 200),
        )
        for n in range(count)
    )
    Byline.objects.bulk_create(
        Byline(article=story, author=authors[(story.pk + offset) % len(authors)], position=offset)
        for story in stories
        for offset in range(2)
    )
    through = Article.tags.through
    through.objects.bulk_create(
        through(content_object=story, tag=tags[(story.pk + offset) % len(tags)])
        for story in stories
        for offset in range(3)
    )
    RelatedLink.objects.bulk_create(
        link
        for index, story in enumerate(stories)
        for link in (
            RelatedLink(article=story, target=stories[index - 1], position=0, after_paragraph=2),
            RelatedLink(
                article=story, url="https://example.org/report", title="A report", position=1
            ),
        )
    )


def refresh_statistics() -> None:
    """What autovacuum does soon after a bulk load on a real server: without
    it PostgreSQL plans for the empty tables it last saw."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages() -> dict[str, str]:
    from articles.models import Article, Author

    story = Article.objects.visible().select_related("section").latest("published_at")
    author = Author.objects.get(slug="priya-raghunathan")
    return {
        "baseline (/favicon.ico)": "/favicon.ico",
        "article": story.get_absolute_url(),
        "home": "/",
        "section (News, with subsections)": "/news/",
        "tag": "/tag/bench-topic-1/",
        "author": author.get_absolute_url(),
    }


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    for name, url in urls.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
    return counts


def wrk(url: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def serve(env: dict, scratch: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    database_url, drop_database = f"sqlite:///{scratch}/db.sqlite3", lambda: None
    if server := os.environ.get("BENCH_POSTGRES"):
        database_url, drop_database = scratch_postgres(server)
    env = prepare_environment(scratch, database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    add_stories(args.stories)
    refresh_statistics()
    urls = pages()
    counts = query_counts(urls)

    server = serve(env, scratch)
    try:
        rates = {
            name: wrk(f"http://127.0.0.1:{PORT}{url}", args.seconds) for name, url in urls.items()
        }
    finally:
        server.terminate()
        server.wait()
        drop_database()
        shutil.rmtree(scratch, ignore_errors=True)

    baseline = rates["baseline (/favicon.ico)"]
    engine = "PostgreSQL" if "postgres" in env["DATABASE_URL"] else "SQLite"
    print(
        f"\n{args.stories} synthetic stories + demo, {engine}, gunicorn 2 sync workers, "
        f"wrk -t2 -c8 -d{args.seconds}s on the same machine, no page cache\n"
    )
    print(f"{'page':36} {'queries':>7} {'req/s':>8} {'vs baseline':>12}")
    for name, rate in rates.items():
        print(f"{name:36} {counts[name]:>7} {rate:>8.0f} {rate / baseline:>11.2f}x")


if __name__ == "__main__":
    main()
