"""The Reporter group, and the Editor group's new powers (publishing,
scheduled updates, corrections). Reporters write stories and pictures and
submit them for review; what they may do to which story is decided per
story by articles.permissions."""

from django.db import migrations

from ._desk_groups import EDITOR_PERMISSIONS, create_all_permissions, model_permissions

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


def update_groups(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*Permission.objects.filter(EDITOR_PERMISSIONS))
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    reporter.permissions.set(Permission.objects.filter(model_permissions(REPORTER_PERMISSIONS)))


def remove_reporter(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reporter").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow"), ("articles", "0002_desk_groups")]

    operations = [migrations.RunPython(update_groups, remove_reporter)]
