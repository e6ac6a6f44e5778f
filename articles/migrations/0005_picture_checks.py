"""Pictures get a fingerprint (SHA-256 of the file), so the same file is
never stored twice; alt text and credit may wait until publication."""

import hashlib

from django.db import migrations, models


def fingerprint_stored_pictures(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    for image in Image.objects.all():
        try:
            with image.file.open("rb") as stored:
                digest = hashlib.sha256(stored.read()).hexdigest()
        except OSError:
            # The file is gone; keep the row unique without claiming a hash.
            digest = f"missing-{image.pk}"
        Image.objects.filter(pk=image.pk).update(content_hash=digest)


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
