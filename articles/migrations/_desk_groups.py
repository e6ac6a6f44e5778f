"""What the desk-role migrations share: the Editor group's permissions and
the way to make permissions before the migrations that need them end.
(A module whose name starts with an underscore is not a migration.)"""

from django.contrib.auth.management import create_permissions
from django.db.models import Q

# Editors run the newsroom's content (stories, sections, authors, images,
# tags); ad markup is trusted HTML shown on every page, so it is not theirs.
EDITOR_PERMISSIONS = Q(content_type__app_label__in=["articles", "taggit"]) & ~Q(
    content_type__model="adslot"
)


def create_all_permissions(apps) -> None:
    """Permissions are normally made after all migrations; the groups need
    them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def model_permissions(spec: list[tuple[str, str, list[str]]]) -> Q:
    """(app label, model, verbs) triples as a filter on Permission."""
    wanted = Q(pk__in=[])
    for app_label, model, verbs in spec:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{verb}_{model}" for verb in verbs],
        )
    return wanted
