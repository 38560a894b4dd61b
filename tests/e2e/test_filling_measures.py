"""Building the measures section in a real browser: chapters, points and indicators added, moved, removed."""

import re
import unicodedata

import pytest

from reports.demo.services import sample_snapshot
from reports.filing.models import ReportSection
from reports.measures.models import Chapter, Indicator, Point
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.test_demo import SAMPLES_DIR, as_printed, comparable

pytestmark = pytest.mark.e2e


def exactly(text):
    return re.compile(f"^{re.escape(text)}$")


def chapters(page):
    return page.locator(".chapter-form:not(.is-deleted)")


def pinned(form):
    """The same form however the page is rearranged later (locators are queries, run when used)."""
    return form.page.locator(f'.formset-form[data-form-prefix="{form.get_attribute("data-form-prefix")}"]')


def points(chapter):
    return chapter.locator(".point-form:not(.is-deleted)")


def add_chapter(page, heading):
    page.get_by_role("button", name="＋ 添加一章").click()
    chapter = pinned(chapters(page).last)
    chapter.get_by_label("章标题", exact=True).fill(heading)
    return chapter


def fill_point(point, heading, body=""):
    point.get_by_label("要点标题", exact=True).fill(heading)
    point.get_by_label("内容", exact=True).fill(body)


def add_point(chapter, heading, body=""):
    chapter.get_by_role("button", name="＋ 添加要点").click()
    point = pinned(points(chapter).last)
    fill_point(point, heading, body)
    return point


def add_indicator(point, name, value, unit):
    point.get_by_role("button", name=re.compile("添加指标")).click()
    row = point.locator(".indicator-form:not(.is-deleted)").last
    row.get_by_label("指标", exact=True).fill(name)
    row.get_by_label("数值", exact=True).fill(value)
    row.get_by_label("单位", exact=True).fill(unit)
    return row


def save(page):
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()


def open_section(page, live_server, report, key):
    page.goto(f"{live_server.url}/work/reports/{report.pk}/sections/{key}/")


def shown(page):
    """The chapters and points as the page shows them, after a reload."""
    return [
        (
            chapter.get_by_label("章标题", exact=True).input_value(),
            [point.get_by_label("要点标题", exact=True).input_value() for point in points(chapter).all()],
        )
        for chapter in chapters(page).all()
    ]


def stored(report):
    return [
        (c.heading, [(p.heading, [(i.name, i.value_text, i.unit) for i in p.indicators.all()]) for p in c.points.all()])
        for c in Chapter.objects.filter(section__report=report)
    ]


def test_a_filer_builds_moves_and_removes_chapters_points_and_indicators_and_finds_them_after_reload(
    live_server, page, sx_draft, sx_filer
):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")

    first = pinned(chapters(page).first)
    first.get_by_label("章标题", exact=True).fill("完善法治建设体制机制")
    lead = pinned(points(first).first)
    fill_point(lead, "发挥党委领导核心作用", "中心组组织集中学法17次。\n共7类293项职权。")
    add_indicator(lead, "集中学法", "17", "次")
    add_indicator(lead, "职权", "293", "项")
    add_point(first, "夯实法治安全制度基础", "明晰部门安全监管职责。")
    add_point(first, "健全完善法治应急机制体系", "健全完善全市应急指挥体系。")

    second = add_chapter(page, "依法规范履行政府职能")
    fill_point(points(second).first, "全面从严依法决策", "严格执行重大行政决策程序规定。")
    add_point(second, "持续优化法治化营商环境", "精简申报要件。")

    third = add_chapter(page, "临时添加的一章")
    fill_point(points(third).first, "要删掉的要点", "……")

    # The third point of the first chapter goes up one; the second chapter goes first.
    points(first).nth(2).get_by_role("button", name="上移此要点").click()
    second.get_by_role("button", name="上移本章").click()
    third.get_by_role("button", name="删除本章").click()
    points(second).nth(1).get_by_role("button", name="删除此要点").click()
    lead.locator(".indicator-form").nth(1).get_by_role("button", name="删除此指标").click()
    assert page.get_by_text("已删除“临时添加的一章”，保存后生效。").is_visible()

    save(page)
    page.reload()
    expected = [
        ("依法规范履行政府职能", ["全面从严依法决策"]),
        ("完善法治建设体制机制", ["发挥党委领导核心作用", "健全完善法治应急机制体系", "夯实法治安全制度基础"]),
    ]
    assert shown(page) == expected
    assert stored(sx_draft) == [
        ("依法规范履行政府职能", [("全面从严依法决策", [])]),
        (
            "完善法治建设体制机制",
            [
                ("发挥党委领导核心作用", [("集中学法", "17", "次")]),
                ("健全完善法治应急机制体系", []),
                ("夯实法治安全制度基础", []),
            ],
        ),
    ]
    assert chapters(page).first.locator(".form-number").first.inner_text() == "第一章"
    assert page.locator("[data-draft-offer]").is_hidden()


def test_an_invalid_figure_is_marked_and_nothing_else_is_lost(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")
    point = points(chapters(page).first).first
    fill_point(point, "加强重点行业领域监管执法", "检查企业 19.2 万家。")
    add_indicator(point, "检查企业", "19.2万", "万家")
    page.get_by_role("button", name="保存本部分").click()
    page.get_by_text("有填写不正确的地方").wait_for()
    assert page.get_by_text("“数值”只填数字").is_visible()
    point = points(chapters(page).first).first
    assert point.get_by_label("内容", exact=True).input_value() == "检查企业 19.2 万家。"
    point.locator(".indicator-form").first.get_by_label("数值", exact=True).fill("19.2")
    save(page)
    assert Indicator.objects.get().value_text == "19.2"


def test_a_double_click_on_save_saves_once(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")
    fill_point(points(chapters(page).first).first, "强化组织领导", "厅党委高度重视。")
    page.get_by_role("button", name="保存本部分").dblclick()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()
    assert ReportSection.objects.get(report=sx_draft, key="measures").version == 2
    assert Point.objects.count() == 1


def source_text(file_name):
    return (SAMPLES_DIR / file_name.replace(".json", ".txt")).read_text(encoding="utf-8")


def test_a_filer_builds_the_changzhi_report_from_an_empty_one_and_the_preview_reads_as_the_sample(
    live_server, page, cz_draft, cz_filer
):
    sample = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    parts = {entry["key"]: entry for entry in sample["sections"]}
    log_in(page, live_server, cz_filer.username, PASSWORD)
    page.goto(f"{live_server.url}/work/reports/{cz_draft.pk}/details/")
    page.get_by_label("标题").fill(sample["title"])
    page.get_by_label("导语", exact=True).fill("\n".join(sample["preface"]))
    page.get_by_label("落款", exact=True).fill(sample["signature"])
    page.get_by_label("成文日期", exact=True).fill(sample["signed_on"])
    page.get_by_label("附件", exact=True).fill("\n".join(sample["attachments"]))
    page.get_by_role("button", name="保存").click()
    page.get_by_role("alert").filter(has_text="已保存").wait_for()

    open_section(page, live_server, cz_draft, "measures")
    for c, chapter_data in enumerate(parts["measures"]["content"]["chapters"]):
        chapter = pinned(chapters(page).first) if c == 0 else add_chapter(page, chapter_data["heading"])
        chapter.get_by_label("章标题", exact=True).fill(chapter_data["heading"])
        for p, point_data in enumerate(chapter_data["points"]):
            body = "\n".join(point_data["paragraphs"])
            if p == 0:
                fill_point(points(chapter).first, point_data["heading"], body)
            else:
                add_point(chapter, point_data["heading"], body)
    add_indicator(points(chapters(page).first).first, "集中学法", "17", "次")
    save(page)

    open_section(page, live_server, cz_draft, "shortcomings")
    page.get_by_label("并入下一部分开头").check()
    page.locator(".item-form").first.get_by_label("不足", exact=True).fill(
        parts["shortcomings"]["content"]["items"][0]["shortcoming"]
    )
    save(page)

    open_section(page, live_server, cz_draft, "plans")
    page.get_by_label("标题", exact=True).fill(parts["plans"]["heading"])
    page.get_by_label("概述（每段一行）").fill("\n".join(parts["plans"]["text"]))
    for p, point_data in enumerate(parts["plans"]["content"]["points"]):
        if p:
            page.get_by_role("button", name="＋ 添加一项安排").click()
        task = page.locator(".item-form:not(.is-deleted)").last
        task.get_by_label("要点标题", exact=True).fill(point_data["heading"])
        task.get_by_label("内容", exact=True).fill("\n".join(point_data["paragraphs"]))
    save(page)

    page.goto(f"{live_server.url}/work/reports/{cz_draft.pk}/preview/")
    preview = page.locator("article.official-document").inner_text()
    assert "一、完善法治建设体制机制" in preview and "四、扎实开展应急管理普法宣传培训" in preview
    assert "五、2023年推进法治政府建设的主要安排" in preview
    # A draft's preview leaves out the public note; the rest reads as the published text.
    name = "2022-changzhi-emergency-management-bureau.json"
    expected = as_printed(source_text(name).replace("(此件公开发布)", ""), sample_snapshot(name))
    assert comparable(preview.replace("附件：", "")) == expected
    assert unicodedata.normalize("NFKC", preview).index("五、2023年") < unicodedata.normalize("NFKC", preview).index(
        "尽管我们在法治建设方面做了大量工作"
    )


def test_without_javascript_a_filer_still_edits_adds_in_the_blank_forms_and_reorders_by_number(
    live_server, browser, sx_draft, sx_filer
):
    section = ReportSection.objects.get(report=sx_draft, key="measures")
    chapter = Chapter.objects.create(section=section, position=1)
    Point.objects.create(chapter=chapter, position=1, heading="强化组织领导", body="厅党委高度重视。")
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, sx_filer.username, PASSWORD)
        open_section(page, live_server, sx_draft, "measures")
        blank = page.locator(".point-form").nth(1)
        fill_point(blank, "加强执法监督", "修订集体讨论决定办法。")
        blank.get_by_label("顺序").fill("1")
        page.locator(".point-form").first.get_by_label("顺序").fill("2")
        save(page)
    finally:
        context.close()
    assert list(Point.objects.order_by("position").values_list("heading", flat=True)) == [
        "加强执法监督",
        "强化组织领导",
    ]
