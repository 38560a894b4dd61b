import pytest

from reports.filing import services
from reports.filing.models import ReportState
from reports.workflow import actions
from tests.factories import fill_required_sections, make_user, submitted_report


def test_a_filer_cannot_read_another_agencys_draft(client, cz_draft, sx_filer):
    client.force_login(sx_filer)
    assert client.get(f"/work/reports/{cz_draft.pk}/").status_code == 404
    assert client.get(f"/work/reports/{cz_draft.pk}/preview/").status_code == 404


def test_a_filer_cannot_change_another_agencys_section(client, cz_draft, sx_filer):
    client.force_login(sx_filer)
    section = cz_draft.sections.get(key="duties")
    response = client.post(
        f"/work/reports/{cz_draft.pk}/sections/duties/",
        {"frame-heading": "改", "frame-text": "被篡改的内容", "frame-version": section.version},
    )
    assert response.status_code == 404
    section.refresh_from_db()
    assert section.text == ""


def test_a_filer_cannot_submit_another_agencys_report(client, cz_draft, sx_filer):
    fill_required_sections(cz_draft)
    client.force_login(sx_filer)
    assert client.post(f"/work/reports/{cz_draft.pk}/submit/").status_code == 404
    cz_draft.refresh_from_db()
    assert cz_draft.state == ReportState.DRAFT


def test_a_filer_sees_only_their_agencys_reports_in_the_workspace(client, sx_draft, cz_draft, sx_filer):
    client.force_login(sx_filer)
    page = client.get("/work/").content.decode()
    assert "山西省应急管理厅" in page
    assert "长治市应急管理局" not in page


def test_a_reviewer_cannot_act_outside_the_jurisdiction(client, places, cycle, cz_filer, sx_reviewer):
    report = submitted_report(places.cz_emergency, cycle, cz_filer)
    client.force_login(sx_reviewer)
    assert client.get(f"/work/reports/{report.pk}/").status_code == 404
    assert client.post(f"/review/reports/{report.pk}/approve/").status_code == 404
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_reviewer_sees_the_jurisdiction_in_the_workspace(client, places, cycle, sx_draft, cz_draft, sx_reviewer):
    services.start_report(agency=places.cz_government, cycle=cycle)
    client.force_login(sx_reviewer)
    page = client.get("/work/").content.decode()
    assert "山西省应急管理厅" in page
    assert "长治市人民政府" in page
    assert "长治市应急管理局" not in page


def test_a_filer_cannot_approve_their_own_report(client, places, cycle, sx_filer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    client.force_login(sx_filer)
    assert client.post(f"/review/reports/{report.pk}/approve/").status_code == 404
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_submitted_report_is_read_only_to_its_filer(client, places, cycle, sx_filer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    section = report.sections.get(key="duties")
    client.force_login(sx_filer)
    response = client.post(
        f"/work/reports/{report.pk}/sections/duties/",
        {"frame-heading": section.heading, "frame-text": "报送后再改", "frame-version": section.version},
        follow=True,
    )
    assert "不能修改" in response.content.decode()
    section.refresh_from_db()
    assert section.text != "报送后再改"


def test_returning_without_a_reason_is_refused_with_a_message(client, places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    client.force_login(sx_reviewer)
    response = client.post(f"/review/reports/{report.pk}/return/", {"reason": ""}, follow=True)
    assert "必须填写理由" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_an_inactive_reviewer_can_do_nothing(client, places, cycle, sx_filer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    reviewer = make_user("former", places.sx_justice, "reviewer")
    reviewer.is_active = False
    reviewer.save()
    client.force_login(reviewer)
    assert client.post(f"/review/reports/{report.pk}/approve/").status_code in (302, 404)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
def test_the_public_gets_404_for_any_unpublished_report(client, places, cycle, sx_filer, sx_reviewer, state):
    report = services.start_report(agency=places.sx_emergency, cycle=cycle)
    fill_required_sections(report)
    if state != "draft":
        actions.submit_report(report=report, by=sx_filer)
    if state == "returned":
        actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    if state == "approved":
        actions.approve_report(report=report, by=sx_reviewer)
    for url in ["/published/2024/sx-yjglt/", "/published/2024/sx-yjglt.pdf", f"/work/reports/{report.pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert "关于2024年度" not in client.get("/").content.decode()


def test_the_workspace_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
