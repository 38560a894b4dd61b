"""A province rolls the portal out, from an empty database to a report handed in (issue 13's "Done when"): its
administrator loads the regions, imports 200 agencies and 500 staff from .xlsx and sets the province's due date;
a new filer signs in with the one-time password, is made to change it, fills and submits; the 司法厅's
province-wide view shows it; six wrong passwords lock an account; the security log shows all of it."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.agencies.models import Agency, Region, User
from reports.filing import services
from reports.filing.models import Report, ReportState
from tests.bulk_tables import AGENCY_HEADER, STAFF_HEADER, agency_rows, staff_rows, xlsx
from tests.e2e.conftest import ARTIFACTS, confirm
from tests.e2e.test_filling_measures import chapters, fill_point, points, save

pytestmark = pytest.mark.e2e


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rollout-{name}.png"), full_page=True)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def first_sign_in(page, live_server, username: str, one_time: str, new: str) -> None:
    """Sign in with the one-time password and be made to choose one's own."""
    sign_in(page, live_server, username, one_time)
    page.wait_for_url(f"{live_server.url}/accounts/password/")
    assert page.get_by_text("请先修改为只有您自己知道的密码").is_visible()
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    page.get_by_role("button", name="修改密码").click()
    page.get_by_text("密码已修改").wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="退出").click()


def upload(page, live_server, kind: str, name: str, data: bytes) -> None:
    page.goto(f"{live_server.url}/console/import/")
    page.get_by_label("导入内容").select_option(kind)
    page.get_by_label("表格文件（.xlsx 或 .csv）").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_role("button", name="上传并预览").click()


def fill_and_submit(page) -> None:
    """The five national sections, as a filer writes a short report."""

    def edit(heading):
        page.get_by_role("listitem").filter(has_text=heading).get_by_role("link", name="编辑").click()

    def back():
        page.get_by_role("link", name=re.compile("年度$")).click()

    edit("主要举措和成效")
    fill_point(points(chapters(page).first), "强化组织领导", "县政府常务会议专题研究法治政府建设4次。")
    save(page)
    back()
    edit("存在的不足和原因")
    page.locator(".item-form").first.get_by_label("不足", exact=True).fill("基层执法人员法治能力仍有不足。")
    save(page)
    back()
    edit("第一责任人职责情况")
    page.get_by_label("概述（每段一行）").fill("县长切实履行推进法治建设第一责任人职责，听取法治政府建设工作汇报4次。")
    save(page)
    back()
    edit("履行法院生效裁判情况")
    page.get_by_label("概述（每段一行）").fill("本年度作为被告的行政诉讼案件审结5件，败诉1件。")
    page.get_by_label("审结").first.fill("5")
    page.get_by_label("败诉").first.fill("1")
    page.get_by_role("button", name="把留空的都填为 0").click()
    save(page)
    back()
    edit("主要安排")
    task = page.locator(".item-form").first
    task.get_by_label("要点标题", exact=True).fill("深化行政执法规范化建设")
    task.get_by_label("内容", exact=True).fill("全面落实行政执法三项制度。")
    save(page)
    back()
    page.get_by_text("必填部分都已填写，可以报送。").wait_for()
    page.get_by_role("button", name="报送审核").click()
    confirm(page, "报送审核")
    page.get_by_text("报告已报送").wait_for()


def test_a_province_rolls_the_portal_out(live_server, page, transactional_db, capsys):
    # The operator opens the national cycle and creates the province's first administrator (no regions yet).
    services.open_cycle(year=2024)
    call_command("create_administrator", "sx-admin", "--region", "140000", "--name", "山西省司法厅管理员")
    admin_password = re.search(r"一次性密码：(\S+)", capsys.readouterr().out).group(1)
    assert Region.objects.count() == 1

    first_sign_in(page, live_server, "sx-admin", admin_password, "Shanxi#Admin2025")
    page.get_by_role("link", name="管理", exact=True).click()
    page.get_by_role("button", name="导入本省行政区划（GB/T 2260）").click()
    page.get_by_text("已按 GB/T 2260 导入本省行政区划").wait_for()
    shot(page, "console")
    assert int(page.locator("#region-count").inner_text()) == Region.objects.filter(code__startswith="14").count() > 100

    counties = list(Region.objects.filter(level="county").select_related("parent").order_by("code")[:99])
    agencies = [["山西省司法厅", "sx-sft", "140000", "司法行政部门"], ["山西省人民政府", "sx-zf", "140000", "人民政府"]]
    agencies += agency_rows(counties, 198)
    upload(page, live_server, "agencies", "山西省机关.xlsx", xlsx(AGENCY_HEADER, agencies))
    page.get_by_text("共 200 行机关，全部检查无误").wait_for()
    page.get_by_role("button", name="导入 200 行").click()
    page.get_by_text("已导入 200 个机关").wait_for()

    people = staff_rows(agencies, 500)
    upload(page, live_server, "staff", "山西省人员.xlsx", xlsx(STAFF_HEADER, people))
    page.get_by_text("共 500 行人员，全部检查无误").wait_for()
    shot(page, "staff-preview")
    with page.expect_download() as download:
        page.get_by_role("button", name="导入 500 行").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    passwords = {row[0]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(passwords) == 500 and User.objects.filter(must_change_password=True).count() == 500

    page.goto(f"{live_server.url}/console/")
    page.get_by_role("link", name="2024年度报告周期").click()
    page.get_by_label("报送截止日期").fill("2025-01-20")
    page.get_by_label("公开截止日期").fill("2025-03-01")
    shot(page, "cycle-settings")
    page.get_by_role("button", name="保存本省设置").click()
    page.get_by_text("2024年度的本省设置已保存").wait_for()
    sign_out(page)

    # A new filer of a county government: the one-time password, then their own; fill and submit.
    filer = people[2]
    assert filer[4] == "填报人"
    first_sign_in(page, live_server, filer[0], passwords[filer[0]], "Filer#Own2025")
    page.get_by_text("报送截止：2025年1月20日").wait_for()
    page.get_by_role("button", name="开始填写2024年度报告").click()
    fill_and_submit(page)
    report = Report.objects.get(agency__code=filer[3])
    assert report.state == ReportState.SUBMITTED and report.submitted_late  # after the province's 20 January
    sign_out(page)

    # The 司法厅's reviewer follows the whole province.
    reviewer = people[0]
    assert (reviewer[3], reviewer[4]) == ("sx-sft", "审核人")
    first_sign_in(page, live_server, reviewer[0], passwords[reviewer[0]], "Review#Own2025")
    page.get_by_role("link", name="全省进度").click()
    total = page.locator('#province-progress tr[data-region="total"]')
    assert total.locator("td").nth(1).inner_text() == "200"
    assert total.locator('[data-stage="submitted"]').inner_text() == "1"
    assert total.locator('[data-stage="not_started"]').inner_text() == "199"
    county = Agency.objects.get(code=filer[3]).region
    assert (
        page.locator(f'#province-progress tr[data-region="{county.code}"] [data-stage="submitted"]').inner_text() == "1"
    )
    assert page.locator("#rates").get_by_text("行政诉讼败诉率").is_visible()
    assert "20%" in page.locator("#rates").inner_text()
    shot(page, "province-view")
    sign_out(page)

    # Six wrong passwords lock an account.
    victim = people[3][0]
    for attempt in range(6):
        sign_in(page, live_server, victim, f"wrong-{attempt}")
    assert page.locator("#locked-out").is_visible()
    assert "锁定 15 分钟" in page.locator("#locked-out").inner_text()
    sign_in(page, live_server, victim, passwords[victim])
    assert page.locator("#locked-out").is_visible()

    # The administrator reads all of it in the security log.
    sign_in(page, live_server, "sx-admin", "Shanxi#Admin2025")
    page.wait_for_url(f"{live_server.url}/work/")
    page.get_by_role("link", name="安全日志").first.click()
    shot(page, "security-log")
    expected = {
        "regions_loaded": "140000",
        "imported": "山西省机关.xlsx",
        "account_created": "u00499",
        "settings_changed": "2024年度报告周期",
        "password_changed": filer[0],
        "workflow": "报送",
        "login_failed": victim,
        "locked_out": victim,
        "exported": "一次性密码表",
        "login": reviewer[0],
    }
    for kind, text in expected.items():
        page.get_by_label("事件").select_option(kind)
        page.get_by_role("button", name="查询").click()
        rows = page.locator("#security-log tbody")
        assert text in rows.inner_text(), kind
        assert "127.0.0.1" in rows.inner_text(), kind
    page.get_by_label("事件").select_option("workflow")
    page.get_by_role("button", name="查询").click()
    shot(page, "security-log-workflow")
