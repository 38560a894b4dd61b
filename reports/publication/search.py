"""Full-text search in Chinese over the published reports.

Chinese is written without spaces, so PostgreSQL's word parsers see a whole clause as one "word" and plain
`to_tsvector` search finds almost nothing. Dictionary segmentation (zhparser, pg_jieba) needs a server
extension and a dictionary that misses the new terms reports are full of. We index overlapping character
bigrams instead, as Lucene's CJK analyzer does: 法治政府 becomes 法治 治政 政府. Every string of two or more
characters a reader may search for contains its own bigrams, so the index finds every report that contains
it, whatever the words.

How it is stored and queried (PostgreSQL):

- `search_bigrams` is a tsvector of each report's distinct bigrams (and the last character of each run of
  letters and digits, so that a one-character search has something to match), written as a tsvector literal
  so no text-search parser or locale is involved, and without positions: a long report would otherwise run
  into the 16,383-position limit of tsvector. A GIN index covers it.
- A search for 依法行政 asks the index for reports holding 依法 & 法行 & 行政: an AND of exact lexemes, which GIN
  answers from the index alone. The index narrows the candidates; `body ILIKE '%依法行政%'` then keeps the
  ones that hold the exact string, so results are exact (no report that merely has the bigrams far apart)
  and the same on PostgreSQL and SQLite.
- pg_trgm was the alternative: a 2-character search (复议, 普法: the commonest kind) yields no trigram to look
  up and becomes a full scan, and which characters count as word characters depends on the server's locale.

Results come newest first, as the lists do, so PostgreSQL can walk the published_at index and stop at a page;
the number of results is counted only up to `COUNT_LIMIT`. SQLite (development, tests) filters with ILIKE
alone. Snippets are cut from the stored text in Python around the first hit, with the hits marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 5
COUNT_LIMIT = 1000
SNIPPET_CHARS = 90

# Letters and digits of any script (CJK included); punctuation and spaces end a run.
RUN = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[str]:
    """The distinct terms of a query (split at spaces), each of which a report must contain."""
    terms: list[str] = []
    for term in query.split():
        if RUN.search(term) and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def _runs(text: str) -> list[str]:
    return RUN.findall(text.lower())


def index_tokens(text: str) -> set[str]:
    """What the index holds for a text: the bigrams of each run, and each run's last character."""
    tokens: set[str] = set()
    for run in _runs(text):
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
        tokens.add(run[-1])
    return tokens


def tsvector_literal(text: str) -> str:
    # Tokens are letters and digits only, so none needs quoting beyond the enclosing quotes.
    return " ".join(f"'{token}'" for token in sorted(index_tokens(text)))


def tsquery_literal(terms: Iterable[str]) -> str:
    """An AND of the bigrams of every term; a lone character matches as a prefix (the bigrams it starts)."""
    parts: list[str] = []
    for term in terms:
        for run in _runs(term):
            if len(run) == 1:
                parts.append(f"'{run}':*")
            else:
                parts.extend(f"'{run[i : i + 2]}'" for i in range(len(run) - 1))
    return " & ".join(dict.fromkeys(parts))


def matching(entries: QuerySet, terms: list[str]) -> QuerySet:
    """The entries whose text contains every term."""
    for term in terms:
        entries = entries.filter(body__icontains=term)
    if terms and connection.vendor == "postgresql":
        table = entries.model._meta.db_table
        candidates = RawSQL(
            f'"{table}"."search_bigrams" @@ %s::tsquery', [tsquery_literal(terms)], output_field=BooleanField()
        )
        entries = entries.filter(candidates)
    return entries


def snippet(body: str, terms: list[str]) -> SafeString:
    """A stretch of the text around the first hit, with every hit in it marked."""
    lowered = body.lower()
    hits = [(lowered.find(term.lower()), term) for term in terms]
    first = min((at for at, _ in hits if at >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    end = min(len(body), start + SNIPPET_CHARS)
    window = body[start:end].replace("\n", " ")
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    pieces, at = [], 0
    for hit in pattern.finditer(window) if terms else ():
        pieces += [escape(window[at : hit.start()]), f"<mark>{escape(hit.group())}</mark>"]
        at = hit.end()
    pieces.append(escape(window[at:]))
    # Every piece of the text was escaped above; only the <mark> tags are markup.
    return mark_safe(("…" if start else "") + "".join(pieces) + ("…" if end < len(body) else ""))
