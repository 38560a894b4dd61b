"""The bigram index of `reports.publication.search`, on PostgreSQL only (SQLite searches the text)."""

from django.db import migrations

TABLE = "publication_publishedentry"


def add_search_bigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN search_bigrams tsvector")
        schema_editor.execute(f"CREATE INDEX entry_search_bigrams ON {TABLE} USING gin (search_bigrams)")


def drop_search_bigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN search_bigrams")


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_published_entries")]

    operations = [migrations.RunPython(add_search_bigrams, drop_search_bigrams)]
