"""A filer works down the check list and can submit only once the required sections are filled."""

import re

import pytest

from reports.filing.models import Report, ReportState
from reports.rulings.models import CourtCaseFigures
from tests.e2e.conftest import confirm, log_in
from tests.e2e.test_filling_measures import chapters, fill_point, points, save
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def check_list(page):
    return page.locator("#check-before-submit")


def edit(page, heading):
    page.get_by_role("listitem").filter(has_text=heading).get_by_role("link", name="编辑").click()


def back(page):
    page.get_by_role("link", name=re.compile("年度$")).click()


def test_the_filer_submits_only_once_the_check_list_is_clear(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.goto(f"{live_server.url}/work/reports/{sx_draft.pk}/")
    submit = page.get_by_role("button", name="报送审核")
    assert submit.is_disabled()
    assert check_list(page).locator("li").count() == 5

    edit(page, "主要举措和成效")
    fill_point(points(chapters(page).first).first, "强化组织领导", "厅党委研究审定年度普法依法治理工作要点。")
    save(page)
    back(page)
    edit(page, "存在的不足和原因")
    page.locator(".item-form").first.get_by_label("不足", exact=True).fill("部分干部运用法治方式的能力还不足。")
    save(page)
    back(page)
    edit(page, "第一责任人职责情况")
    assert page.get_by_label("本年度无此项内容").count() == 0, "a part no report may lack"
    page.get_by_label("概述（每段一行）").fill("厅主要负责人定期听取法治工作情况汇报。")
    save(page)
    back(page)

    edit(page, "履行法院生效裁判情况")
    page.get_by_label("应履行").fill("2")
    page.get_by_label("已履行").fill("3")
    page.get_by_text("多于“法院生效裁判的履行：应履行”").wait_for()
    page.get_by_role("button", name="把留空的都填为 0").click()
    assert page.locator('[data-rate="生效裁判履行率"]').inner_text() == "150%"
    save(page)
    assert CourtCaseFigures.objects.get().defendant_new == 0
    assert page.get_by_text("还没有正文").is_visible()
    back(page)
    assert submit.is_disabled()
    assert [item.inner_text() for item in check_list(page).locator("li").all()] == [
        "履行法院生效裁判情况",
        "下一年度推进法治政府建设的主要安排",
    ]

    edit(page, "履行法院生效裁判情况")
    page.get_by_label("概述（每段一行）").fill("本年度应履行法院生效裁判2件，已全部履行。")
    page.get_by_label("已履行").fill("2")
    save(page)
    back(page)
    edit(page, "主要安排")
    task = page.locator(".item-form").first
    task.get_by_label("要点标题", exact=True).fill("加强政策研究和立法工作")
    task.get_by_label("内容", exact=True).fill("起草好省政府1号文件。")
    save(page)
    back(page)

    check_list(page).get_by_text("必填部分都已填写，可以报送。").wait_for()
    submit.click()
    confirm(page, "报送审核")
    page.get_by_text("报告已报送").wait_for()
    assert Report.objects.get(pk=sx_draft.pk).state == ReportState.SUBMITTED
