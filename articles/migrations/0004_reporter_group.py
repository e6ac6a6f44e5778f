"""The Reporter group, and the Editor group's new powers (publishing,
scheduled updates, corrections). Reporters write stories and pictures and
submit them for review; what they may do to which story is decided per
story by articles.permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

EDITOR_PERMISSIONS = Q(content_type__app_label__in=["articles", "taggit"]) & ~Q(
    content_type__model="adslot"
)
REPORTER_PERMISSIONS = [
    ("articles", "article", ["add", "change", "delete", "view"]),
    ("articles", "byline", ["add", "change", "delete", "view"]),
    ("articles", "relatedlink", ["add", "change", "delete", "view"]),
    ("articles", "image", ["add", "change", "view"]),
    ("articles", "section", ["view"]),
    ("articles", "author", ["view"]),
    ("articles", "correction", ["view"]),
    ("taggit", "tag", ["add", "view"]),
]


def reporter_permissions():
    wanted = Q(pk__in=[])
    for app_label, model, verbs in REPORTER_PERMISSIONS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{verb}_{model}" for verb in verbs],
        )
    return wanted


def update_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*Permission.objects.filter(EDITOR_PERMISSIONS))
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    reporter.permissions.set(Permission.objects.filter(reporter_permissions()))


def remove_reporter(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reporter").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow"), ("articles", "0002_desk_groups")]

    operations = [migrations.RunPython(update_groups, remove_reporter)]
