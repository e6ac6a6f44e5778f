"""Feeds and sitemaps at archive scale, on PostgreSQL.

Fills a scratch PostgreSQL database with --count live stories (in SQL, a
few seconds per 100,000: 20 sections, one or two of 500 authors each, three
of 2,000 tags each, published over the past years) and times, through
Django's test client in one process:

- the sitemap index and the last stories window, with the cache cold (the
  aggregate over the archive runs) and warm (one query of three indexed
  maximums), and the Google News sitemap (never cached);
- the site's RSS feed built, served from the cache, and answered 304;
- the baseline, in the same run: Django's own `GenericSitemap` with
  `limit=10000` asked for its last page, which counts the archive and skips
  to the page with OFFSET.

    .venv/bin/python bench/distribution.py [--count 100000] [--repeat 5]
        [--database postgres://postgres@127.0.0.1:5432/postgres]

The scratch database (`newsroom_bench_distribution`) is dropped at the end,
unless --keep.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "newsroom_bench_distribution"


def timed(repeat: int, run) -> float:
    """The median of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(connection, count: int) -> None:
    now_sql = "now()"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_section (name, slug, position, description, path, full_name,"
            " depth, tree_order) SELECT 'Section ' || n, 'section-' || n, n, '', 'section-' || n,"
            " 'Section ' || n, 0, lpad(n::text, 4, '0') FROM generate_series(1, 20) n"
        )
        cursor.execute("UPDATE articles_section SET root_id = id")
        cursor.execute(
            "INSERT INTO articles_author (name, slug, kind, role, bio, links) SELECT"
            " 'Author ' || n, 'author-' || n, 'person', '', '', ''"
            " FROM generate_series(1, 500) n"
        )
        cursor.execute(
            "INSERT INTO taggit_tag (name, slug) SELECT 'tag ' || n, 'tag-' || n"
            " FROM generate_series(1, 2000) n"
        )
        cursor.execute(
            "INSERT INTO articles_article (headline, slug, standfirst, body, dateline,"
            " section_id, lead_image_caption, status, is_featured, published_at, created_at,"
            " modified_at, version)"
            " SELECT 'Story number ' || n || ' makes the news', 'story-number-' || n,"
            " 'What happened in story ' || n || ', in one paragraph.',"
            " '<p>First paragraph.</p><p>Second paragraph.</p>', '',"
            " (SELECT min(id) FROM articles_section) + n % 20, '', 'published', false,"
            f" {now_sql} - (({count} - n) * interval '3 minutes'),"
            f" {now_sql} - (({count} - n) * interval '3 minutes'),"
            f" {now_sql} - (({count} - n) * interval '3 minutes'), 1"
            f" FROM generate_series(1, {count}) n"
        )
        cursor.execute(
            "INSERT INTO articles_byline (article_id, author_id, position)"
            " SELECT a.id, (SELECT min(id) FROM articles_author) + a.id % 500, 0"
            " FROM articles_article a"
        )
        cursor.execute(
            "INSERT INTO articles_byline (article_id, author_id, position)"
            " SELECT a.id, (SELECT min(id) FROM articles_author) + (a.id * 7 + 3) % 500, 1"
            " FROM articles_article a WHERE a.id % 3 = 0 AND (a.id * 7 + 3) % 500 <> a.id % 500"
        )
        cursor.execute(
            "INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)"
            " SELECT a.id, ct.id, (SELECT min(id) FROM taggit_tag) + (a.id * k) % 2000"
            " FROM articles_article a, django_content_type ct, (VALUES (1), (13), (101)) t(k)"
            " WHERE ct.app_label = 'articles' AND ct.model = 'article'"
            " ON CONFLICT DO NOTHING"
        )
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    import psycopg

    admin_url = args.database
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=admin_url.rsplit("/", 1)[0] + f"/{SCRATCH}",
        LOG_LEVEL="WARNING",
        STATIC_MANIFEST="false",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.sitemaps import GenericSitemap
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Article
    from articles.sitemaps import WINDOW

    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        fill(connection, args.count)
        print(f"{args.count:,} stories made in {time.perf_counter() - start:.1f} s")
        client = Client()
        # The newest full window.
        last_window = max(
            Article.objects.order_by("-pk").values_list("pk", flat=True)[0] // WINDOW - 1, 0
        )

        def get(url, **headers):
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 304), (url, response.status_code)
            return response

        def cold(url):
            def run():
                cache.clear()
                get(url)

            return run

        window = f"/sitemap-stories-{last_window}.xml"
        rss = get("/feeds/rss.xml")
        rows = [
            ("sitemap index, cache cold", cold("/sitemap.xml")),
            ("sitemap index, cache warm", lambda: get("/sitemap.xml")),
            (f"stories window {last_window}, cache cold", cold(window)),
            (f"stories window {last_window}, warm", lambda: get(window)),
            ("Google News sitemap", lambda: get("/sitemap-news.xml")),
            ("RSS feed, built", cold("/feeds/rss.xml")),
            ("RSS feed, from the cache", lambda: get("/feeds/rss.xml")),
            ("RSS feed, 304", lambda: get("/feeds/rss.xml", **{"If-None-Match": rss["ETag"]})),
        ]
        get("/sitemap.xml")
        print(f"\n{'what':44}{'median ms':>10}")
        results = {}
        for name, run in rows:
            run()
            results[name] = timed(args.repeat, run)
            print(f"{name:44}{results[name]:>10.1f}")

        # The baseline: Django's paginated sitemap, last page.
        baseline = GenericSitemap(
            {
                "queryset": Article.objects.visible().select_related("section").order_by("pk"),
                "date_field": "published_at",
            }
        )
        baseline.limit = WINDOW
        pages = baseline.paginator.num_pages

        def django_last_page():
            fresh = GenericSitemap(
                {
                    "queryset": Article.objects.visible().select_related("section").order_by("pk"),
                    "date_field": "published_at",
                }
            )
            fresh.limit = WINDOW
            fresh.get_urls(
                page=pages, protocol="http", site=type("S", (), {"domain": "testserver"})
            )

        base = timed(args.repeat, django_last_page)
        ours = results[f"stories window {last_window}, cache cold"]
        print(f"{'baseline: Django GenericSitemap, last page':44}{base:>10.1f}")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx(os.environ["BENCH_PROFILE"], globals(), locals(), "/tmp/bench.prof")
            pstats.Stats("/tmp/bench.prof").sort_stats("cumulative").print_stats(30)
        print(f"\nlast window, ours (cold) against Django's paginated sitemap: {base / ours:.1f}x")
    finally:
        connection.close()
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


if __name__ == "__main__":
    main()
