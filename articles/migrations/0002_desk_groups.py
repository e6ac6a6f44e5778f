"""Desk roles as groups. Editors run the newsroom's content (stories,
sections, authors, images, tags); ad markup is trusted HTML shown on every
page, so only the Advertising group may change it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

EDITOR_PERMISSIONS = Q(content_type__app_label__in=["articles", "taggit"]) & ~Q(
    content_type__model="adslot"
)
ADVERTISING_PERMISSIONS = Q(content_type__app_label="articles", content_type__model="adslot")


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need
    # them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in (("Editor", EDITOR_PERMISSIONS), ("Advertising", ADVERTISING_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(permissions))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Advertising"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
