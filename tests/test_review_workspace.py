import csv
import datetime
import io

from reports.filing import services
from reports.filing.models import ReportState
from reports.review.progress import agencies_in, progress_rows
from reports.workflow import actions
from tests.factories import make_user, report_in_state


def test_the_workspace_lists_every_agency_in_the_jurisdiction_with_its_state(
    client, places, cycle, sx_filer, sx_reviewer
):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_reviewer)
    page = client.get("/review/2024/").content.decode()
    for name in ["山西省应急管理厅", "山西省人民政府", "长治市人民政府", "山西省司法厅"]:
        assert name in page
    assert "长治市应急管理局" not in page
    assert "已报送" in page and "未开始" in page


def test_counts_per_state_include_agencies_that_have_not_started(places, cycle, sx_filer, sx_reviewer):
    from reports.review.progress import state_counts

    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    counts = state_counts(agencies_in(places.sx_justice), cycle)
    assert counts[ReportState.SUBMITTED] == 1
    assert counts["not_started"] == 3


def test_late_and_due_soon_marks_follow_the_due_date(places, cycle, sx_filer, sx_reviewer):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    after = cycle.due_date + datetime.timedelta(days=5)
    rows = {row.agency.code: row for row in progress_rows(agencies_in(places.sx_justice), cycle, after)}
    assert rows["sx-zf"].days_late == 5
    assert rows["sx-yjglt"].days_late == 0
    before = cycle.due_date - datetime.timedelta(days=3)
    rows = {row.agency.code: row for row in progress_rows(agencies_in(places.sx_justice), cycle, before)}
    assert rows["sx-zf"].due_soon and not rows["sx-yjglt"].due_soon


def test_filters_by_state_level_and_region_live_in_the_url(client, places, cycle, sx_filer, sx_reviewer):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_reviewer)
    submitted = client.get("/review/2024/?state=submitted").content.decode()
    assert "山西省应急管理厅" in submitted and "长治市人民政府" not in submitted
    city = client.get("/review/2024/?level=city").content.decode()
    assert "长治市人民政府" in city and "山西省应急管理厅" not in city
    region = client.get(f"/review/2024/?region={places.changzhi.pk}").content.decode()
    assert "长治市人民政府" in region and "山西省人民政府" not in region


def test_bad_filters_and_page_numbers_get_a_clear_answer_not_an_error(client, sx_reviewer, cycle):
    client.force_login(sx_reviewer)
    for query in ["?state=nonsense", "?region=abc", "?page=99999", "?page=-1", "?level=galaxy"]:
        response = client.get("/review/2024/" + query)
        assert response.status_code == 200, query
    assert "筛选条件无效" in client.get("/review/2024/?state=nonsense").content.decode()


def test_the_csv_download_has_a_row_per_agency(client, places, cycle, sx_filer, sx_reviewer):
    report_in_state(ReportState.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_reviewer)
    response = client.get("/review/2024/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["机关", "行政区划代码", "地区", "状态"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["山西省应急管理厅"][3] == "已退回"
    assert by_name["长治市人民政府"][3] == "未开始"


def test_bulk_approve_acts_on_the_selected_reports_and_says_what_it_refused(client, places, cycle, sx_reviewer):
    filer_a = make_user("a", places.sx_emergency)
    filer_b = make_user("b", places.sx_government)
    ready = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, filer_a, sx_reviewer)
    draft = report_in_state(ReportState.DRAFT, places.sx_government, cycle, filer_b, sx_reviewer)
    client.force_login(sx_reviewer)
    response = client.post(
        "/review/2024/bulk/", {"action": "approve", "report": [ready.pk, draft.pk], "query": ""}, follow=True
    )
    page = response.content.decode()
    assert "已审核通过 1 份报告" in page
    assert "山西省人民政府" in page and "未能审核通过" in page
    ready.refresh_from_db()
    draft.refresh_from_db()
    assert (ready.state, draft.state) == (ReportState.APPROVED, ReportState.DRAFT)


def test_bulk_publish_cannot_reach_outside_the_jurisdiction(client, places, cycle, cz_filer, cz_reviewer, sx_reviewer):
    report = report_in_state(ReportState.APPROVED, places.cz_emergency, cycle, cz_filer, cz_reviewer)
    client.force_login(sx_reviewer)
    client.post("/review/2024/bulk/", {"action": "publish", "report": [report.pk], "query": ""})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_filers_cannot_open_the_reviewer_workspace(client, sx_filer, cycle):
    client.force_login(sx_filer)
    assert client.get("/review/2024/").status_code == 404


def test_the_workspace_runs_the_same_number_of_queries_for_ten_or_a_hundred_agencies(
    client, places, cycle, sx_reviewer, django_assert_max_num_queries
):
    from reports.agencies.models import Agency, AgencyKind

    def add_agencies(n, start):
        for i in range(start, start + n):
            agency = Agency.objects.create(
                code=f"dept-{i}", name=f"山西省第{i}厅", region=places.shanxi, kind=AgencyKind.DEPARTMENT
            )
            report = services.start_report(agency=agency, cycle=cycle)
            if i % 2:
                filer = make_user(f"filer-{i}", agency)
                actions.submit_report(report=_filled(report), by=filer)

    client.force_login(sx_reviewer)
    add_agencies(10, 0)
    with django_assert_max_num_queries(14) as small:
        assert client.get("/review/2024/").status_code == 200
    add_agencies(90, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/review/2024/").status_code == 200


def _filled(report):
    from tests.factories import fill_required_sections

    return fill_required_sections(report)


def test_only_late_shows_agencies_that_have_not_handed_in_after_the_due_date(
    client, places, cycle, sx_filer, sx_reviewer
):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    cycle.due_date = datetime.date(2020, 3, 1)
    cycle.save()
    client.force_login(sx_reviewer)
    page = client.get("/review/2024/?late=yes").content.decode()
    assert "山西省人民政府" in page and "逾期" in page
    assert 'data-agency="sx-yjglt"' not in page
