"""One click is never the end of it: a past year's draft is asked for first, an empty draft can be deleted, and
submitting or publishing names what is still open and needs its box ticked."""

from reports.filing import services
from reports.filing.models import Report, ReportState
from reports.review import services as review
from tests.factories import fill_required_sections, report_in_state


def test_a_past_years_draft_is_asked_for_before_it_is_created(client, places, sx_filer):
    services.open_cycle(year=2023)
    services.open_cycle(year=2024)
    client.force_login(sx_filer)
    workspace = client.get("/work/").content.decode()
    assert "开始填写2023年度报告（往年）" in workspace
    page = client.get("/work/start/2023/").content.decode()
    assert "2023年度是往年" in page and "当前填报的是2024年度的报告" in page
    refused = client.post("/work/start/2023/")
    assert "请先勾选确认" in refused.content.decode()
    assert not Report.objects.exists()
    client.post("/work/start/2023/", {"confirm": "on"})
    assert Report.objects.get().cycle.year == 2023


def test_this_years_draft_starts_at_once(client, places, sx_filer):
    services.open_cycle(year=2024)
    client.force_login(sx_filer)
    response = client.post("/work/start/2024/")
    report = Report.objects.get()
    assert response.url == f"/work/reports/{report.pk}/"


def test_a_filer_deletes_a_draft_that_has_nothing_in_it(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    assert "删除这份空白草稿" in client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    client.post(f"/work/reports/{sx_draft.pk}/delete/")
    assert Report.objects.filter(pk=sx_draft.pk).exists(), "not without the box ticked"
    response = client.post(f"/work/reports/{sx_draft.pk}/delete/", {"confirm": "on"}, follow=True)
    assert "已删除2024年度的空白草稿" in response.content.decode()
    assert not Report.objects.filter(pk=sx_draft.pk).exists()


def test_a_draft_with_anything_in_it_cannot_be_deleted(client, sx_draft, sx_filer):
    sx_draft.sections.filter(key="plans").update(text="一句话。")
    client.force_login(sx_filer)
    assert "删除这份空白草稿" not in client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    response = client.post(f"/work/reports/{sx_draft.pk}/delete/", {"confirm": "on"}, follow=True)
    assert "不能删除" in response.content.decode()
    assert Report.objects.filter(pk=sx_draft.pk).exists()


def test_another_agencys_filer_cannot_delete_a_draft(client, sx_draft, cz_filer):
    client.force_login(cz_filer)
    assert client.post(f"/work/reports/{sx_draft.pk}/delete/", {"confirm": "on"}).status_code == 404
    assert Report.objects.filter(pk=sx_draft.pk).exists()


def test_submitting_names_the_open_warnings_and_comments_and_needs_the_box(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = report_in_state(ReportState.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    review.add_comment(report=report, by=sx_reviewer, section_key="rulings", body="请写明行政复议案件数量。")
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{report.pk}/submit/").content.decode()
    assert "未处理的审核意见" in page and "请写明行政复议案件数量。" in page
    assert "条检查提示" in page and "以下数字尚未填写" in page
    assert "我已看过上述未处理的事项，仍要报送审核" in page
    client.post(f"/work/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    client.post(f"/work/reports/{report.pk}/submit/", {"confirm": "on"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_the_confirmation_offers_no_submit_while_the_report_cannot_be_submitted(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/submit/").content.decode()
    assert "以下必填部分尚未填写" in page
    assert ">确认报送审核</button>" not in page


def test_publishing_names_what_is_open_and_needs_the_box(client, places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    review.add_comment(report=report, by=sx_reviewer, section_key="duties", body="请补充述法情况。")
    from reports.workflow import actions

    actions.approve_report(report=report, by=sx_reviewer)
    other = type(sx_reviewer).objects.create(
        username="sx-sft-reviewer-3", agency=places.sx_justice, role=sx_reviewer.role
    )
    client.force_login(other)
    review_page = client.get(f"/review/reports/{report.pk}/").content.decode()
    assert "1 条未处理的审核意见" in review_page and "请补充述法情况。" in review_page
    response = client.post(f"/review/reports/{report.pk}/publish/")
    assert "确认公开发布" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    client.post(f"/review/reports/{report.pk}/publish/", {"confirm": "on"})
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED


def test_a_report_with_nothing_open_says_so_before_submitting(client, sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/submit/").content.decode()
    assert "未处理的审核意见" not in page
    assert ">确认报送审核</button>" in page
