"""Pictures get a fingerprint (SHA-256 of the file), so the same file is
never stored twice; alt text and credit may wait until publication."""

import hashlib

from django.db import migrations, models


def fingerprint_stored_pictures(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    seen = set()
    for image in Image.objects.order_by("pk").iterator():
        digest = hashlib.sha256()
        try:
            with image.file.open("rb") as stored:
                for chunk in stored.chunks():
                    digest.update(chunk)
            fingerprint = digest.hexdigest()
        except (OSError, ValueError):
            # The file is gone (or was never set): unique, claiming no hash.
            fingerprint = f"missing-{image.pk}"
        if fingerprint in seen:
            # The library already holds this file twice; both stay, the
            # later one marked so the column can be unique.
            fingerprint = f"{fingerprint[:40]}-dup-{image.pk}"
        seen.add(fingerprint)
        Image.objects.filter(pk=image.pk).update(content_hash=fingerprint)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_reporter_group")]

    operations = [
        migrations.AddField(
            model_name="image",
            name="content_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fingerprint_stored_pictures, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="image",
            name="content_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="image",
            name="alt_text",
            field=models.CharField(
                blank=True,
                help_text="What the picture shows, for readers who cannot see it. Needed to publish.",
                max_length=250,
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit",
            field=models.CharField(
                blank=True,
                help_text="Shown as “Image Source”: agency or photographer. Needed to publish.",
                max_length=200,
            ),
        ),
    ]
