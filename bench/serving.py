"""Readers' pages as `make serve` serves them, cached and uncached, each
beside the same gunicorn returning a fixed page of the same size.

Builds a scratch newsroom (the demo plus `generate_stories --count N`),
serves it with `make serve` (3 sync workers, Redis for the caches) with the
page cache on and then off (`PAGE_CACHE=off`), and drives each kind of page
with the shared wrk harness (`../shared/bench/http_bench.sh`), which then
serves a page of the same bytes from a bare WSGI app on the same gunicorn:
the ceiling of that stack. Each figure is reported as a ratio of its own
ceiling, measured in the same run.

    .venv/bin/python bench/serving.py --stories 10000
    .venv/bin/python bench/serving.py --stories 100000 --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/serving.py --kinds article,section --modes uncached --wagtail

With --wagtail, the Wagtail newsroom in ../shared/bench/wagtail-anchor (set
up with `make -C ../shared/bench/wagtail-anchor setup`) is measured in the
same run, uncached, on its own article and section pages: both sites are
served at once and measured in turns, Newsroom then Wagtail, --runs times,
so that the machine's drift over minutes falls on both alike; the ratio
given is the median of each turn's own. Needs wrk, curl and Redis
(REDIS_URL, default redis://127.0.0.1:6379/14, flushed).
"""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import ROOT, manage, scratch_postgres  # noqa: E402

HARNESS = ROOT.parent / "shared" / "bench" / "http_bench.sh"
WAGTAIL = ROOT.parent / "shared" / "bench" / "wagtail-anchor"
PORT = 8791
ARTICLES = 400
# The Wagtail newsroom's lists of addresses, by the kind of page they hold.
WAGTAIL_PAGES = {"article": "urls-articles.txt", "section": "urls-sections.txt"}


def environment(scratch: Path, database_url: str, redis_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "bench-only-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "LOG_LEVEL": "WARNING",
        "PORT": str(PORT),
        "WORKERS": "3",
    }
    env.pop("DJANGO_DEBUG", None)
    os.environ.update(env)
    return env


def url_lists(scratch: Path) -> dict[str, Path]:
    """Paths to cycle through, one file per kind of page."""
    import django

    django.setup()
    from articles.models import Article, Section

    rng = random.Random(7)
    live = list(Article.objects.visible().values_list("pk", flat=True))
    chosen = Article.objects.filter(pk__in=rng.sample(live, min(ARTICLES, len(live))))
    words = [
        word
        for headline in chosen.values_list("headline", flat=True)[:50]
        for word in headline.split()[:2]
        if len(word) > 3
    ]
    section_paths = Section.objects.values_list("path", flat=True)
    kinds = {
        "article": [story.get_absolute_url() for story in chosen.select_related("section")],
        "section": [section.get_absolute_url() for section in Section.objects.all()],
        "home": ["/"],
        "search": [f"/search/?q={word}" for word in words],
        "feed": ["/feeds/rss.xml"] + [f"/feeds/section/{path}/rss.xml" for path in section_paths],
        "news sitemap": ["/sitemap-news.xml"],
    }
    files = {}
    for kind, paths in kinds.items():
        files[kind] = scratch / f"urls-{kind.replace(' ', '-')}.txt"
        files[kind].write_text("\n".join(paths) + "\n")
    return files


def serve(env: dict, log: Path, **extra: str) -> subprocess.Popen:
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env={**env, **extra},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for(f"http://127.0.0.1:{env['PORT']}/robots.txt")
    return server


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered at {url}")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def warm(origin: str, urls: Path) -> None:
    for path in urls.read_text().split():
        urllib.request.urlopen(origin + path, timeout=30).read()


def measure(urls: Path, origin: str, label: str, seconds: int, runs: int, ceiling: bool) -> dict:
    env = {
        **os.environ,
        "BASE_URL": origin,
        "CEILING": "gunicorn" if ceiling else "none",
        "GUNICORN": str(ROOT / ".venv" / "bin" / "gunicorn"),
        "LABEL": label.replace(" ", "-"),
    }
    done = subprocess.run(
        ["bash", str(HARNESS), str(urls), str(seconds), str(runs)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{label}: {done.stderr or done.stdout}")
    summaries = re.findall(r"^SUMMARY label=(\S+) (.*)$", done.stdout, re.M)
    figures = {name: dict(pair.split("=") for pair in rest.split()) for name, rest in summaries}
    own = figures[env["LABEL"]]
    result = {
        "rps": float(own["rps_median"]),
        "p50": own["p50_ms_median"],
        "p99": own["p99_ms_median"],
        "errors": own["errors"],
        "bytes": own["page_bytes_median"],
    }
    if ceiling:
        result["ceiling"] = float(figures["ceiling-gunicorn"]["rps_median"])
    return result


def serve_wagtail() -> subprocess.Popen:
    """The Wagtail newsroom, uncached, as its own README serves it."""
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=WAGTAIL,
        # Its own settings, none of ours.
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), "PORT": "8100"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for("http://127.0.0.1:8100/")
    return server


def side_by_side(env: dict, files: dict[str, Path], args, scratch: Path) -> None:
    """Newsroom's uncached story page and section front beside Wagtail's,
    both served at once and measured in turns."""
    origin = f"http://127.0.0.1:{PORT}"
    ours = serve(env, scratch / "serve-side-by-side.log", PAGE_CACHE="off")
    theirs = serve_wagtail()
    try:
        for kind, their_urls in WAGTAIL_PAGES.items():
            if kind not in files:
                continue
            turns = []
            for _ in range(args.runs):
                mine = measure(files[kind], origin, f"{kind} uncached", args.seconds, 1, False)
                wagtail = measure(
                    WAGTAIL / "var" / their_urls,
                    "http://127.0.0.1:8100",
                    "wagtail",
                    args.seconds,
                    1,
                    False,
                )
                turns.append((mine["rps"], wagtail["rps"]))
            ratios = ", ".join(f"{mine / wagtail:.1f}" for mine, wagtail in turns)
            print(
                f"| {kind}, uncached: Newsroom {median(m for m, _ in turns):.0f}, "
                f"Wagtail (its 2,000 stories) {median(w for _, w in turns):.0f} | "
                f"Newsroom **{median(m / w for m, w in turns):.1f}x** (turns: {ratios}) |",
                flush=True,
            )
    finally:
        stop(theirs)
        stop(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL: a scratch database on it")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--wagtail", action="store_true")
    parser.add_argument(
        "--kinds", help="only these kinds of page, e.g. article,section (default: all)"
    )
    parser.add_argument(
        "--modes",
        default="cached,uncached",
        help="cached, uncached, both (the default) or none (with --wagtail, only the turns)",
    )
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    with tempfile.TemporaryDirectory(prefix="newsroom-serving-") as folder:
        scratch = Path(folder)
        drop = None
        if args.postgres:
            database_url, drop = scratch_postgres(args.postgres)
        else:
            database_url = f"sqlite:///{scratch / 'bench.sqlite3'}"
        try:
            env = environment(scratch, database_url, redis_url)
            started = time.monotonic()
            manage(env, "migrate", "--noinput", "--verbosity", "0")
            manage(env, "load_demo")
            manage(env, "generate_stories", "--count", str(args.stories), "--verbosity", "0")
            if args.postgres:
                subprocess.run(
                    ["psql", database_url, "-qc", "ANALYZE"], check=True, capture_output=True
                )
            print(f"built {args.stories:,} stories in {time.monotonic() - started:.0f} s")
            files = url_lists(scratch)
            run(env, files, args, scratch)
        finally:
            if drop:
                drop()


def run(env: dict, files: dict[str, Path], args, scratch: Path) -> None:
    origin = f"http://127.0.0.1:{PORT}"
    modes = [("cached", {}), ("uncached", {"PAGE_CACHE": "off"})]
    wanted = args.kinds.split(",") if args.kinds else list(files)
    files = {kind: urls for kind, urls in files.items() if kind in wanted}
    for mode, extra in modes:
        if mode not in args.modes.split(","):
            continue
        subprocess.run(
            ["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=True, capture_output=True
        )
        server = serve(env, scratch / f"serve-{mode}.log", **extra)
        try:
            for kind, urls in files.items():
                if mode == "cached" and kind == "search":
                    continue
                if mode == "cached":
                    warm(origin, urls)
                figures = measure(urls, origin, f"{kind} {mode}", args.seconds, args.runs, True)
                print_row(kind, mode, figures)
        finally:
            stop(server)
    if args.wagtail:
        side_by_side(env, files, args, scratch)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{date.today()}, {database}, {args.stories:,} stories + demo, Redis caches")


def print_row(kind: str, mode: str, figures: dict) -> None:
    print(
        f"| {kind} ({mode}) | {figures['rps']:.0f} | {figures['ceiling']:.0f} | "
        f"{figures['rps'] / figures['ceiling']:.2f} | {figures['p50']} | {figures['p99']} | "
        f"{figures['bytes']} | {figures['errors']} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
