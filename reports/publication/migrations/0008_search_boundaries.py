"""The search index marks the boundaries inside its n-grams and folds case as UPPER does (see
`reports.publication.search`): 作用。五 gives 作用_五 where it gave 作用五, so that 工作认真 is no longer a
candidate in every report holding 工作。认真, and ΑΣ is found in ΑΣΒ.

Every entry's tokens are rewritten from its stored text, with the GIN index dropped first and built again after
(one bulk build is far quicker than 100,000 updates of it), as 0003 did when the trigrams came: 21.5 minutes for
106,417 reports on a quiet 2-core machine (about 7 rewriting, the rest building the 1.3 GB index). New searches
ask for marked n-grams, which the old tokens do not hold, so the rewrite is one transaction: no search sees some entries rewritten and others not, and a rewrite that fails leaves the old
tokens. Dropping the index locks the table until the end, so the lists and searches wait for it. PostgreSQL
only (SQLite searches the text).

The tokenizer is a copy of `search.tsvector_literal` as it is here, frozen: the live one may change again, and
this migration must keep writing what it wrote. Backwards the tokens stay as they are; the earlier code's
`rebuild_public_index --all` writes its own.
"""

import re

from django.db import migrations

TABLE = "publication_publishedentry"
BATCH = 1000

RUN = re.compile(r"[^\W_]+")
GRAMS = {2: re.compile(r"(?=([^_]_?[^_]))"), 3: re.compile(r"(?=([^_]_?[^_]_?[^_]))")}


def tsvector_literal(text):
    marked = "_".join(RUN.findall(text.upper().casefold()))
    tokens = {*GRAMS[2].findall(marked), *GRAMS[3].findall(marked), *marked[-1:]}
    return " ".join(f"'{token}'" for token in sorted(tokens))


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
    dependencies = [("publication", "0007_entry_listing")]

    operations = [migrations.RunPython(rewrite_tokens, migrations.RunPython.noop)]
