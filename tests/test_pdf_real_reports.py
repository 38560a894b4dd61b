"""Real reports, imported from the text of their public web pages and finished as a filer finishes an import,
print as the two samples do: every line of pure Chinese but a paragraph's last flush, the title broken only
between words, full-width punctuation, the closing in GB/T 9704's order, every full page on the 22-line grid.

The texts (tests/data/real_reports) are the openings of the pages as stored (about 700 characters each,
page furniture included), published by these agencies for 政府信息公开:
- 2023-jinghai-district: 静海区2023年度法治政府建设情况报告, 天津市静海区人民政府, tjjh.gov.cn, 2024-03-28;
- 2020-jinghai-district: 2020年静海区法治政府建设情况报告, tjjh.gov.cn (工作报告), 2021-03-29;
- 2019-nanchang-county: 南昌县 2019 年度法治政府建设工作报告, 江西, a copy of ncx.nc.gov.cn (no title in it);
- 2017-xinjiang-autonomous-region: 新疆维吾尔自治区人民政府关于2017年法治政府建设工作的报告, shache.gov.cn,
  2018-04-03;
- 2022-ministry-of-justice: 司法部2022年法治政府建设年度报告, its WeChat copy (headings unnumbered);
- 2023-hubei-province: 湖北省人民政府关于2023年度法治政府建设情况的报告, a copy at mishuzj.com (one paragraph,
  the site's name written into it twice);
- 2023-hubei-department-of-justice: 湖北省司法厅2023年法治政府建设年度报告, sft.hubei.gov.cn, 2024-03-27.
"""

import itertools
import json
import re
from pathlib import Path

import pytest

from reports.filing.document import compose_document
from reports.filing.sections import section_types
from reports.rendering.pdf import render_pdf
from reports.rendering.titles import break_points
from reports.transfer.importer import Target, read_report
from tests.pdf_tools import pdf_lines, pdf_page_count
from tests.test_pdf_print_layout import BOTTOM, PITCH, TOP, body_lines, ends_flush, left_edge

DATA = Path(__file__).resolve().parent / "data" / "real_reports"
# Name: (agency, year, the title where the import did not find it or took another line for it).
REAL = {
    "2023-jinghai-district": ("静海区人民政府", 2023, None),
    "2020-jinghai-district": ("静海区人民政府", 2020, "2020年静海区法治政府建设情况报告"),
    "2019-nanchang-county": ("南昌县人民政府", 2019, None),
    "2017-xinjiang-autonomous-region": ("新疆维吾尔自治区人民政府", 2017, None),
    "2022-ministry-of-justice": ("司法部", 2022, "司法部2022年法治政府建设年度报告"),
    "2023-hubei-province": ("湖北省人民政府", 2023, None),
    "2023-hubei-department-of-justice": ("湖北省司法厅", 2023, "湖北省司法厅2023年法治政府建设年度报告"),
}
HALF_WIDTH_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;?!()]|[,:;?!()][\u4e00-\u9fff]")


def finished(name: str) -> dict:
    """The file imported, then finished as its filer would: the title put right where the import took another
    line for it, text the copying site wrote into a report deleted, a title repeated as the first paragraph
    deleted, the text the import could not place put into the first section (or the opening), and the
    signature, date, attachment and note filled in."""
    agency, year, title = REAL[name]
    sections = tuple((section_type.key, section_type.default_heading) for section_type in section_types())
    target = Target(agency, "real", year, f"关于{year}年度法治政府建设情况的报告", sections)
    result = read_report((DATA / f"{name}.txt").read_bytes(), file_name=f"{name}.txt", target=target)
    snapshot = result.snapshot
    snapshot["title"] = title or snapshot["title"]
    # The copy of 湖北 2023 has the copying site's name written into its text, which a filer deletes.
    snapshot = json.loads(
        json.dumps(snapshot, ensure_ascii=False).replace("秘书之家—全网资源每日更新www.mishuzj.com", "")
    )
    snapshot["preface"] = [p for p in snapshot["preface"] if p.replace(" ", "") not in snapshot["title"]]
    if snapshot["sections"]:
        snapshot["sections"][0]["text"] = [*snapshot["sections"][0]["text"], *result.unplaced]
    else:  # a file whose chapters the import did not find: its text stays the opening
        snapshot["preface"] = [*snapshot["preface"], *result.unplaced]
    return snapshot | {
        "signature": agency,
        "signed_on": f"{year + 1}-03-28",
        "attachments": [f"{year}年法治政府建设工作要点"],
        "public_note": "(此件公开发布)",
    }


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[dict, bytes]]:
    documents = {name: compose_document(finished(name)) for name in REAL}
    return {name: (document, render_pdf(document)) for name, document in documents.items()}


NAMES = pytest.mark.parametrize("name", list(REAL))


@NAMES
def test_every_line_of_pure_chinese_but_a_paragraphs_last_ends_flush(printed, name):
    lines = body_lines(printed[name][1])
    continued = [a for a, b in itertools.pairwise(lines) if abs(b["x_min"] - left_edge(b)) < 0.3]
    chinese = [line for line in continued if not re.search(r"[ -~]", line["text"])]
    assert len(chinese) > 10
    assert [line["text"] for line in chinese if not ends_flush(line)] == []


@NAMES
def test_the_title_breaks_only_between_words(printed, name):
    document, pdf = printed[name]
    title = document.printed_title
    lines = [line["text"] for line in pdf_lines(pdf) if line["page"] == 1 and line["size"] > 7][:3]
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert set(cuts) <= set(break_points(title, agency=document.agency_in_title))


@NAMES
def test_the_punctuation_is_full_width(printed, name):
    text = "".join(line["text"] for line in pdf_lines(printed[name][1]))
    assert HALF_WIDTH_BESIDE_CHINESE.findall(text) == []
    assert "（此件公开发布）" in text


@NAMES
def test_the_closing_follows_the_standard(printed, name):
    document, pdf = printed[name]
    lines = pdf_lines(pdf)
    texts = [line["text"] for line in lines]
    at = texts.index(f"附件：1.{document.attachments[0]}")
    assert texts[at + 1 : at + 4] == [document.signature, document.date_text, "（此件公开发布）"]
    assert lines[at - 1]["page"] == lines[at]["page"]


@NAMES
def test_every_full_page_is_on_the_22_line_grid(printed, name):
    pdf = printed[name][1]
    lines = body_lines(pdf)
    for page in range(1, pdf_page_count(pdf)):
        body = [line for line in lines if line["page"] == page and line["size"] < 7]
        tops = [line["top"] for line in body]
        assert max(abs((top - tops[-1]) - round((top - tops[-1]) / PITCH) * PITCH) for top in tops) < 0.6
        # Text goes on to the next page: this one is full, down to the grid's 22nd line.
        assert round((tops[-1] - TOP) / PITCH) == 21, (page, tops[-1])
        assert tops[-1] + PITCH > BOTTOM
