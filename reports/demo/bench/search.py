"""The search engines of `manage.py bench_search`, side by side over the same queries, in the bench's own database.

Every candidate answers what the portal's first page of a search shows: the 20 newest reports holding the
query, and how many there are as the page counts them (exactly up to COUNT_LIMIT, else "more than"). Each one's
answer is compared with the exact substring scan's, computed here once in Python from the reports' own text
(independently of every index), so an engine that misses a report or counts wrongly shows it.

The candidates, each with an index of its own beside the portal's:

- `bigram`: the portal's engine as it is (reports.publication.search.SearchPaginator, the real code path);
- `trgm`: pg_trgm's GIN index on the text, queried with `body LIKE '%q%'` as PostgreSQL plans it;
- `rum`: the RUM index (Debian's postgresql-15-rum) over the bigrams with their positions, so a phrase is
  asked as `'依法' <-> '法行' <-> '行政'` and answered from the index; then the same exact check;
- `jieba`: a tsvector of jieba's words (cut_for_search), asked for the query's own words; then the exact check.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from reports.publication.filters import public_entries
from reports.publication.models import PublishedEntry
from reports.publication.search import (
    COUNT_LIMIT,
    RUN,
    TIMEOUT_MS,
    SearchPaginator,
    SearchTooBroad,
    containing,
    search_terms,
    steered,
    tsvector_literal,
)

TABLE = PublishedEntry._meta.db_table
PER_PAGE = 20
KINDS = ("two_chars", "four_chars", "pasted", "rare", "absent")
RARE_MAX = 20  # a rare term is held by 1 to RARE_MAX reports
POSITIONS = 16383  # tsvector's largest position; RUM's positions are tsvector's


@dataclass(frozen=True)
class Answer:
    ids: tuple[int, ...]
    count: int
    more: bool


@dataclass
class Outcome:
    ms: list[float] = field(default_factory=list)
    timeouts: int = 0
    mismatches: int = 0
    count_differs: int = 0
    examples: list[str] = field(default_factory=list)


# --- The exact answer -------------------------------------------------------------------------------------------


class Texts:
    """Every public report's text in memory, newest first as the pages order them, with a bitset per bigram of
    the reports holding it (only for the bigrams asked about) to skip reports that cannot hold a string."""

    def __init__(self) -> None:
        rows = public_entries().order_by("-published_at", "-report_id").values_list("report_id", "body")
        self.ids: list[int] = []
        self.bodies: list[str] = []
        for report_id, body in rows.iterator(chunk_size=2000):
            self.ids.append(report_id)
            self.bodies.append(body)
        self.bits: dict[str, int] = {}

    def index(self, strings: list[str]) -> None:
        wanted = {gram for text in strings for gram in _grams(text.lower())} - self.bits.keys()
        postings: dict[str, list[int]] = {gram: [] for gram in wanted}
        for i, body in enumerate(self.bodies):
            for gram in _grams(body.lower()) & wanted:
                postings[gram].append(i)
        for gram, positions in postings.items():
            bits = 0
            for i in positions:
                bits |= 1 << i
            self.bits[gram] = bits

    def answer(self, query: str) -> Answer:
        """What an exact scan with the portal's semantics gives: every term held (case aside for Latin letters)."""
        terms = search_terms(query)
        bits = (1 << len(self.bodies)) - 1
        for term in terms:
            for gram in _grams(term.lower()):
                bits &= self.bits[gram]
        hits: list[int] = []
        for i in _set_bits(bits):
            body = self.bodies[i]
            if all(_holds(body, term) for term in terms):
                hits.append(self.ids[i])
                if len(hits) > COUNT_LIMIT:
                    break
        return Answer(tuple(hits[:PER_PAGE]), min(len(hits), COUNT_LIMIT), len(hits) > COUNT_LIMIT)

    def held_by(self, query: str, most: int) -> int:
        """How many reports hold the query, counting no further than `most` + 1."""
        bits = (1 << len(self.bodies)) - 1
        for gram in _grams(query.lower()):
            bits &= self.bits[gram]
        found = 0
        for i in _set_bits(bits):
            found += _holds(self.bodies[i], query)
            if found > most:
                break
        return found


def _holds(body: str, term: str) -> bool:
    return term.lower() in body.lower() if term.lower() != term.upper() else term in body


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def _set_bits(bits: int) -> Iterator[int]:
    for at, value in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if value:
            for bit in _BITS[value]:
                yield at * 8 + bit


# --- The queries ------------------------------------------------------------------------------------------------


def draw_queries(texts: Texts, per_kind: int, seed: int, log: Callable[[str], object]) -> list[tuple[str, str]]:
    """`per_kind` different queries of each kind, drawn from the reports' own text with a fixed seed."""
    rng = random.Random(seed)
    bodies = texts.bodies

    def piece(length: int, *, punctuation: bool) -> str | None:
        body = bodies[rng.randrange(len(bodies))]
        start = rng.randrange(max(1, len(body) - length))
        text = body[start : start + length]
        if len(text) < length or any(c.isspace() for c in text):
            return None
        if not (RUN.fullmatch(text[0]) and RUN.fullmatch(text[-1])):
            return None
        if not punctuation and not RUN.fullmatch(text):
            return None
        return text

    def distinct(make: Callable[[], str | None], count: int) -> list[str]:
        found: dict[str, None] = {}
        tries = 0
        while len(found) < count and tries < count * 200:
            tries += 1
            text = make()
            if text and text not in found:
                found[text] = None
        return list(found)

    two = distinct(lambda: piece(2, punctuation=False), per_kind)
    four = distinct(lambda: piece(4, punctuation=False), per_kind)
    pasted = distinct(lambda: piece(rng.randint(10, 30), punctuation=True), per_kind)
    # Rare and absent terms are chosen among many tries by how many reports hold them.
    rare_tries = distinct(lambda: piece(rng.randint(3, 8), punctuation=False), per_kind * 30)

    def shuffled() -> str | None:
        # Two real words of 2-3 characters from different places: every bigram is common, the whole rarely held.
        first, second = piece(rng.randint(2, 3), punctuation=False), piece(rng.randint(2, 3), punctuation=False)
        return first + second if first and second else None

    absent_tries = distinct(shuffled, per_kind * 3)
    log(f"为 {len(rare_tries) + len(absent_tries)} 个候选词建立二元组位图……")
    texts.index(two + four + pasted + rare_tries + absent_tries)
    rare = [q for q in rare_tries if 1 <= texts.held_by(q, RARE_MAX) <= RARE_MAX][:per_kind]
    absent = [q for q in absent_tries if texts.held_by(q, 0) == 0][:per_kind]
    queries = [(kind, q) for kind, qs in zip(KINDS, [two, four, pasted, rare, absent], strict=True) for q in qs]
    seen: set[str] = set()
    unique = []
    for kind, q in queries:
        if q not in seen:
            seen.add(q)
            unique.append((kind, q))
    return unique


# --- The engines --------------------------------------------------------------------------------------------------


def _candidates_page(terms: list[str], candidates: RawSQL) -> Answer:
    """SearchPaginator's plan over another index: count the candidates from the index up to COUNT_LIMIT; few,
    check just those; many, walk newest first to the end of the page."""
    entries = public_entries().defer("figures")
    with steered(walk=False):
        found = entries.filter(candidates).order_by()[: COUNT_LIMIT + 1].count()
        walk = found > COUNT_LIMIT
        exact = containing(entries.filter(candidates), terms)
        if not walk:
            found = exact.count()
    if walk:
        with steered(walk=True):
            ids = tuple(exact.values_list("pk", flat=True)[:PER_PAGE])
    else:
        with steered(walk=False):
            ids = tuple(exact.values_list("pk", flat=True)[:PER_PAGE])
    return Answer(ids, min(found, COUNT_LIMIT), found > COUNT_LIMIT)


def bigram_page(query: str) -> Answer:
    terms = search_terms(query)
    paginator = SearchPaginator(public_entries().defer("figures"), PER_PAGE, terms)
    page = paginator.page(1)
    return Answer(tuple(entry.pk for entry in page.object_list), paginator.count, paginator.more_than_counted)


def trgm_page(query: str) -> Answer:
    terms = search_terms(query)
    entries = containing(public_entries().defer("figures"), terms)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = {TIMEOUT_MS}")
        found = entries.order_by()[: COUNT_LIMIT + 1].count()
        ids = tuple(entries.values_list("pk", flat=True)[:PER_PAGE])
    return Answer(ids, min(found, COUNT_LIMIT), found > COUNT_LIMIT)


def _squeezed(text: str) -> str:
    """The letters and digits of a text, lowercased, with the punctuation and spaces between them skipped: RUM's
    bigrams span punctuation, as the portal's did when RUM was measured beside it."""
    return "".join(RUN.findall(text.lower()))


def rum_query(terms: list[str]) -> str:
    """Each term as a phrase of its bigrams, one position apart (a lone character as a prefix); terms ANDed."""
    phrases = []
    for term in terms:
        letters = _squeezed(term)
        if len(letters) == 1:
            phrases.append(f"'{letters}':*")
        else:
            phrases.append("(" + " <-> ".join(f"'{letters[i : i + 2]}'" for i in range(len(letters) - 1)) + ")")
    return " & ".join(phrases)


def _side_table(name: str, tsquery: str) -> RawSQL:
    """The entries whose row in a candidate's own table matches."""
    return RawSQL(
        f'"{TABLE}"."report_id" IN (SELECT report_id FROM {name} WHERE words @@ %s::tsquery)',
        [tsquery],
        output_field=BooleanField(),
    )


def rum_page(query: str) -> Answer:
    terms = search_terms(query)
    return _candidates_page(terms, _side_table("bench_rum", rum_query(terms)))


@cache
def _jieba():
    from reports.rendering.words import tokenizer

    return tokenizer()


def jieba_words(text: str) -> set[str]:
    return {w for w in (word.lower() for word in _jieba().cut_for_search(text)) if RUN.fullmatch(w)}


def jieba_query(terms: list[str]) -> str:
    words = sorted({word for term in terms for word in jieba_words(term)})
    return " & ".join(f"'{word}'" for word in words) or "''"


def jieba_page(query: str) -> Answer:
    terms = search_terms(query)
    return _candidates_page(terms, _side_table("bench_jieba", jieba_query(terms)))


ENGINES: dict[str, Callable[[str], Answer]] = {
    "bigram": bigram_page,
    "trgm": trgm_page,
    "rum": rum_page,
    "jieba": jieba_page,
}


# --- Building the candidates' indexes -----------------------------------------------------------------------------


def _index_size(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s::regclass)", [name])
        return cursor.fetchone()[0]


def _fill(table: str, literal: Callable[[str], str]) -> float:
    """A candidate's own table: each entry's words as a tsvector, from its text; the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (report_id integer PRIMARY KEY, words tsvector NOT NULL)")
    rows = PublishedEntry.objects.order_by("pk").values_list("pk", "body")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:1000]):
        with connection.cursor() as cursor:
            values = ", ".join(["(%s, %s::tsvector)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} VALUES {values}",
                [value for pk, body in batch for value in (pk, literal(body))],
            )
        last = batch[-1][0]
    return time.perf_counter() - started


def _timed(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return time.perf_counter() - started


def rum_literal(text: str) -> str:
    """The bigrams with their positions (1-based, in the squeezed text; tsvector keeps at most 256 a lexeme and
    none beyond 16,383)."""
    letters = _squeezed(text)
    positions: dict[str, list[int]] = {}
    for i in range(len(letters) - 1):
        positions.setdefault(letters[i : i + 2], []).append(min(i + 1, POSITIONS))
    tokens = [f"'{gram}':{','.join(map(str, dict.fromkeys(at[:256])))}" for gram, at in sorted(positions.items())]
    if letters:
        tokens.append(f"'{letters[-1]}'")
    return " ".join(tokens)


@cache
def _cut_cached(block: str) -> tuple[str, ...]:
    return tuple(_jieba().cut_for_search(block))


def jieba_literal(text: str) -> str:
    # jieba cuts a text block by block between punctuation, so cutting the lines and sentences apart (and
    # remembering them: synthetic reports reuse sentences) gives the same words.
    words = set()
    for block in RUN.findall(text):
        words |= {w.lower() for w in _cut_cached(block) if RUN.fullmatch(w)}
    return " ".join(f"'{w}'" for w in sorted(words))


INDEXES = {
    "bigram": "entry_search_bigrams",
    "trgm": "bench_trgm",
    "rum": "bench_rum_words",
    "jieba": "bench_jieba_words",
}


def build(engine: str, log: Callable[[str], object]) -> dict:
    """Build an engine's index if it is missing: its size, and the seconds taken to fill its column (from the
    text, in Python) and to build the index. The portal's own bigram index is there already: its build is
    timed on a copy (dropped after) and its column's filling on 2,000 reports, scaled to all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {name for (name,) in cursor.fetchall()}
    index = INDEXES[engine]
    figures: dict = {"index": index}
    if engine == "bigram":
        bodies = list(PublishedEntry.objects.order_by("?").values_list("body", flat=True)[:2000])
        started = time.perf_counter()
        for body in bodies:
            tsvector_literal(body)
        share = PublishedEntry.objects.count() / max(1, len(bodies))
        figures["fill_s"] = round((time.perf_counter() - started) * share, 1)
        figures["index_s"] = round(
            _timed(
                [
                    "SET maintenance_work_mem = '256MB'",
                    f"CREATE INDEX bench_bigram_copy ON {TABLE} USING gin (search_bigrams)",
                    "DROP INDEX bench_bigram_copy",
                ]
            ),
            1,
        )
    elif index not in present:
        log(f"建立 {engine} 索引……")
        fill = 0.0
        if engine == "trgm":
            _timed(["CREATE EXTENSION IF NOT EXISTS pg_trgm"])
            statements = [f"CREATE INDEX bench_trgm ON {TABLE} USING gin (body gin_trgm_ops)"]
        elif engine == "rum":
            _timed(["CREATE EXTENSION IF NOT EXISTS rum"])
            fill = _fill("bench_rum", rum_literal)
            statements = ["CREATE INDEX bench_rum_words ON bench_rum USING rum (words rum_tsvector_ops)"]
        else:
            fill = _fill("bench_jieba", jieba_literal)
            statements = ["CREATE INDEX bench_jieba_words ON bench_jieba USING gin (words)"]
        seconds = _timed(["SET maintenance_work_mem = '256MB'", *statements])
        _timed([f"VACUUM ANALYZE {TABLE}", *([f"VACUUM ANALYZE bench_{engine}"] if engine in ("rum", "jieba") else [])])
        figures.update(fill_s=round(fill, 1), index_s=round(seconds, 1))
    figures["size_mb"] = round(_index_size(index) / 2**20, 1)
    return figures


def drop(engine: str) -> None:
    """Drop a candidate's index and column (never the portal's own)."""
    if engine == "bigram":
        return
    with connection.cursor() as cursor:
        if engine == "trgm":
            cursor.execute("DROP INDEX IF EXISTS bench_trgm")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS bench_{engine}")


# --- Running ----------------------------------------------------------------------------------------------------


def run(engine: str, queries: list[tuple[str, str]], truth: dict[str, Answer]) -> dict[str, Outcome]:
    page = ENGINES[engine]
    outcomes = {kind: Outcome() for kind in KINDS}
    for kind, query in queries:
        outcome = outcomes[kind]
        started = time.perf_counter()
        try:
            answer = page(query)
        except SearchTooBroad:
            answer = None
        except OperationalError as error:
            if type(error.__cause__).__name__ != "QueryCanceled":
                raise
            answer = None
        outcome.ms.append((time.perf_counter() - started) * 1000)
        expected = truth[query]
        if answer is None:
            outcome.timeouts += 1
            continue
        if answer.ids != expected.ids:
            outcome.mismatches += 1
            if len(outcome.examples) < 3:
                outcome.examples.append(f"{query}: {len(answer.ids)} 条，应为 {len(expected.ids)} 条")
        elif (answer.count, answer.more) != (expected.count, expected.more):
            outcome.count_differs += 1
    return outcomes


def sample(queries: list[tuple[str, str]], per_kind: int) -> list[tuple[str, str]]:
    """The first `per_kind` queries of each kind (the same ones for every engine sampled)."""
    taken: dict[str, int] = {}
    chosen = []
    for kind, query in queries:
        if taken.get(kind, 0) < per_kind:
            taken[kind] = taken.get(kind, 0) + 1
            chosen.append((kind, query))
    return chosen


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(outcomes: dict[str, Outcome]) -> dict:
    every = Outcome()
    for outcome in outcomes.values():
        every.ms += outcome.ms
        every.timeouts += outcome.timeouts
        every.mismatches += outcome.mismatches
        every.count_differs += outcome.count_differs
    rows = {}
    for kind, outcome in [*outcomes.items(), ("all", every)]:
        rows[kind] = {
            "queries": len(outcome.ms),
            "p50_ms": round(statistics.median(outcome.ms), 1) if outcome.ms else 0,
            "p95_ms": round(percentile(outcome.ms, 0.95), 1),
            "max_ms": round(max(outcome.ms, default=0), 1),
            "timeouts": outcome.timeouts,
            "mismatches": outcome.mismatches,
            "count_differs": outcome.count_differs,
        }
    return rows


def yardstick(texts: Texts, seed: int) -> dict:
    """Measured in the same run: a primary-key lookup of one report's text (p50 of 500), and the exact
    substring scan the indexes exist to avoid (a string no report holds, over every report)."""
    rng = random.Random(seed)
    lookups = []
    with connection.cursor() as cursor:
        for _ in range(500):
            started = time.perf_counter()
            cursor.execute(f"SELECT length(body) FROM {TABLE} WHERE report_id = %s", [rng.choice(texts.ids)])
            cursor.fetchone()
            lookups.append((time.perf_counter() - started) * 1000)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off")
        started = time.perf_counter()
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE body LIKE %s", ["%没有这个词语的报告%"])
        cursor.fetchone()
        scan = (time.perf_counter() - started) * 1000
    return {"pk_lookup_p50_ms": round(statistics.median(lookups), 2), "exact_scan_ms": round(scan, 1)}
