import datetime
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from reports.agencies.models import AgencyKind, Level, Region
from reports.filing import services
from reports.filing.models import ProvincialCycleSettings
from reports.publication import cache as public_cache
from reports.publication import list_pages, listing
from reports.publication.cache import GENERATION_KEY
from reports.publication.filters import ReportFilter, public_entries
from reports.publication.listing import render_stale_rows
from reports.publication.models import EntryListing, PublishedEntry, listing_key
from reports.publication.serializers import ReportSummarySerializer
from tests.factories import filer_of, reviewer_of
from tests.publishing import first_published_on, forget_cached_pages, published_report, withdraw


@pytest.fixture
def published(places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    """Reports of a province department, a city department and a city government, for 2023 and 2024."""
    earlier = services.open_cycle(year=2023)
    reports = [
        published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer),
        published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer),
        published_report(places.cz_government, cycle, filer_of(places.cz_government), cz_reviewer),
        published_report(places.sx_emergency, earlier, sx_filer, sx_reviewer),
    ]
    for days, report in enumerate(reports):
        first_published_on(report, datetime.date(2025, 3, 1) - datetime.timedelta(days=days))
    return reports


def names(client, query=""):
    page = client.get(f"/published/{query}").content.decode()
    listed = page[page.index('id="published-reports"') :]
    return [name for name in ["山西省应急管理厅", "长治市应急管理局", "长治市人民政府"] if name in listed], listed


def test_the_list_shows_every_published_report_newest_first(client, published):
    _, listed = names(client)
    assert listed.count('class="list-group-item entry"') == 4
    assert listed.index("长治市应急管理局") < listed.index("长治市人民政府")
    assert "共 4 份报告" in client.get("/published/").content.decode()


def test_the_list_filters_by_year(client, published):
    _, listed = names(client, "?year=2023")
    assert listed.count('class="list-group-item entry"') == 1
    assert "2023年度" in listed


def test_a_region_includes_the_divisions_under_it(client, published):
    assert names(client, "?region=140000")[0] == ["山西省应急管理厅", "长治市应急管理局", "长治市人民政府"]
    assert names(client, "?region=140400")[0] == ["长治市应急管理局", "长治市人民政府"]
    assert names(client, "?region=130000")[0] == []


def test_the_list_filters_by_level_kind_and_agency(client, published):
    assert names(client, "?level=province")[0] == ["山西省应急管理厅"]
    assert names(client, "?level=city&kind=government")[0] == ["长治市人民政府"]
    assert names(client, "?agency=cz-yjglj")[0] == ["长治市应急管理局"]


def test_the_chosen_agency_shows_as_a_removable_condition(client, published):
    page = client.get("/published/?agency=cz-yjglj&year=2024").content.decode()
    assert "机关：长治市应急管理局" in page
    assert 'href="?year=2024"' in page


def test_the_region_choice_opens_the_chosen_regions_divisions(client, published):
    assert "长治市" not in client.get("/published/").content.decode().split('id="id_region"')[1].split("</select>")[0]
    choice = client.get("/published/?region=140000").content.decode().split('id="id_region"')[1].split("</select>")[0]
    assert '<option value="140400">' in choice
    assert '<option value="140000" selected>' in choice


def test_bad_filter_values_are_a_400_that_says_what_is_wrong(client, published):
    queries = ["?year=abc", "?year=1999", "?region=999999", "?kind=ministry", "?agency=nobody", "?q=" + "法" * 51]
    for query in [*queries, "?region=%00", "?agency=a%00b", "?q=%00", "?year=%00"]:
        response = client.get(f"/published/{query}")
        assert response.status_code == 400, query
        assert "查询条件有误" in response.content.decode()


def test_unknown_parameters_and_bad_page_numbers_are_ignored(client, published):
    for query in ["?colour=red", "?page=abc", "?page=-3", "?page=99999", "?page=" + "9" * 40]:
        response = client.get(f"/published/{query}")
        assert response.status_code == 200, query
        assert "份报告" in response.content.decode()


def test_pages_keep_the_filters_in_their_links(client, published, monkeypatch):
    monkeypatch.setattr(list_pages, "PER_PAGE", 2)
    page = client.get("/published/?region=140000").content.decode()
    assert 'href="?region=140000&amp;page=2"' in page
    assert "第 2 / 2 页" in client.get("/published/?region=140000&page=2").content.decode()


def test_the_list_runs_a_bounded_number_of_queries(client, published, django_assert_max_num_queries):
    for query in ["", "?year=2024&region=140000&level=city&kind=department&agency=cz-yjglj"]:
        with django_assert_max_num_queries(10):
            assert client.get(f"/published/{query}").status_code == 200
    # A search plans its queries in a transaction of its own (see search.SearchPaginator).
    with django_assert_max_num_queries(14):
        assert client.get("/published/?q=推进 工作&region=140000").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def _options(page: str, name: str) -> str:
    return page.split(f'id="id_{name}"')[1].split("</select>")[0]


def test_the_filters_offer_a_region_and_a_year_added_since_the_last_list_at_once(client, published, places):
    assert "吕梁市" not in _options(client.get("/published/?region=140000").content.decode(), "region")
    Region.objects.create(code="141100", name="吕梁市", level=Level.CITY, parent=places.shanxi)
    services.open_cycle(year=2025)
    page = client.get("/published/?region=140000&kind=department").content.decode()
    assert '<option value="141100">\u3000吕梁市</option>' in _options(page, "region")
    assert '<option value="2025">2025年度</option>' in _options(page, "year")
    chosen = client.get("/published/?region=141100&year=2025")
    assert chosen.status_code == 200
    assert "共 0 份报告" in chosen.content.decode()
    places.changzhi.name = "长治市（新名）"
    places.changzhi.save()
    assert "长治市（新名）" in _options(client.get("/published/?region=140400").content.decode(), "region")


def test_a_region_changed_by_another_process_is_offered_once_the_generation_moves(client, published, monkeypatch):
    client.get("/published/?region=140000")
    # Written past this process's signals, as another web worker's console would be; its signal moves the
    # generation on in the cache (`signals._places_changed`), which this process reads again after a second.
    Region.objects.filter(code="140400").update(name="长治市（另一进程）")
    cache.incr(GENERATION_KEY)
    monkeypatch.setattr(public_cache, "RECENT_SECONDS", 0)
    page = client.get("/published/?region=140000&year=2024").content.decode()
    assert "长治市（另一进程）" in _options(page, "region")


def test_a_list_asks_for_the_years_and_regions_once_while_nothing_changes(client, published):
    client.get("/published/?region=140000")
    for query in ["?region=140400", "?year=2024&region=140000", "?level=city&region=140406"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/published/{query}").status_code == 200
        asked = " ".join(query["sql"] for query in queries.captured_queries)
        assert "agencies_region" not in asked and "filing_reportingcycle" not in asked, query


def test_a_list_counts_what_its_pages_show(client, everywhere, places, monkeypatch):
    monkeypatch.setattr(list_pages, "PER_PAGE", 2)
    for query in ["", "?year=2024", "?region=140000", "?level=county", "?kind=department&region=140400"]:
        expected = len(_joined(*_arguments(query)))
        shown = 0
        for page in range(1, max(1, -(-expected // 2)) + 1):
            listed = names(client, f"{query}{'&' if query else '?'}page={page}")[1].split("</ul>")[0]
            shown += listed.count('<li class="list-group-item entry">')
        assert shown == expected, query
        assert f"共 {expected} 份报告" in client.get(f"/published/{query}").content.decode(), query
        assert client.get(f"/api/v1/reports/{query}").json()["count"] == expected, query


def _arguments(query: str) -> tuple:
    given = dict(part.split("=") for part in query.lstrip("?").split("&") if part)
    region = Region.objects.get(code=given["region"]) if "region" in given else None
    return (int(given["year"]) if "year" in given else None, given.get("level", ""), given.get("kind", ""), region)


def test_a_broad_list_is_counted_only_up_to_the_limit_and_says_there_are_more(
    client, places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer, monkeypatch
):
    from reports.publication import filters

    monkeypatch.setattr(filters, "COUNT_LIMIT", 1)
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    page = client.get("/published/?year=2024").content.decode()
    assert "找到的报告在 1 份以上" in page
    listed = client.get("/api/v1/reports/?year=2024").json()
    assert listed["count"] == 1
    assert listed["more_than_count"] is True
    narrow = client.get("/api/v1/reports/?agency=sx-yjglt").json()
    assert narrow["count"] == 1
    assert narrow["more_than_count"] is False


def _joined(year=None, level="", kind="", region=None):
    """The reports of a list by the filters as joins over the agencies and regions, newest first."""
    entries = PublishedEntry.objects.public()
    if year:
        entries = entries.filter(year=year)
    if level:
        entries = entries.filter(agency__region__level=level)
    if kind:
        entries = entries.filter(agency__kind=kind)
    if region:
        entries = entries.filter(agency__region__in=Region.objects.within(region))
    return list(entries.order_by("-published_at", "-report_id").values_list("report_id", flat=True))


def _listed(year=None, level="", kind="", region=None):
    query = {"year": year or "", "level": level, "kind": kind, "region": region.code if region else ""}
    filters = ReportFilter(query, queryset=public_entries())
    assert filters.is_valid(), filters.errors
    return list(filters.qs.values_list("report_id", flat=True))


@pytest.fixture
def everywhere(published, places, cycle, sx_reviewer):
    """Beside `published`: a county government's report, and a justice department's published the same moment
    as another report (the order then goes by report)."""
    added = [
        published_report(agency, cycle, filer_of(agency), reviewer)
        for agency, reviewer in [
            (places.lc_government, reviewer_of(places.lc_government)),
            (places.cz_justice, sx_reviewer),
        ]
    ]
    first_published_on(added[1], datetime.date(2025, 3, 1))
    return [*published, *added]


def test_every_combination_of_filters_lists_the_reports_the_joins_find_in_the_same_order(everywhere, places):
    regions = [None, places.shanxi, places.changzhi, places.lucheng, places.hebei]
    lists = 0
    for year, level, kind, region in itertools.product(
        [None, 2023, 2024], ["", *Level.values], ["", *AgencyKind.values], regions
    ):
        assert _listed(year, level, kind, region) == _joined(year, level, kind, region), (year, level, kind, region)
        lists += bool(_joined(year, level, kind, region))
    assert lists > 30


def test_a_list_reads_one_walk_of_its_listing(everywhere, places):
    entry = PublishedEntry.objects.get(agency=places.lc_government)
    keys = set(EntryListing.objects.filter(entry=entry).values_list("key", flat=True))
    assert len(keys) == 2 * 2 * 2 * 4
    assert listing_key(year=2024, level="county", kind="government", region_code="140400") == 2024_3_1_140400
    assert {2024_3_1_140406, 2024_3_1_140400, 2024_3_1_140000, 2024_3_1_000000, 0} <= keys


def test_an_agency_moved_to_another_region_or_kind_is_listed_where_it_now_stands(client, everywhere, places):
    moved = places.cz_emergency
    moved.region, moved.kind = places.hebei, AgencyKind.JUSTICE
    moved.save()
    forget_cached_pages()
    assert names(client, "?region=130000")[0] == ["长治市应急管理局"]
    assert names(client, "?region=140400")[0] == ["长治市人民政府"]
    assert names(client, "?kind=justice&level=province")[0] == ["长治市应急管理局"]
    assert "长治市司法局" in names(client, "?kind=justice&level=city")[1]
    assert "长治市应急管理局" not in names(client, "?kind=department")[1]
    for year, level, kind, region in [(None, "", "", places.hebei), (2024, "province", "justice", None)]:
        assert _listed(year, level, kind, region) == _joined(year, level, kind, region)


def test_a_region_moved_under_another_takes_its_agencies_reports_with_it(client, everywhere, places):
    places.changzhi.parent = places.hebei
    places.changzhi.save()
    forget_cached_pages()
    assert names(client, "?region=130000")[0] == ["长治市应急管理局", "长治市人民政府"]
    assert "潞城区人民政府" in names(client, "?region=130000")[1]
    assert names(client, "?region=140000")[0] == ["山西省应急管理厅"]
    for region in [places.shanxi, places.hebei, places.changzhi, places.lucheng]:
        assert _listed(region=region) == _joined(region=region)


def test_renaming_a_region_rewrites_no_list(everywhere, places):
    places.shanxi.name = "山西"
    with CaptureQueriesContext(connection) as captured:
        places.shanxi.save()
    assert not [query for query in captured if "entrylisting" in query["sql"]]


def test_a_withdrawn_report_leaves_every_list(client, everywhere, places, sx_reviewer):
    report = everywhere[0]
    withdraw(report, sx_reviewer)
    assert not EntryListing.objects.filter(entry_id=report.pk).exists()
    for region in [None, places.shanxi]:
        assert _listed(region=region) == _joined(region=region)
    assert "山西省应急管理厅" not in names(client, "?level=province&year=2024")[1]


def test_a_list_page_runs_as_many_queries_for_one_report_as_for_many(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    queries = {}
    for count in ("one", "many"):
        if count == "many":
            for agency in [places.sx_government, places.cz_government, places.cz_emergency, places.lc_government]:
                published_report(agency, cycle, filer_of(agency), reviewer_of(agency))
        for url in ["/published/?region=140000&kind=", "/api/v1/reports/?region=140000"]:
            forget_cached_pages()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            queries[count, url] = len(captured)
    for url in ["/published/?region=140000&kind=", "/api/v1/reports/?region=140000"]:
        assert queries["one", url] == queries["many", url], queries


def test_a_stored_row_is_what_the_template_and_the_api_serializer_give(client, everywhere, places, rf, settings):
    settings.ALLOWED_HOSTS = ["testserver", "portal.intranet"]
    entry = PublishedEntry.objects.select_related("agency__region", "cycle").get(agency=places.lc_government)
    assert entry.row_format == listing.row_format()
    assert entry.list_item == render_to_string("publication/parts/entry.html", {"entry": entry})
    assert entry.list_item in client.get("/published/?region=140406").content.decode()
    listed = client.get("/api/v1/reports/?region=140406", HTTP_HOST="portal.intranet", secure=True).json()
    request = rf.get("/api/v1/reports/", HTTP_HOST="portal.intranet", secure=True)
    assert listed["results"] == [ReportSummarySerializer(entry, context={"request": request}).data]
    assert listed["results"][0]["url"] == "https://portal.intranet/published/2024/lc-zf/"


def test_a_row_rendered_otherwise_is_rendered_again_when_read(client, everywhere, places):
    PublishedEntry.objects.update(row_format="an older version", list_item="<li>旧的</li>", summary={})
    page = client.get("/published/?level=county").content.decode()
    assert "旧的" not in page and "潞城区人民政府" in page
    assert PublishedEntry.objects.get(agency=places.lc_government).row_format == listing.row_format()
    assert client.get("/api/v1/reports/?level=province").json()["results"][0]["agency"]["code"] == "sx-yjglt"
    assert render_stale_rows() == len(everywhere) - 3


def test_the_lists_show_an_agency_renamed_and_deadlines_moved(client, everywhere, places, cycle):
    # 潞城区人民政府 published its report only now, after the national deadline.
    assert names(client, "?region=140000&year=2024")[1].count("逾期公开") == 1
    places.cz_emergency.name = "长治市应急管理局（新）"
    places.cz_emergency.save()
    ProvincialCycleSettings.objects.create(
        cycle=cycle,
        province=places.shanxi,
        due_date=datetime.date(2025, 2, 1),
        publication_deadline=datetime.date(2025, 2, 27),
        requires_sign_off=False,
    )
    forget_cached_pages()
    page = names(client, "?region=140000&year=2024")[1]
    assert "长治市应急管理局（新）" in page
    assert page.count("逾期公开") == 4
    listed = client.get("/api/v1/reports/?region=140000&year=2024").json()["results"]
    assert [row["on_time"] for row in listed].count(False) == 4
    assert "长治市应急管理局（新）" in [row["agency"]["name"] for row in listed]
