"""The data and query plans of `manage.py bench_public`, run inside the benchmark's own database."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from urllib.parse import urlencode

from django.db import connection
from django.db.models import F

from reports.agencies.models import Agency, Region
from reports.demo.synthetic import add_corrections, generate_reports
from reports.filing.models import Publication, Report
from reports.publication.agency_pages import keep_pages
from reports.publication.filters import ReportFilter, public_entries
from reports.publication.models import EntryListing, PublishedEntry, StoredAgencyPage, StoredPage
from reports.publication.pages import page_format, store_pages
from reports.publication.search import COUNT_LIMIT, containing, steered, with_bigrams
from reports.publication.services import rebuild_search_index

PREFIX = "97"
YEARS = 5
WALK = 20_000
SEARCHES = 5_000
# The cold walks: this many distinct addresses of each kind, each read once after the cache is flushed.
COLD = 4_000


def prepare(wanted: int, *, log: Callable[[str], object], stored_pages: bool = True, origin: str = "") -> dict:
    """At least `wanted` published reports with their public entries; the pages to measure. Without
    `stored_pages` the stored report pages are removed, to measure report pages rendered on every miss."""
    published = Report.objects.published().count()
    agencies = Agency.objects.filter(code__startswith=f"syn{PREFIX}-a").count()
    while published < wanted:
        # Every agency has YEARS - 1 published past years and a quarter of a chance for the latest.
        agencies += math.ceil((wanted - published) / (YEARS - 1)) + 50
        log(f"已公开 {published} 份，生成 {agencies} 个机关的报告……")
        generate_reports(agencies=agencies, years=YEARS, code_prefix=PREFIX)
        published = Report.objects.published().count()
    if not Publication.objects.filter(number=2, report__agency__code__startswith=f"syn{PREFIX}-").exists():
        log(f"为约 5% 的报告加上更正（第二版）：{add_corrections(code_prefix=PREFIX)} 份。")
    written, removed = rebuild_search_index()
    log(f"已公开 {published} 份；公开索引写入 {written} 条，删除 {removed} 条。")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (PublishedEntry, EntryListing):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            # The agencies, regions and reports were just generated: statistics as autovacuum would leave them.
            cursor.execute("ANALYZE")
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
    cold = cold_walks(year)
    if stored_pages:
        rendered = store_walked_pages(cold["report"] + cold["version"], log=log)
        log(f"为冷读的报告和版本生成页面 {rendered} 个。")
        if origin:
            # As `rebuild_public_index --agency-pages ORIGIN` keeps them: rendered beforehand, not read.
            walked = cold["agency"] + cold["compare"] + cold["api_report"]
            log(f"为冷读的机关页面、年度对比和接口报告生成页面 {keep_pages(walked, origin, log=log)} 个。")
    else:
        StoredPage.objects.all().delete()
        StoredAgencyPage.objects.all().delete()
    return {
        "published": published,
        "stored_pages": StoredPage.objects.count(),
        "stored_agency_pages": StoredAgencyPage.objects.count(),
        "pages": pages,
        "walk": walk,
        "searches": _searches(),
        "cold": cold,
    }


def cold_walks(year: int) -> dict[str, list[str]]:
    """Distinct addresses of every kind of public page, COLD of each where the data have that many. Pages with
    one address (home, feed) are told apart by a query string they ignore: each is a miss of its own."""
    rng = random.Random(2025)
    entries = list(
        PublishedEntry.objects.filter(report_id__in=_spread(PublishedEntry.objects.values_list("pk", flat=True)))
        .order_by("pk")
        .values_list("year", "agency__code", "version")
    )
    rng.shuffle(entries)
    reports = [f"/published/{y}/{code}/" for y, code, _version in entries][:COLD]
    corrected = PublishedEntry.objects.filter(version__gt=1)
    corrected = list(
        corrected.filter(report_id__in=_spread(corrected.values_list("pk", flat=True))).values_list(
            "year", "agency__code", "version"
        )
    )
    rng.shuffle(corrected)
    versions = [f"/published/{y}/{code}/v{n}/" for y, code, v in corrected for n in range(1, v)][:COLD]
    codes = list(dict.fromkeys(code for _y, code, _v in entries))[:COLD]
    years = sorted({y for y, _code, _v in entries})
    regions = list(Region.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True))
    lists, api = [], []
    for _ in range(COLD):
        query = {"year": rng.choice([*years, ""]), "level": rng.choice(["", "province", "city", "county"])}
        query["kind"] = rng.choice(["", "government", "department", "justice"])
        if regions and rng.random() < 0.5:
            query["region"] = rng.choice(regions)
        query = {name: value for name, value in query.items() if value}
        page = rng.choice([1, 1, 1, 2, 3, 5, 10, 50])
        lists.append("/published/?" + urlencode({**query, "page": page}))
        # The API answers a page past the last with a 400: its walk stays on the first pages.
        api.append("/api/v1/reports/?" + urlencode({**query, "page": min(page, 2)}))
    statuses = ["", "on_time", "late", "missing"]
    compliance = [
        "/compliance/?" + urlencode({"year": y, "region": r, "status": st, "page": p})
        for y in years
        for r in ["", *regions]
        for st in statuses
        for p in (1, 2)
    ]
    rng.shuffle(compliance)
    return {
        "home": [f"/?cold={n}" for n in range(COLD)],
        # More addresses than the data have filter combinations: told apart by a parameter the pages ignore.
        "report": reports,
        "version": versions,
        "agency": [f"/agencies/{code}/" for code in codes],
        "compare": [f"/agencies/{code}/compare/" for code in codes],
        "list": _distinct(lists),
        "compliance": _distinct(compliance),
        "api_list": _distinct(api),
        "api_report": [f"/api/v1/reports/{y}/{code}/" for y, code, _v in entries][:COLD],
        "feed": [f"/feed/?cold={n}" for n in range(COLD)],
    }


def _distinct(paths: list[str]) -> list[str]:
    paths = list(dict.fromkeys(paths))
    extra = [f"{path}&cold={n}" for n, path in enumerate(paths * (COLD // max(len(paths), 1)))]
    return (paths + extra)[:COLD]


def _spread(ids) -> list[int]:
    """COLD ids spread over the whole table (every n-th), so the walk reads old and new reports alike."""
    ids = list(ids.order_by("pk"))
    step = max(1, len(ids) // COLD)
    return ids[::step][:COLD]


def store_walked_pages(paths: list[str], *, log: Callable[[str], object]) -> int:
    """The stored pages of the reports the walks read (publication stores every report's; a database generated
    before stored pages existed gets them here for those reports, `rebuild_public_index` does all)."""
    wanted = {tuple(path.split("/")[2:4]) for path in paths}
    # A page of the version now published (the synthetic corrections are added behind publication's back).
    current = StoredPage.objects.filter(
        page_format=page_format(), is_current=True, revision=F("report__published_revision")
    )
    have = set(current.values_list("year", "agency_code"))
    missing = [(int(y), code) for y, code in wanted if (int(y), code) not in have]
    ids = PublishedEntry.objects.filter(agency__code__in=[code for _y, code in missing]).values_list(
        "pk", "year", "agency__code"
    )
    todo = [pk for pk, y, code in ids if (y, code) in set(missing)]
    rendered = 0
    for done, pk in enumerate(todo, 1):
        rendered += store_pages(pk)
        if done % 500 == 0:
            log(f"页面 {done}/{len(todo)}")
    return rendered


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
