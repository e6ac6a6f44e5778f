"""Desk roles as groups. Editors run the newsroom's content (stories,
sections, authors, images, tags); ad markup is trusted HTML shown on every
page, so only the Advertising group may change it."""

from django.db import migrations
from django.db.models import Q

from ._desk_groups import EDITOR_PERMISSIONS, create_all_permissions

ADVERTISING_PERMISSIONS = Q(content_type__app_label="articles", content_type__model="adslot")


def create_groups(apps, schema_editor):
    create_all_permissions(apps)
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
