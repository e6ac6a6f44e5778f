"""A scratch newsroom for in-process benchmarks: Django set up on a fresh
SQLite database and media folder of their own, migrated, no Redis."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_scratch() -> Path:
    """Set Django up on a new scratch database and migrate it; returns the
    scratch folder."""
    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch
