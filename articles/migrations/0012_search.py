import django.contrib.postgres.search
from django.db import migrations

# Search keeps its index in what each database does best: on PostgreSQL a GIN
# index over `search_vector`, on SQLite an FTS5 table whose rowid is the
# story's id. Neither is known to the model state, so `makemigrations` stays
# quiet on both.
POSTGRES_INDEX = (
    "CREATE INDEX article_search_vector ON articles_article USING GIN (search_vector)",
    "DROP INDEX IF EXISTS article_search_vector",
)
# Porter stems English as the PostgreSQL "english" configuration does; the
# marks category keeps Hindi vowel signs inside their words.
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE articles_search USING fts5(headline, standfirst, tags, body, "
    "tokenize=\"porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    "DROP TABLE IF EXISTS articles_search",
)
BY_VENDOR = {"postgresql": POSTGRES_INDEX, "sqlite": SQLITE_TABLE}


def create(apps, schema_editor):
    if statements := BY_VENDOR.get(schema_editor.connection.vendor):
        schema_editor.execute(statements[0])


def drop(apps, schema_editor):
    if statements := BY_VENDOR.get(schema_editor.connection.vendor):
        schema_editor.execute(statements[1])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_author_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create, drop),
    ]
