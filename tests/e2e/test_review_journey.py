"""A report sent back and forth in a real browser: returned with a comment, fixed, approved, published."""

import re
import time

import pytest

from reports.filing.models import Report, ReportState
from tests.e2e.conftest import confirm, log_in, log_out, opened_pdf, publish_from_review_page
from tests.factories import PASSWORD, report_in_state
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.e2e


def test_a_returned_report_is_fixed_resubmitted_approved_and_published_by_a_second_reviewer(
    celery_worker, live_server, page, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = report_in_state(ReportState.DRAFT, places.sx_emergency, cycle, sx_filer, sx_reviewer)

    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.get_by_role("link", name="关于2024年度法治政府建设情况的报告").click()
    page.get_by_role("button", name="报送审核").click()
    confirm(page, "报送审核")
    page.get_by_text("报告已报送").wait_for()
    log_out(page)

    log_in(page, live_server, sx_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/review/2024/")
    page.get_by_role("link", name="山西省应急管理厅").click()
    page.get_by_role("button", name="开始审核").click()
    page.get_by_text("您已开始审核这份报告").wait_for()
    page.get_by_label("针对部分").select_option(label="党政主要负责人履行推进法治建设第一责任人职责情况")
    page.get_by_label("针对要点（可选）").fill("听取汇报")
    page.get_by_role("textbox", name=re.compile("^意见")).fill("请写明主要负责人全年听取法治工作汇报的次数。")
    page.get_by_role("button", name="添加意见").click()
    page.get_by_text("意见已添加").wait_for()
    page.get_by_label("理由").fill("第三部分缺少具体数据，请按意见修改。")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("报告已退回修改").wait_for()
    log_out(page)

    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.get_by_role("link", name="关于2024年度法治政府建设情况的报告").click()
    page.get_by_role("listitem").filter(has_text="第一责任人职责情况").get_by_role("link", name="编辑").click()
    comments = page.get_by_role("complementary", name="审核意见")
    comments.get_by_text("第三部分缺少具体数据，请按意见修改。").wait_for()
    comments.get_by_text("请写明主要负责人全年听取法治工作汇报的次数。").wait_for()
    page.locator("textarea[name='frame-text']").fill("厅主要负责人全年听取法治工作汇报4次，研究解决重大问题。")
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()
    page.get_by_role("complementary", name="审核意见").get_by_role("button", name="标为已处理").click()
    page.get_by_text("已将这条意见标为已处理").wait_for()
    page.goto(f"{live_server.url}/work/reports/{report.pk}/")
    page.get_by_role("button", name="报送审核").click()
    confirm(page, "报送审核")
    page.get_by_text("报告已报送").wait_for()
    log_out(page)

    log_in(page, live_server, sx_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/review/reports/{report.pk}/")
    page.get_by_role("tab", name="与上次报送比较").click()
    page.locator("#tab-previous ins").filter(has_text="4次").wait_for()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("报告已审核通过").wait_for()
    log_out(page)

    log_in(page, live_server, sx_second_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/review/reports/{report.pk}/")
    publish_from_review_page(page)
    page.get_by_text("报告已公开发布").wait_for()
    assert Report.objects.get(pk=report.pk).state == ReportState.PUBLISHED
    log_out(page)

    page.goto(f"{live_server.url}/published/2024/sx-yjglt/")
    page.get_by_text("厅主要负责人全年听取法治工作汇报4次").wait_for()
    pdf_link = page.get_by_role("link", name="下载 PDF")
    for _ in range(60):
        if pdf_link.count():
            break
        time.sleep(1)
        page.reload()
    text = re.sub(r"\s", "", pdf_text(opened_pdf(page, pdf_link)))
    assert "厅主要负责人全年听取法治工作汇报4次" in text
