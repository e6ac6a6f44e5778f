from django.db import migrations, models

BATCH = 10_000


def note_lists(apps, schema_editor):
    """The lists of stories published before lists were noted, so that the
    first change to one purges the pages it was on."""
    from articles.services.pages import stories_lists_record

    Article = apps.get_model("articles", "Article")
    published = Article.objects.filter(status="published").order_by("pk")
    ids = list(published.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        stories_lists_record(ids[start : start + BATCH], registry=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="listed_in",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(note_lists, migrations.RunPython.noop),
    ]
