"""Hardening the desk: pictures carry a version against stale saves and
are stored under their fingerprint; revisions that tell of prepared
updates are kept from reporters; times and bodies are bounded; reporters
lose the tag pages (tags change through the story form, or by editors)."""

import django.core.validators
from django.db import migrations, models
from django.db.models import Q

import articles.pictures.models
import articles.pictures.uploads
import articles.validators

from ._desk_groups import model_permissions

# Revisions recorded before the flag existed that tell of prepared updates.
DESK_ONLY_ACTIONS = Q(action__startswith="Scheduled an update") | Q(
    action__startswith="Cancelled the update"
) | Q(action__contains="cancelled") & Q(action__startswith="Unpublished")
REPORTER_TAG_PERMISSIONS = [("taggit", "tag", ["add", "view"])]


def mark_desk_only(apps, schema_editor):
    Revision = apps.get_model("articles", "Revision")
    Revision.objects.filter(DESK_ONLY_ACTIONS).update(is_desk_only=True)


def strip_picture_words(apps, schema_editor):
    # Whitespace is no description: pictures now store their words stripped,
    # so the library's "needs words" filter and the publishing check agree.
    Image = apps.get_model("articles", "Image")
    for image in Image.objects.filter(Q(alt_text__regex=r"^\s|\s$") | Q(credit__regex=r"^\s|\s$")):
        Image.objects.filter(pk=image.pk).update(
            alt_text=image.alt_text.strip(), credit=image.credit.strip()
        )


def tags_for_editors_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for reporter in Group.objects.filter(name="Reporter"):
        reporter.permissions.remove(
            *Permission.objects.filter(model_permissions(REPORTER_TAG_PERMISSIONS))
        )


def tags_for_reporters_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for reporter in Group.objects.filter(name="Reporter"):
        reporter.permissions.add(
            *Permission.objects.filter(model_permissions(REPORTER_TAG_PERMISSIONS))
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_body_pictures")]

    operations = [
        migrations.AddField(
            model_name="image",
            name="version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="revision",
            name="is_desk_only",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_desk_only, migrations.RunPython.noop),
        migrations.RunPython(strip_picture_words, migrations.RunPython.noop),
        migrations.RunPython(tags_for_editors_only, tags_for_reporters_again),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                blank=True, validators=[django.core.validators.MaxLengthValidator(200000)]
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="expires_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Optional: the story leaves the site at this time.",
                null=True,
                validators=[articles.validators.validate_desk_time],
                verbose_name="expire at",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When readers first see the story. A time ahead schedules it.",
                null=True,
                validators=[articles.validators.validate_desk_time],
                verbose_name="publish at",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="file",
            field=models.ImageField(
                height_field="height",
                upload_to=articles.pictures.models.original_name,
                validators=[articles.pictures.uploads.validate_image_file],
                width_field="width",
            ),
        ),
    ]
