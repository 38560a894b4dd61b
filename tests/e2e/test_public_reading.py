"""A reader on a phone, with JavaScript off, finds a report, reads it, compares it and checks the board."""

import datetime

import pytest

from reports.filing import services
from tests.publishing import report_from_snapshot, snapshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def reports(places):
    agency = places.sx_emergency
    plans = {"points": [{"heading": "加强政策研究和立法工作", "paragraphs": ["起草好省政府1号文件。"]}]}
    points_2023 = [{"heading": "强化执法检查", "paragraphs": ["开展执法检查，检查企业19.2万家。"], "indicators": []}]
    points_2024 = [{"heading": "完善地方立法", "paragraphs": ["报审1号文件，开展执法检查。"], "indicators": []}]
    commitment = {"heading": "加强政策研究和立法工作", "text": [], "done": True, "point": [0, 0]}
    contents = {
        2023: snapshot(
            agency,
            2023,
            measures={"chapters": [{"heading": "", "points": points_2023}]},
            rulings={"defendant_new": 5, "defendant_lost": 1},
            plans=plans,
        ),
        2024: snapshot(
            agency,
            2024,
            measures={"chapters": [{"heading": "", "points": points_2024}], "commitments": [commitment]},
            rulings={"defendant_new": 3, "defendant_lost": 0},
        ),
    }
    for year, content in contents.items():
        report_from_snapshot(agency, services.open_cycle(year=year), content, datetime.date(year + 1, 3, 20))


def phone_page(browser, *, javascript: bool):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=javascript)
    return context, context.new_page()


def test_a_reader_finds_reads_and_compares_reports_on_a_phone_without_javascript(live_server, browser, reports):
    context, page = phone_page(browser, javascript=False)
    try:
        page.goto(live_server.url + "/")
        page.get_by_label("全文搜索").fill("执法检查")
        page.get_by_role("button", name="搜索").click()
        page.get_by_text("共 2 份报告").wait_for()
        assert page.locator("mark").first.inner_text() == "执法检查"

        page.get_by_role("link", name="山西省应急管理厅：关于2023年度法治政府建设情况的报告").click()
        page.get_by_role("heading", name="关于2023年度法治政府建设情况的报告").wait_for()
        assert page.get_by_text("按时公开").first.is_visible()
        page.get_by_role("navigation", name="目录").get_by_role("link").first.click()
        assert page.url.endswith("#part-1")

        page.get_by_role("link", name="该机关历年报告和指标").click()
        assert page.locator("svg[role=img]").count() >= 1
        page.get_by_role("link", name="逐部分对照最近两年的报告").click()
        page.get_by_role("heading", name="2023年度报告中的计划，2024年度落实得怎样").wait_for()
        assert page.get_by_text("见“完善地方立法”").is_visible()

        page.get_by_role("link", name="公开情况").click()
        page.get_by_role("combobox", name="年度").select_option("2024")
        page.get_by_role("button", name="查看").click()
        page.get_by_text("2024年度报告公开情况").wait_for()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/published/", "/published/2024/sx-yjglt/", "/agencies/sx-yjglt/compare/"])
def test_public_pages_fit_a_phone_screen(live_server, browser, reports, path):
    context, page = phone_page(browser, javascript=True)
    try:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("html").get_attribute("lang") == "zh-CN"
    finally:
        context.close()
