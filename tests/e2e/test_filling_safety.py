"""Nothing typed is lost: to an expired login, to leaving the page, or to a page shown again after an error."""

import pytest

from reports.measures.models import Point
from tests.e2e.conftest import log_in
from tests.e2e.test_filling_measures import (
    add_indicator,
    add_point,
    chapters,
    fill_point,
    open_section,
    pinned,
    points,
    save,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lost", ["session", "session and CSRF cookie"])
def test_text_typed_before_the_login_expired_is_offered_back_after_logging_in_again(
    live_server, page, sx_draft, sx_filer, lost
):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")
    chapter = pinned(chapters(page).first)
    fill_point(points(chapter).first, "强化组织领导", "厅党委研究审定年度普法依法治理工作要点。")
    add_point(chapter, "加强执法监督", "修订重大行政处罚案件集体讨论决定办法。")
    page.wait_for_timeout(1000)  # the copy is kept a moment after the last keystroke

    if lost == "session":
        page.context.clear_cookies(name="sessionid")
        page.get_by_role("button", name="保存本部分").click()
    else:
        page.context.clear_cookies()
        page.get_by_role("button", name="保存本部分").click()
        page.get_by_text("页面已过期，本次提交未生效").wait_for()
        page.get_by_role("link", name="重新登录").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_text("您在填报页面输入的内容已暂存在本机浏览器").is_visible()
    page.get_by_label("用户名").fill(sx_filer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/work/reports/{sx_draft.pk}/sections/measures/")

    offer = page.locator("[data-draft-offer]")
    offer.get_by_text("尚未保存").wait_for()
    offer.get_by_role("button", name="恢复这些内容").click()
    restored = points(chapters(page).first)
    assert restored.count() == 2
    assert restored.nth(1).get_by_label("内容", exact=True).input_value() == "修订重大行政处罚案件集体讨论决定办法。"
    save(page)
    assert list(Point.objects.values_list("heading", flat=True)) == ["强化组织领导", "加强执法监督"]
    page.reload()
    assert page.locator("[data-draft-offer]").is_hidden()


def test_leaving_with_unsaved_changes_asks_first(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "duties")
    page.get_by_label("概述（每段一行）").fill("厅主要负责人定期听取法治工作情况汇报。")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/sections/duties/")
    page.remove_listener("dialog", stay)
    save(page)
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_url(f"**/work/reports/{sx_draft.pk}/")


def test_a_page_shown_again_after_an_error_keeps_the_order_and_the_deletions(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")
    chapter = pinned(chapters(page).first)
    fill_point(points(chapter).first, "甲", "检查企业 19.2 万家。")
    add_indicator(pinned(points(chapter).first), "检查企业", "19.2万", "万家")
    add_point(chapter, "乙", "乙的内容。")
    gone = add_point(chapter, "丙", "丙的内容。")
    points(chapter).nth(1).get_by_role("button", name="上移此要点").click()
    gone.get_by_role("button", name="删除此要点").click()
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_text("有填写不正确的地方").wait_for()
    shown = points(pinned(chapters(page).first))
    assert [shown.nth(i).get_by_label("要点标题", exact=True).input_value() for i in range(shown.count())] == [
        "乙",
        "甲",
    ]
    assert page.get_by_text("已删除“丙”，保存后生效。").is_visible()
    assert page.get_by_text("“数值”只填数字").is_visible()
