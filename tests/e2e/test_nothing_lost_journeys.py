"""In a real browser: 本年度无此项内容 beside text asks which stands; a reply typed beside 标为已处理 is kept; what the
platform prints itself is cleaned and shown before saving; a past year, an empty draft, a submission and a
publication each ask first, naming what is still open. E2E_SCREENSHOTS=<folder> keeps a picture of each."""

import os
from pathlib import Path

import pytest

from reports.filing import services
from reports.filing.models import Report, ReportState
from reports.review import services as review
from reports.shortcomings.models import Shortcoming
from tests.e2e.conftest import confirm, log_in, log_out
from tests.e2e.test_filling_measures import open_section
from tests.factories import PASSWORD, report_in_state

pytestmark = pytest.mark.e2e


def picture(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_ticking_nothing_to_report_beside_text_asks_which_stands(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "shortcomings")
    page.locator(".item-form").first.get_by_label("不足", exact=True).fill("部分干部运用法治方式的能力还不足。")
    page.get_by_label("本年度无此项内容").check()
    page.get_by_role("button", name="保存本部分").click()
    question = page.locator("#declaration")
    question.wait_for()
    assert (
        page.locator(".item-form").first.get_by_label("不足", exact=True).input_value()
        == "部分干部运用法治方式的能力还不足。"
    )
    picture(page, "1-nothing-to-report-asks")
    assert not Shortcoming.objects.exists()
    question.get_by_label("保留已填写的内容，取消勾选“本年度无此项内容”").check()
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()
    assert list(Shortcoming.objects.values_list("description", flat=True)) == ["部分干部运用法治方式的能力还不足。"]
    assert not page.get_by_label("本年度无此项内容").is_checked()
    open_section(page, live_server, sx_draft, "measures")
    assert page.get_by_label("本年度无此项内容").count() == 0
    picture(page, "1-measures-without-the-box")


def test_a_reply_typed_beside_mark_resolved_is_kept_and_the_reviewer_hears_of_it(
    live_server, page, places, cycle, sx_filer, sx_reviewer
):
    report = report_in_state(ReportState.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    review.add_comment(report=report, by=sx_reviewer, section_key="duties", body="请写明全年听取汇报的次数。")
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, report, "duties")
    comments = page.get_by_role("complementary", name="审核意见")
    comments.get_by_placeholder("回复审核人（可选）").fill("已补充：全年听取汇报4次。")
    comments.get_by_role("button", name="标为已处理").click()
    page.get_by_text("回复已保存，这条意见已标为已处理。").wait_for()
    page.get_by_text("已补充：全年听取汇报4次。").wait_for()
    picture(page, "2-reply-kept-on-resolve")
    log_out(page)
    log_in(page, live_server, sx_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_text("回复了对山西省应急管理厅报告的审核意见").first.wait_for()
    page.goto(f"{live_server.url}/review/reports/{report.pk}/")
    page.get_by_text("已补充：全年听取汇报4次。").wait_for()
    picture(page, "2-reviewer-sees-reply")


def test_the_addressee_and_attachments_are_cleaned_and_shown_before_saving(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.goto(f"{live_server.url}/work/reports/{sx_draft.pk}/details/")
    page.get_by_label("主送机关").fill("山西省司法厅：")
    page.get_by_label("附件").fill("1.政策解读\n2.工作台账")
    page.get_by_role("button", name="保存").click()
    page.locator("#cleaning-notice").wait_for()
    assert page.get_by_label("主送机关").input_value() == "山西省司法厅"
    assert page.get_by_label("附件").input_value() == "政策解读\n工作台账"
    picture(page, "5-cleaned-before-saving")
    sx_draft.refresh_from_db()
    assert sx_draft.addressee == ""
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存。").wait_for()
    page.goto(f"{live_server.url}/work/reports/{sx_draft.pk}/preview/")
    document = "".join(page.locator("article.official-document").inner_text().split())
    assert "山西省司法厅：" in document and "：：" not in document
    assert "附件：1.政策解读2.工作台账" in document and "1.1." not in document
    picture(page, "5-preview-not-doubled")


def test_a_past_year_an_empty_draft_a_submission_and_a_publication_each_ask_first(
    live_server, page, places, sx_filer, sx_reviewer, sx_second_reviewer
):
    services.open_cycle(year=2023)
    cycle = services.open_cycle(year=2024)
    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.get_by_role("link", name="开始填写2023年度报告（往年）…").click()
    page.get_by_text("2023年度是往年。").wait_for()
    picture(page, "10-past-year-asks")
    page.get_by_role("button", name="开始填写2023年度报告").click()
    assert not Report.objects.exists(), "the browser does not send the form without the box ticked"
    page.get_by_label("我确认要开始填写2023年度（往年）的报告").check()
    page.get_by_role("button", name="开始填写2023年度报告").click()
    page.get_by_text("状态：草稿").wait_for()
    page.get_by_role("link", name="删除这份空白草稿").click()
    picture(page, "10-delete-empty-draft")
    page.get_by_label("我确认删除这份空白草稿").check()
    page.get_by_role("button", name="删除草稿").click()
    page.get_by_text("已删除2023年度的空白草稿").wait_for()
    assert not Report.objects.exists()

    report = report_in_state(ReportState.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    review.add_comment(report=report, by=sx_reviewer, section_key="rulings", body="请写明行政复议案件数量。")
    page.goto(f"{live_server.url}/work/reports/{report.pk}/")
    page.get_by_role("button", name="报送审核").click()
    page.get_by_text("1 条未处理的审核意见").wait_for()
    page.get_by_text("请写明行政复议案件数量。").wait_for()
    picture(page, "10-submit-names-what-is-open")
    confirm(page, "报送审核")
    page.get_by_text("报告已报送，等待审核。").wait_for()
    log_out(page)

    from reports.workflow import actions

    actions.approve_report(report=report, by=sx_reviewer)
    log_in(page, live_server, sx_second_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/review/reports/{report.pk}/")
    publish = page.locator("#publish")
    publish.get_by_text("1 条未处理的审核意见").wait_for()
    picture(page, "10-publish-names-what-is-open")
    page.locator("#checking").wait_for()
    publish.get_by_role("button", name="公开发布").click()
    assert Report.objects.get(pk=report.pk).state == ReportState.APPROVED
    publish.get_by_label("我已看过上述未处理的事项，仍要公开发布").check()
    publish.get_by_role("button", name="公开发布").click()
    page.get_by_text("报告已公开发布").wait_for()
    assert Report.objects.get(pk=report.pk).state == ReportState.PUBLISHED
