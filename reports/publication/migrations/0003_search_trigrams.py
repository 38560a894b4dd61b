"""The search index holds each report's trigrams beside its bigrams (see `reports.publication.search`).

Every entry's tokens are rewritten from its stored text, with the GIN index dropped first and built again after
(one bulk build is far quicker than 100,000 updates of it): 16 minutes for 106,417 reports on a 2-core
machine shared with other work. Searches during the migration read the old tokens, which the new queries would not find, so the
rewrite is one transaction. PostgreSQL only (SQLite searches the text).
"""

from django.db import migrations

from reports.publication.search import tsvector_literal

TABLE = "publication_publishedentry"
BATCH = 1000


def rewrite_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS entry_search_bigrams")
        last = 0
        while True:
            cursor.execute(
                f"SELECT report_id, body FROM {TABLE} WHERE report_id > %s ORDER BY report_id LIMIT %s", [last, BATCH]
            )
            rows = cursor.fetchall()
            if not rows:
                break
            values = ", ".join(["(%s, %s::tsvector)"] * len(rows))
            cursor.execute(
                f"UPDATE {TABLE} AS e SET search_bigrams = v.tokens FROM (VALUES {values}) AS v(id, tokens) "
                "WHERE e.report_id = v.id",
                [value for report_id, body in rows for value in (report_id, tsvector_literal(body))],
            )
            last = rows[-1][0]
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(f"CREATE INDEX entry_search_bigrams ON {TABLE} USING gin (search_bigrams)")


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_search_bigrams")]

    operations = [migrations.RunPython(rewrite_tokens, migrations.RunPython.noop)]
