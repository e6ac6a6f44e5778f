from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_editing_sessions"),
    ]

    operations = [
        # Updates prepared before this moved the "Updated on" time when
        # applied, and still do; new ones do only when the editor says so.
        migrations.AddField(
            model_name="scheduledupdate",
            name="substantive",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="scheduledupdate",
            name="substantive",
            field=models.BooleanField(default=False),
        ),
    ]
