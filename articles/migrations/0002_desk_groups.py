"""The Editor role: everything on the desk (stories, sections, authors,
images, ad slots, tags)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ["articles", "taggit"]


def create_editor_group(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs
    # them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
