"""The two sample reports, as text and as Word files, import into the structure the demo holds."""

import codecs

import pytest

from reports.filing.snapshot import snapshot_of
from reports.transfer.importer import Target, read_report
from reports.transfer.services import import_file
from tests.transfer_tools import (
    CHANGZHI,
    SAMPLES,
    SHANXI,
    docx_from_lines,
    reads_as,
    sample_report,
    sample_snapshot,
    sample_text,
    structure,
    unaccounted,
)

BOTH = pytest.mark.parametrize("name", list(SAMPLES))


def _read(report, data: bytes, file_name: str):
    return read_report(data, file_name=file_name, target=Target.of(report))


@BOTH
def test_each_sample_imports_from_text_into_the_structure_the_demo_holds(db, places, name):
    result = _read(sample_report(places, name), sample_text(name).encode(), f"{name}.txt")
    assert structure(result.snapshot) == structure(sample_snapshot(name))
    assert result.unplaced == []


@BOTH
def test_each_sample_imports_from_a_word_file_into_the_structure_the_demo_holds(db, places, name):
    data = docx_from_lines(sample_text(name).splitlines())
    result = _read(sample_report(places, name), data, f"{name}.docx")
    assert structure(result.snapshot) == structure(sample_snapshot(name))
    assert result.unplaced == []


@BOTH
def test_an_imported_sample_reads_exactly_as_its_source_apart_from_whitespace(db, places, name):
    source = sample_text(name)
    result = _read(sample_report(places, name), source.encode(), f"{name}.txt")
    assert reads_as(result.snapshot) == reads_as(
        sample_snapshot(name) | {"agency_name": result.snapshot["agency_name"]}
    )
    assert not unaccounted(source, result)


@BOTH
def test_a_word_file_with_heading_styles_and_no_typed_numbers_imports_the_same(db, places, name):
    lines, styles = [], {}
    for line in sample_text(name).splitlines():
        if line[:2] in {f"{n}、" for n in "一二三四五六七八九"}:
            styles[len(lines)] = "Heading 1"
            line = line[2:]
        lines.append(line)
    result = _read(sample_report(places, name), docx_from_lines(lines, styles), f"{name}.docx")
    assert structure(result.snapshot) == structure(sample_snapshot(name))


def test_the_provincial_samples_page_break_cuts_are_joined_and_listed(db, places):
    result = _read(sample_report(places, SHANXI), sample_text(SHANXI).encode(), "report.txt")
    healed = {group["kind"]: group for group in result.summary["healed"]}
    assert healed["page_break"]["count"] == 7
    points = result.snapshot["sections"][0]["content"]["chapters"][0]["points"]
    assert points[1]["paragraphs"][0].startswith("认真抓好重大事故隐患专项排查整治2023行动")
    assert "经营性自建房、特种设备、文化旅游" in points[1]["paragraphs"][-1]
    assert len(points[1]["paragraphs"]) == 4


def test_spaces_between_chinese_and_numbers_are_closed_up_and_counted(db, places):
    result = _read(sample_report(places, SHANXI), sample_text(SHANXI).encode(), "report.txt")
    assert result.snapshot["title"] == "关于2023年法治政府建设情况的报告"
    assert any(group["kind"] == "spaces" and group["count"] > 50 for group in result.summary["healed"])


def test_the_city_samples_shortcomings_are_found_folded_into_next_years_plans(db, places):
    result = _read(sample_report(places, CHANGZHI), sample_text(CHANGZHI).encode(), "report.txt")
    sections = {entry["key"]: entry for entry in result.snapshot["sections"]}
    assert sections["shortcomings"]["folded"] is True
    assert sections["shortcomings"]["content"]["items"][0]["shortcoming"].startswith("尽管我们在法治建设方面")
    assert sections["plans"]["text"][0].startswith("我们将进一步查漏补缺")
    assert [c["heading"] for c in sections["measures"]["content"]["chapters"]][:2] == [
        "完善法治建设体制机制",
        "依法规范履行政府职能",
    ]


def test_the_city_samples_closing_is_recognised(db, places):
    snapshot = _read(sample_report(places, CHANGZHI), sample_text(CHANGZHI).encode(), "report.txt").snapshot
    assert (snapshot["signature"], snapshot["signed_on"]) == ("长治市应急管理局", "2023-01-03")
    assert (snapshot["public_note"], snapshot["attachments"]) == ("（此件公开发布）", ["文件解读"])


def test_figures_in_sentences_become_indicators(db, places):
    snapshot = _read(sample_report(places, SHANXI), sample_text(SHANXI).encode(), "report.txt").snapshot
    points = snapshot["sections"][0]["content"]["chapters"][0]["points"]
    found = {(i["name"], i["value"], i["unit"]) for i in points[1]["indicators"]}
    assert {("检查企业", "19.2", "万家"), ("整改率", "96.2", "%"), ("罚款", "4.6", "亿元")} <= found


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8（带 BOM）"),
        (lambda text: text.replace("\n", "\r\n").encode("gb18030"), "GB18030/GBK"),
        (lambda text: text.replace("\u2002", " ").encode("gbk"), "GB18030/GBK"),
        (lambda text: text.encode("utf-16"), "UTF-16"),
    ],
)
def test_text_files_in_the_usual_encodings_and_line_ends_import_alike(db, places, encode, label):
    report = sample_report(places, CHANGZHI)
    result = _read(report, encode(sample_text(CHANGZHI)), "report.txt")
    assert result.summary["file"]["encoding"] == label
    assert structure(result.snapshot) == structure(sample_snapshot(CHANGZHI))


def test_a_web_page_copy_loses_its_chrome_and_page_numbers_but_nothing_else(db, places):
    chrome = [
        "首页 > 政务公开 > 法定主动公开内容",
        "来源：长治市应急管理局　　发布时间：2023-01-10",
        "【字号：大 中 小】",
    ]
    footer = ["【打印本页】【关闭窗口】", "扫一扫在手机打开当前页", "版权所有：长治市应急管理局　晋ICP备12345678号"]
    lines = sample_text(CHANGZHI).splitlines()
    lines[20:20] = ["", "- 3 -", ""]
    text = "\n".join([*chrome, *lines, *footer])
    result = _read(sample_report(places, CHANGZHI), text.encode(), "report.txt")
    assert structure(result.snapshot) == structure(sample_snapshot(CHANGZHI))
    removed = {group["kind"]: group["count"] for group in result.summary["healed"]}
    assert (removed["boilerplate"], removed["web_metadata"], removed["page_number"]) == (4, 2, 1)
    assert not unaccounted(text, result)


def test_a_title_set_on_two_lines_and_an_addressee_are_recognised(db, places):
    lines = sample_text(SHANXI).splitlines()
    start = lines.index("关于 2023 年法治政府建设情况的报告")
    lines[start : start + 1] = ["关于2023年度法治政府", "建设情况的报告", "省人民政府："]
    result = _read(sample_report(places, SHANXI), "\n".join(lines).encode(), "report.txt")
    assert result.snapshot["title"] == "关于2023年度法治政府建设情况的报告"
    assert result.snapshot["addressee"] == "省人民政府"


def test_importing_into_an_empty_draft_loads_the_sample_into_the_report(db, places, sx_filer):
    report = sample_report(places, SHANXI)
    record = import_file(report=report, data=sample_text(SHANXI).encode(), file_name="报告.txt", by=sx_filer)
    assert record.status == "applied"
    report.refresh_from_db()
    loaded = snapshot_of(report)
    assert structure(loaded) == structure(sample_snapshot(SHANXI))
    assert {entry["key"] for entry in loaded["sections"]} == {key for key, _ in Target.of(report).sections}
