"""The province-wide view for the provincial 司法厅: every agency at every level, progress by city and county,
court-ruling figures rolled up with their rates, .xlsx; read only, and a fixed number of queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reports.agencies.models import Agency, AgencyKind
from reports.filing.models import ProvincialCycleSettings, ReportSection
from reports.filing.services import start_report
from reports.rulings.models import CourtCaseFigures
from reports.workflow import actions
from tests.factories import filer_of, fill_required_sections, make_administrator, reviewer_of


def handed_in(agency, cycle, **counts):
    report = fill_required_sections(start_report(agency=agency, cycle=cycle))
    section = ReportSection.objects.get(report=report, key="rulings")
    CourtCaseFigures.objects.create(section=section, **counts)
    actions.submit_report(report=report, by=filer_of(agency))
    return report


@pytest.fixture
def shanxi_progress(places, cycle):
    """Shanxi: the department submitted, Changzhi's bureau returned, 潞城区 government drafting, the rest nothing."""
    handed_in(places.sx_emergency, cycle, defendant_concluded=10, defendant_lost=1, hearings=4, leader_appearances=4)
    returned = handed_in(places.cz_emergency, cycle, defendant_concluded=10, defendant_lost=3, hearings=6)
    actions.return_report(report=returned, by=reviewer_of(places.cz_emergency), reason="请补充。")
    start_report(agency=places.lc_government, cycle=cycle)
    start_report(agency=places.hb_emergency, cycle=cycle)
    return cycle


def test_the_provincial_justice_department_sees_every_level_by_city_and_county(client, shanxi_progress, sx_reviewer):
    client.force_login(sx_reviewer)
    page = client.get("/province/")
    view = page.context["view"]
    total = view.total
    assert total.agencies == 7  # the province's three, Changzhi's three, 潞城区's one; none of Hebei's
    assert (total.stages["submitted"], total.stages["returned"], total.stages["drafting"]) == (1, 1, 1)
    assert total.stages["not_started"] == 4
    rows = {row.region.code: row for row in view.rows}
    assert rows["140000"].tally.agencies == 3 and rows["140000"].depth == 0
    assert rows["140400"].tally.agencies == 4 and rows["140400"].depth == 1  # the city with its county
    assert rows["140406"].tally.stages["drafting"] == 1 and rows["140406"].depth == 2
    html = page.content.decode()
    assert "长治市" in html and "潞城区" in html and "河北" not in html


def test_the_court_ruling_figures_are_rolled_up_with_their_rates(client, shanxi_progress, sx_reviewer):
    client.force_login(sx_reviewer)
    figures = client.get("/province/").context["view"].figures
    rulings = next(block for block in figures if block["title"] == "行政复议和行政诉讼")
    counts = dict(rulings["counts"])
    # Handed-in reports only: the returned one is back with its agency.
    assert counts["作为被告的行政诉讼（审结）"] == 10 and counts["作为被告败诉"] == 1
    rates = dict(rulings["rates"])
    assert rates["行政诉讼败诉率"] == "10%" and rates["负责人出庭应诉率"] == "100%"


def test_agencies_past_the_provinces_due_date_count_as_late(client, shanxi_progress, sx_reviewer, places):
    ProvincialCycleSettings.objects.create(
        cycle=shanxi_progress,
        province=places.shanxi,
        due_date=datetime.date(2025, 1, 15),
        publication_deadline=datetime.date(2025, 3, 1),
    )
    client.force_login(sx_reviewer)
    view = client.get("/province/").context["view"]
    assert view.due_date == datetime.date(2025, 1, 15)
    assert view.total.late == 6  # all but the one handed in
    assert view.total.submitted_late == 1  # handed in today, after 15 January


def test_the_view_reads_and_never_writes_nor_changes_who_reviews(client, shanxi_progress, sx_reviewer, places):
    before = list(Agency.objects.reviewed_by(places.sx_justice).values_list("pk", flat=True))
    client.force_login(sx_reviewer)
    client.get("/province/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/province/").status_code == 200
        assert client.get("/province/agencies/", {"region": "140400"}).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert list(Agency.objects.reviewed_by(places.sx_justice).values_list("pk", flat=True)) == before


def test_the_view_answers_in_the_same_number_of_queries_for_more_agencies(
    client, shanxi_progress, sx_reviewer, places, django_assert_max_num_queries
):
    client.force_login(sx_reviewer)
    with CaptureQueriesContext(connection) as small:
        client.get("/province/")
    Agency.objects.bulk_create(
        Agency(code=f"lc-{i}", name=f"潞城区第{i}局", region=places.lucheng, kind=AgencyKind.DEPARTMENT)
        for i in range(60)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/province/")


def test_the_agency_list_covers_a_city_with_its_counties(client, shanxi_progress, sx_reviewer):
    client.force_login(sx_reviewer)
    page = client.get("/province/agencies/", {"region": "140400"}).content.decode()
    assert "长治市应急管理局" in page and "潞城区人民政府" in page and "山西省应急管理厅" not in page
    assert "已退回" in page and "填写中" in page


def test_the_view_exports_to_xlsx(client, shanxi_progress, sx_reviewer):
    client.force_login(sx_reviewer)
    response = client.get("/province/", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["进度", "机关", "案件数字"]
    progress = list(book["进度"].iter_rows(values_only=True))
    assert progress[0][:3] == ("行政区划代码", "地区", "机关数")
    assert {row[0] for row in progress[1:]} == {"140000", "140400", "140406"}
    agencies = list(book["机关"].iter_rows(values_only=True))
    assert len(agencies) == 1 + 7


def test_a_city_bureau_sees_its_city_an_administrator_their_region_a_filer_nothing(
    client, cz_reviewer, sx_filer, shanxi_progress, places
):
    client.force_login(cz_reviewer)
    assert client.get("/province/").context["view"].total.agencies == 4
    client.force_login(make_administrator("sx-admin", places.shanxi))
    assert client.get("/province/").context["view"].total.agencies == 7
    client.force_login(sx_filer)
    assert client.get("/province/").status_code == 404
