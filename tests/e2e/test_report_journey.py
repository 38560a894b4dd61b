"""The whole life of a report, in a real browser: filled, submitted, approved, published, read."""

import re
import time

import pytest

from reports.filing.models import Report, ReportState
from tests.e2e.conftest import confirm, log_in, log_out, opened_pdf, publish_from_review_page
from tests.factories import PASSWORD
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.e2e


def fill_section(page, heading, text):
    page.get_by_role("listitem").filter(has_text=heading).get_by_role("link", name="编辑").click()
    page.get_by_label("概述（每段一行）").fill(text)


def save(page):
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()
    page.get_by_role("link", name=re.compile("年度$")).click()


def test_a_report_goes_from_filer_to_reviewer_to_the_public(
    celery_worker, live_server, page, places, cycle, sx_filer, sx_reviewer
):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.get_by_role("button", name="开始填写2024年度报告").click()
    page.get_by_text("状态：草稿").wait_for()

    page.get_by_role("listitem").filter(has_text="主要举措和成效").get_by_role("link", name="编辑").click()
    point = page.locator(".point-form").first
    point.get_by_label("要点标题").fill("强化组织领导")
    point.get_by_label("内容").fill("厅党委研究审定年度普法依法治理工作要点，明确19项工作重点。")
    save(page)

    fill_section(page, "存在的不足和原因", "部分干部运用法治方式应对风险挑战的能力还不足。")
    save(page)
    fill_section(page, "第一责任人职责情况", "厅主要负责人定期听取法治工作情况汇报。")
    save(page)
    page.get_by_role("listitem").filter(has_text="履行法院生效裁判情况").get_by_role("link", name="编辑").click()
    page.get_by_label("本年度无此项内容").check()
    save(page)
    page.get_by_role("listitem").filter(has_text="主要安排").get_by_role("link", name="编辑").click()
    task = page.locator(".item-form").first
    task.get_by_label("要点标题").fill("加强政策研究和立法工作")
    task.get_by_label("内容").fill("起草好省政府1号文件。")
    save(page)

    page.get_by_role("button", name="报送审核").click()
    confirm(page, "报送审核")
    page.get_by_text("报告已报送，等待审核。").wait_for()
    assert Report.objects.get(agency=places.sx_emergency).state == ReportState.SUBMITTED
    log_out(page)

    log_in(page, live_server, sx_reviewer.username, PASSWORD)
    page.get_by_role("link", name="关于2024年度法治政府建设情况的报告").click()
    page.get_by_role("link", name="进入审核页面").click()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("报告已审核通过。").wait_for()
    publish_from_review_page(page)
    page.get_by_text("报告已公开发布").wait_for()
    log_out(page)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("山西省应急管理厅：关于2024年度")).click()
    page.get_by_text("厅党委研究审定年度普法依法治理工作要点").wait_for()
    pdf_link = page.get_by_role("link", name="下载 PDF")
    for _ in range(60):
        if pdf_link.count():
            break
        time.sleep(1)
        page.reload()
    pdf = opened_pdf(page, pdf_link)
    text = re.sub(r"\s", "", pdf_text(pdf))
    assert pdf.startswith(b"%PDF")
    assert "关于2024年度法治政府建设情况的报告" in text
    assert "（一）强化组织领导。厅党委研究审定" in text
