"""Once the step that added trigrams to the search index; it does nothing now.

It rewrote every entry's tokens with the live `search.tsvector_literal`, and a migration must not import code
that changes later (the tokens changed again in 0008). 0008_search_boundaries rewrites every entry's tokens
with its own frozen copy of the tokenizer, and every database that passes here goes on to it, so doing nothing
is simpler than keeping a frozen copy of a tokenizer whose tokens 0008 overwrites. There has been no release
that stops between the two.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_search_bigrams")]

    operations = []
