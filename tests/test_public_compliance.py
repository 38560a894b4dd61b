import datetime
import re

import pytest

from reports.filing import services
from reports.filing.models import ProvincialCycleSettings, ReportState
from reports.publication.models import PublishedEntry
from tests.factories import filer_of, report_in_state
from tests.publishing import first_published_on, published_report, withdraw


@pytest.fixture
def year_2024(places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    """2024 (deadline 1 April 2025): one report on time, one late, one withdrawn, one approved but not published."""
    first_published_on(published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer), datetime.date(2025, 3, 20))
    first_published_on(published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer), datetime.date(2025, 4, 5))
    withdrawn = published_report(places.cz_government, cycle, filer_of(places.cz_government), cz_reviewer)
    first_published_on(withdrawn, datetime.date(2025, 3, 1))
    withdraw(withdrawn, cz_reviewer)
    report_in_state(ReportState.APPROVED, places.sx_government, cycle, filer_of(places.sx_government), sx_reviewer)


def counts(page):
    block = page.split('id="compliance-counts"')[1].split('<div class="row g-2')[0]
    return [int(n) for n in re.findall(r'<div class="count">(\d+)</div>', block)]


def statuses(page):
    table = page.split('id="compliance-table"')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        name = re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip()
        rows[name] = re.sub(r"<[^>]+>", "", row.split("</td>")[1]).strip()
    return rows


def test_the_board_counts_agencies_published_on_time_late_and_not_at_all(client, year_2024):
    page = client.get("/compliance/?year=2024").content.decode()
    assert counts(page) == [8, 1, 1, 6]
    assert "按时公开（12.5%）" in page


def test_the_board_tells_each_agency_apart(client, year_2024):
    rows = statuses(client.get("/compliance/?year=2024").content.decode())
    assert rows["山西省应急管理厅"] == "按时公开"
    assert rows["长治市应急管理局"] == "逾期公开"
    assert rows["长治市人民政府"] == "已撤回"
    assert rows["山西省人民政府"] == "未公开"
    assert rows["河北省应急管理厅"] == "未公开"


def test_no_agency_appears_as_published_without_a_public_report(client, year_2024):
    public = set(PublishedEntry.objects.public().values_list("agency__name", flat=True))
    rows = statuses(client.get("/compliance/?year=2024").content.decode())
    assert {name for name, status in rows.items() if status in ("按时公开", "逾期公开")} == public


def test_a_region_counts_its_own_agencies_and_those_of_its_divisions(client, year_2024):
    page = client.get("/compliance/?year=2024&region=140000").content.decode()
    assert counts(page) == [7, 1, 1, 5]
    by_region = page.split('id="by-region-heading"')[1].split("</table>")[0]
    assert "山西省本级</th>\n      <td>3</td><td>1</td><td>0</td><td>2</td>" in by_region
    assert ">长治市</a></th>\n      <td>4</td><td>0</td><td>1</td><td>3</td>" in by_region
    assert "河北省应急管理厅" not in page


def test_the_board_lists_only_the_agencies_in_the_chosen_state(client, year_2024):
    assert list(statuses(client.get("/compliance/?year=2024&status=on_time").content.decode())) == ["山西省应急管理厅"]
    missing = statuses(client.get("/compliance/?year=2024&status=missing").content.decode())
    assert set(missing) == {
        "山西省司法厅",
        "山西省人民政府",
        "长治市人民政府",
        "长治市司法局",
        "潞城区人民政府",
        "河北省应急管理厅",
    }


def test_before_the_deadline_missing_reports_are_not_yet_due(client, places, year_2024):
    services.open_cycle(year=2030)
    page = client.get("/compliance/?year=2030").content.decode()
    assert counts(page) == [8, 0, 0, 8]
    assert "尚未公开（截止日期未到）" in page


def test_the_board_shows_the_latest_year_whose_deadline_has_passed_by_default(client, year_2024):
    services.open_cycle(year=2030)
    assert "2024年度报告公开情况" in client.get("/compliance/").content.decode()


def test_a_province_moving_its_deadline_shows_on_the_board_it_was_read_from_at_once(client, places, cycle, year_2024):
    before = client.get("/compliance/?year=2024&region=140000").content.decode()
    assert statuses(before)["长治市应急管理局"].startswith("逾期公开")
    ProvincialCycleSettings.objects.create(
        cycle=cycle,
        province=places.shanxi,
        due_date=datetime.date(2025, 3, 1),
        publication_deadline=datetime.date(2025, 4, 10),
        requires_sign_off=False,
    )
    after = client.get("/compliance/?year=2024&region=140000").content.decode()
    assert statuses(after)["长治市应急管理局"].startswith("按时公开")
    assert "2025年4月10日" in after


def test_bad_board_parameters_are_a_400(client, year_2024):
    for query in ["?year=abc", "?year=1990", "?region=999999", "?region=%00", "?status=perfect"]:
        response = client.get(f"/compliance/{query}")
        assert response.status_code == 400, query
        assert "查询条件有误" in response.content.decode()
    assert client.get("/compliance/?year=2024&page=zzz").status_code == 200


def test_the_board_runs_a_bounded_number_of_queries(client, year_2024, django_assert_max_num_queries):
    for query in ["?year=2024", "?year=2024&region=140000&status=missing"]:
        with django_assert_max_num_queries(12):
            assert client.get(f"/compliance/{query}").status_code == 200
