"""The data and query plans of `manage.py bench_public`, run inside the benchmark's own database."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from urllib.parse import urlencode

from django.db import connection

from reports.agencies.models import Agency
from reports.demo.synthetic import generate_reports
from reports.filing.models import Report
from reports.publication.filters import ReportFilter, public_entries
from reports.publication.models import PublishedEntry
from reports.publication.search import COUNT_LIMIT, containing, steered, with_bigrams
from reports.publication.services import rebuild_search_index

PREFIX = "97"
YEARS = 5
WALK = 20_000
SEARCHES = 5_000


def prepare(wanted: int, *, log: Callable[[str], object]) -> dict:
    """At least `wanted` published reports with their public entries; the pages to measure."""
    published = Report.objects.published().count()
    agencies = Agency.objects.filter(code__startswith=f"syn{PREFIX}-a").count()
    while published < wanted:
        # Every agency has YEARS - 1 published past years and a quarter of a chance for the latest.
        agencies += math.ceil((wanted - published) / (YEARS - 1)) + 50
        log(f"已公开 {published} 份，生成 {agencies} 个机关的报告……")
        generate_reports(agencies=agencies, years=YEARS, code_prefix=PREFIX)
        published = Report.objects.published().count()
    written, removed = rebuild_search_index()
    log(f"已公开 {published} 份；公开索引写入 {written} 条，删除 {removed} 条。")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {PublishedEntry._meta.db_table}")
    year = max(PublishedEntry.objects.values_list("year", flat=True).distinct()) - 1
    report = PublishedEntry.objects.filter(year=year).select_related("agency").order_by("report")[published // 10]
    pages = {
        "home": "/",
        "list": "/published/?" + urlencode({"year": year, "level": "county", "kind": "department"}),
        "search": "/published/?" + urlencode({"q": "行政执法"}),
        "report": f"/published/{year}/{report.agency.code}/",
    }
    walk = [
        f"/published/{year}/{code}/"
        for year, code in PublishedEntry.objects.order_by("?").values_list("year", "agency__code")[:WALK]
    ]
    return {"published": published, "pages": pages, "walk": walk, "searches": _searches()}


def _searches() -> list[str]:
    """Different searches, as readers type them: 2 to 6 characters of some report's text."""
    rng = random.Random(2024)
    bodies = list(PublishedEntry.objects.order_by("?").values_list("body", flat=True)[:200])
    searches = set()
    while len(searches) < SEARCHES:
        body = rng.choice(bodies)
        start = rng.randrange(len(body) - 6)
        phrase = body[start : start + rng.randint(2, 6)].strip()
        if phrase and "\n" not in phrase:
            searches.add("/published/?" + urlencode({"q": phrase}))
    return sorted(searches)


def explain(term: str) -> str:
    """EXPLAIN ANALYZE of the queries behind a filtered list and a search, on the benchmark's data."""
    year = max(PublishedEntry.objects.values_list("year", flat=True).distinct()) - 1
    listing = ReportFilter({"year": year, "level": "county", "kind": "department"}, queryset=public_entries()).qs
    plans = [
        ("filtered list, first page", listing[:20], False),
        ("filtered list, count", listing.order_by().values("pk"), False),
        (f"search “{term}”: candidates, counted up to {COUNT_LIMIT}", _candidates(term), False),
        (f"search “{term}”: first page, walking newest first", containing(public_entries(), [term])[:20], True),
        ("search for a string no report holds: first page", _rare_page(), False),
    ]
    explained = []
    for name, queryset, walk in plans:
        with steered(walk=walk):
            explained.append(f"-- {name}\n{queryset.explain(analyze=True, buffers=True)}")
    return "\n\n".join(explained)


def _candidates(term: str):
    return with_bigrams(public_entries(), [term]).order_by()[: COUNT_LIMIT + 1].values("pk")


def _rare_page():
    terms = ["没有这个词语"]
    return with_bigrams(containing(public_entries(), terms), terms)[:20]
