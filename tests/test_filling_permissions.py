import pytest

from reports.filing.models import ReportSection
from reports.workflow import actions
from tests.factories import make_user, submitted_report
from tests.section_forms import frame, measures_post

SECTIONS = ["measures", "shortcomings", "duties", "rulings", "plans"]


def edit_url(report, key):
    return f"/work/reports/{report.pk}/sections/{key}/"


@pytest.mark.parametrize("key", SECTIONS)
def test_a_filer_can_open_every_section_of_their_agencys_draft(client, sx_draft, sx_filer, key):
    client.force_login(sx_filer)
    response = client.get(edit_url(sx_draft, key))
    assert response.status_code == 200
    assert "保存本部分" in response.content.decode()


@pytest.mark.parametrize("key", SECTIONS)
def test_another_agencys_filer_finds_no_such_page(client, cz_draft, sx_filer, key):
    client.force_login(sx_filer)
    assert client.get(edit_url(cz_draft, key)).status_code == 404
    section = cz_draft.sections.get(key=key)
    assert client.post(edit_url(cz_draft, key), frame(section, text="篡改")).status_code == 404
    section.refresh_from_db()
    assert section.text == "" and section.version == 1


def test_another_agencys_filer_cannot_build_chapters_in_it(client, cz_draft, sx_filer):
    client.force_login(sx_filer)
    section = cz_draft.sections.get(key="measures")
    chapters = [{"heading": "篡改", "points": [{"heading": "篡改", "body": "篡改"}]}]
    assert client.post(edit_url(cz_draft, "measures"), measures_post(section, chapters)).status_code == 404
    assert not section.chapters.exists()


def test_a_reviewer_reads_but_cannot_edit_a_section(client, places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    client.force_login(sx_reviewer)
    response = client.get(edit_url(report, "duties"), follow=True)
    assert "您不能修改" in response.content.decode()
    section = report.sections.get(key="duties")
    client.post(edit_url(report, "duties"), frame(section, text="审核人改的"))
    section.refresh_from_db()
    assert section.text != "审核人改的"


def test_a_submitted_report_cannot_be_edited_until_it_is_returned(client, places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    client.force_login(sx_filer)
    section = report.sections.get(key="duties")
    response = client.post(edit_url(report, "duties"), frame(section, text="报送后再改"), follow=True)
    assert "不能修改" in response.content.decode()
    assert ReportSection.objects.get(pk=section.pk).text != "报送后再改"
    actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    response = client.post(edit_url(report, "duties"), frame(section, text="退回后修改"), follow=True)
    assert "已保存“" in response.content.decode()
    assert ReportSection.objects.get(pk=section.pk).text == "退回后修改"


def test_a_colleague_in_the_same_agency_may_edit(client, places, sx_draft):
    colleague = make_user("sx-yjglt-filer-2", places.sx_emergency)
    client.force_login(colleague)
    section = sx_draft.sections.get(key="duties")
    client.post(edit_url(sx_draft, "duties"), frame(section, text="同事填写的内容"))
    section.refresh_from_db()
    assert section.text == "同事填写的内容"


def test_starting_from_last_year_is_refused_to_others_and_after_submission(client, places, cycle, cz_draft, sx_filer):
    client.force_login(sx_filer)
    assert client.post(f"/work/reports/{cz_draft.pk}/start-from-last-year/").status_code == 404
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    response = client.post(f"/work/reports/{report.pk}/start-from-last-year/", follow=True)
    assert "不能修改" in response.content.decode()


def test_anonymous_visitors_are_asked_to_log_in(client, sx_draft):
    response = client.get(edit_url(sx_draft, "measures"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
