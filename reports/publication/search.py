"""Full-text search in Chinese over the published reports.

Chinese is written without spaces, so PostgreSQL's word parsers see a whole clause as one "word" and plain
`to_tsvector` search finds almost nothing. We index overlapping character n-grams instead, as Lucene's CJK
analyzer does: 法治政府 gives the bigrams 法治 治政 政府 and the trigrams 法治政 治政府. Every string of two or
more characters a reader may search for contains its own n-grams, so the index finds every report that
contains it, whatever the words.

How it is stored and queried (PostgreSQL):

- `search_bigrams` (the name is older than the trigrams) is a tsvector of each report's distinct bigrams and
  trigrams, written as a tsvector literal so no text-search parser or locale is involved, and without
  positions: a long report would otherwise run into tsvector's limits (16,383 positions, 256 a lexeme). A GIN
  index covers it. The n-grams are taken over the letters and digits, case folded as UPPER folds it (so the
  index holds whatever icontains would accept); punctuation and spaces are skipped, and an n-gram spanning
  them has a `_` at each such boundary inside it: 作用。五、下 gives 作用 用_五 五_下 作用_五 用_五_下. A
  sentence pasted into the search box asks for the marked n-grams and is as selective as its words, and a
  phrase without punctuation asks for unmarked ones, held only where its characters stand side by side. The
  text's last character is kept alone too, so that a one-character search has something to match.
- A search for 依法行政 asks the index for reports holding 依法行 & 法行政 (a two-letter term, its bigram): an
  AND of exact lexemes, which GIN answers from the index alone, without reading any report's text. The index
  narrows the candidates; `body LIKE '%依法行政%'` then keeps the ones that hold the exact string, so results
  are exact and the same on PostgreSQL and SQLite.
- Why trigrams beside the bigrams: with bigrams alone a phrase whose every pair of characters is common but
  which few reports hold (two common words side by side, a sentence pasted across the end of another) had
  tens of thousands of candidates, every one of whose texts had to be read: on 100,000 reports such searches
  hit the statement timeout. A trigram is held by far fewer reports than its two bigrams together, so the
  candidates of such a phrase are close to the reports that hold it. Measured by `manage.py bench_search`
  (4,368 queries of five kinds over 106,417 reports, every answer checked against an exact substring scan,
  which takes 2.6-3.3 s in the same run): bigrams alone p95 126 ms with 126 timeouts (1.5 s), bigrams and
  trigrams p95 59 ms with 7, both with no wrong result; the index grows from 280 MB to 713 MB. The other
  candidates, on 500 of the same queries: pg_trgm p95 1,658 ms and 117 timeouts (a 2-character search has no
  trigram, so the text of every report is read); RUM over bigrams with positions (a phrase asked as
  '依法' <-> '法行' <-> '行政', from the index) p95 299 ms, index 1.2 GB, and a server extension that Debian's
  postgresql-15-rum or a custom image must bring; jieba's words p95 1,512 ms and 238 of 500 answers wrong (a
  string that is not a whole word, 治政 in 法治政府, is not in the index). These figures were measured before
  the n-grams marked their boundaries: the 7 timeouts were phrases of 4-6 characters held by no report whose
  every trigram spanned punctuation elsewhere (工作认真 had the candidates of 工作。认真, tens of thousands,
  every one read). Marked, such a phrase's trigrams are held only by reports with its characters side by side,
  so its candidates are again close to the reports that hold it. An n-gram across punctuation is now a token
  apart from the same characters side by side, so a report holds more tokens than before: measured after the
  change (bench_search, 4,372 queries over a newly generated 106,417 reports, exact scan 4.5 s in the same run)
  the index is 1,332 MB (713 before), p95 80 ms, no wrong result, and 11 timeouts of two kinds this does not
  reach: 5 phrases with no report holding them whose trigrams each stand side by side, apart, in more than 1,000
  reports (生产管理部 from 生产管 产管理 管理部), and 5 date-like phrases (3年1月, 22年3) that more than 1,000
  reports hold, but only older ones, so the walk newest first reads tens of thousands of texts before it finds a
  page. 8 pasted phrases had more than 1,000 candidates but fewer holders, so their count reads "more than
  1,000" (the results themselves are right). Positions (RUM) or four-grams for longer terms would reach both.

Checking the exact string costs a read of the report's text from TOAST, so how many are checked decides the
time, and PostgreSQL cannot estimate how many reports hold a phrase (on 100,000 reports it guessed 4 for
行政执法, which 98,960 hold, and chose to check every report: 8.8 s). `SearchPaginator` therefore decides
itself, from the index alone: when at most `COUNT_LIMIT` reports are candidates it checks just those (a bitmap
scan of the index) and counts them exactly; when more are, the phrase is common, so it walks the reports newest
first checking the text alone and stops at the end of the page, and the count is only "more than COUNT_LIMIT".
Either way a page checks a bounded number of texts; a statement timeout still guards against a search that
would not. SQLite (development, tests) filters the text alone. Snippets are cut from the stored text in Python
around the first hit, with the hits marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 5
COUNT_LIMIT = 1000
TIMEOUT_MS = 1500
SNIPPET_CHARS = 90

# Letters and digits of any script (CJK included); punctuation and spaces end a run.
RUN = re.compile(r"[^\W_]+")
# Stands in a token for the punctuation and spaces between two runs: never in a run, and legal in a lexeme.
BOUNDARY = "_"
# The bigrams and trigrams of a marked text (`_marked`): letters with a BOUNDARY between two where there is
# one, found at every letter (a lookahead, so they overlap).
_GRAMS = {2: re.compile(r"(?=([^_]_?[^_]))"), 3: re.compile(r"(?=([^_]_?[^_]_?[^_]))")}
# Spaces between a Chinese character and a Latin letter or digit: 2023 年 and 2023年 are the same words, and
# reports (and readers) write both. Spaces between Latin words stay.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACE_BESIDE_HAN = re.compile(rf"(?<=[{_HAN}])[ \t\u3000]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \t\u3000]+(?=[{_HAN}])")


def searchable_text(text: str) -> str:
    """The text as the index stores and searches it: without spaces between Chinese and Latin or digits."""
    return _SPACE_BESIDE_HAN.sub("", text)


def search_terms(query: str) -> list[str]:
    """The distinct terms of a query (split at spaces, except those beside Chinese characters), each of which
    a report must contain."""
    terms: list[str] = []
    for term in searchable_text(query).split():
        if RUN.search(term) and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def _folded(text: str) -> str:
    """The text with its case folded, character by character, so that the index never misses what icontains
    accepts. PostgreSQL's UPPER(body) LIKE UPPER(term) maps each character alone to its uppercase (towupper);
    upper() then casefold() gives one string for all the characters of one uppercase (a test checks it over
    every code point against the database's UPPER), where lower() does not: it applies the Greek final sigma
    ('ΑΣ'.lower() is 'ας', 'ΑΣΒ'.lower() 'ασβ'), and leaves ı, ſ and µ apart from i, s and μ."""
    return text.upper().casefold()


def _marked(text: str) -> str:
    """The letters and digits of a text, its case folded, with one BOUNDARY wherever punctuation or spaces
    separate them. Folded first: a few marks fold to a letter (U+0345 to ι), as UPPER maps them."""
    return BOUNDARY.join(RUN.findall(_folded(text)))


def _grams(marked: str, size: int) -> list[str]:
    """The n-grams of `size` letters and digits of a marked text, with the boundaries between them."""
    return _GRAMS[size].findall(marked)


def index_tokens(text: str) -> set[str]:
    """What the index holds for a text: its bigrams, its trigrams, and its last character."""
    marked = _marked(text)
    return {*_grams(marked, 2), *_grams(marked, 3), *marked[-1:]}


def tsvector_literal(text: str) -> str:
    # Tokens are letters, digits and BOUNDARY only, so none needs quoting beyond the enclosing quotes.
    return " ".join(f"'{token}'" for token in sorted(index_tokens(text)))


def tsquery_literal(terms: Iterable[str]) -> str:
    """An AND of the trigrams of every term (its bigram if it has two letters), marked where the term has
    punctuation or spaces between its letters; a lone character matches as a prefix (the bigrams and trigrams
    it starts)."""
    parts: list[str] = []
    for term in terms:
        marked = _marked(term)
        letters = len(marked.replace(BOUNDARY, ""))
        if letters == 1:
            parts.append(f"'{marked}':*")
        parts.extend(f"'{gram}'" for gram in _grams(marked, 2 if letters == 2 else 3))
    return " & ".join(dict.fromkeys(parts))


def containing(entries: QuerySet, terms: list[str]) -> QuerySet:
    """The entries whose text holds every term (case aside: most terms have no case, and LIKE is cheaper)."""
    for term in terms:
        cased = term.lower() != term.upper()
        entries = entries.filter(body__icontains=term) if cased else entries.filter(body__contains=term)
    return entries


def with_bigrams(entries: QuerySet, terms: list[str]) -> QuerySet:
    """The candidates: entries whose index holds every bigram of the terms (PostgreSQL only)."""
    table = entries.model._meta.db_table
    candidates = RawSQL(
        f'"{table}"."search_bigrams" @@ %s::tsquery', [tsquery_literal(terms)], output_field=BooleanField()
    )
    return entries.filter(candidates)


def matching(entries: QuerySet, terms: list[str]) -> QuerySet:
    """The entries whose text holds every term, for a whole set (the CSV); pages use SearchPaginator."""
    entries = containing(entries, terms)
    return with_bigrams(entries, terms) if terms and connection.vendor == "postgresql" else entries


class SearchTooBroad(Exception):
    """A search that would read too many reports' text to answer."""


@contextmanager
def steered(*, walk: bool) -> Iterator[None]:
    """On PostgreSQL, run the enclosed queries with the plan SearchPaginator chose: never a full scan; with `walk`,
    newest first along the published_at index (no bitmap, no sort), so the scan stops at the end of the page."""
    if connection.vendor != "postgresql":
        yield
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            walking = "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off;" if walk else ""
            cursor.execute(f"SET LOCAL enable_seqscan = off; {walking} SET LOCAL statement_timeout = {TIMEOUT_MS}")
            yield
    except OperationalError as error:
        if type(error.__cause__).__name__ == "QueryCanceled":
            raise SearchTooBroad from error
        raise


class SearchPaginator(Paginator):
    """Pages of the entries holding every term, newest first, counted up to COUNT_LIMIT (see the module's notes)."""

    def __init__(self, entries: QuerySet, per_page: int, terms: list[str]) -> None:
        self.walk = False
        exact = containing(entries, terms)
        if connection.vendor == "postgresql":
            with steered(walk=False):
                found = with_bigrams(entries, terms).order_by()[: COUNT_LIMIT + 1].count()
                self.walk = found > COUNT_LIMIT
                if not self.walk:
                    exact = with_bigrams(exact, terms)
                    found = exact.count()
        else:
            found = exact.order_by()[: COUNT_LIMIT + 1].count()
        super().__init__(exact, per_page)
        self.found = found

    @cached_property
    def count(self) -> int:
        return min(self.found, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.found > COUNT_LIMIT

    def page(self, number) -> Page:
        page = super().page(number)
        with steered(walk=self.walk):
            page.object_list = list(page.object_list)
        return page


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
