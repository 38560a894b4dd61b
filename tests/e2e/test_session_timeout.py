"""The idle timeout in the browser: a warning before the session ends, a button to go on working, and once it has
ended nothing the filer typed is lost (editor.js keeps a copy in this browser, offered back after logging in)."""

import pytest

from reports.filing.models import ReportSection
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

TEXT = "主要负责人带头学法用法，全年主持召开专题会议4次。"


def test_the_session_warns_ends_when_idle_and_loses_nothing_typed(live_server, page, sx_draft, sx_filer, settings):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_IDLE_WARNING = 6, 3
    log_in(page, live_server, sx_filer.username, PASSWORD)
    section = f"{live_server.url}/work/reports/{sx_draft.pk}/sections/duties/"
    page.goto(section)
    warning = page.locator("#session-warning")
    warning.get_by_text("约 1 分钟后将自动退出登录").wait_for(timeout=6000)
    page.get_by_role("button", name="继续工作").click()
    warning.wait_for(state="hidden")

    page.get_by_label("概述（每段一行）").fill(TEXT)
    warning.get_by_text("登录已超时退出").wait_for(timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "session-ended.png"), full_page=True)
    page.wait_for_timeout(1000)  # the server's clock passes the timeout too
    page.get_by_role("button", name="保存本部分").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_text("未操作，为保护账号安全已自动退出").is_visible()
    assert not ReportSection.objects.get(report=sx_draft, key="duties").text

    page.get_by_label("用户名").fill(sx_filer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(section)
    offer = page.locator("[data-draft-offer]")
    offer.get_by_text("尚未保存").wait_for()
    offer.get_by_role("button", name="恢复这些内容").click()
    assert page.get_by_label("概述（每段一行）").input_value() == TEXT
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()
    assert ReportSection.objects.get(report=sx_draft, key="duties").text == TEXT
