"""The printed report set like a 公文, measured in the PDF (pdfplumber's character boxes, pdfium's pixels)."""

import io
import itertools
import re

import pytest

from reports.demo.services import sample_snapshot
from reports.filing.document import compose_document
from reports.filing.punctuation import full_width_punctuation, undo
from reports.filing.sections import body_blocks
from reports.rendering.lines import CLOSING
from reports.rendering.pdf import render_pdf
from reports.rendering.titles import TITLE_LINE_EM, break_points, title_lines, title_width
from tests.pdf_tools import MM, ink_colours, ink_rows, pdf_lines, pdf_page_count, pdf_reading_text

SAMPLES = ["2023-shanxi-emergency-management-department.json", "2022-changzhi-emergency-management-bureau.json"]
LEFT, RIGHT, TOP, BOTTOM = 28, 28 + 156, 37, 37 + 225
GRID = 156 / 28
PITCH = 10.22


@pytest.fixture(scope="module")
def printed():
    return {name: render_pdf(compose_document(sample_snapshot(name))) for name in SAMPLES}


def body_lines(pdf: bytes) -> list[dict]:
    return [line for line in pdf_lines(pdf) if TOP - 1 < line["top"] and line["bottom"] < BOTTOM + 1]


def left_edge(line: dict) -> float:
    """The binding edge, 28 mm, is on the left of odd pages and on the right of even ones."""
    return LEFT if line["page"] % 2 else LEFT - 2


def ends_flush(line: dict) -> bool:
    """The last character ends at the block's edge; a closing mark set half width there ends half an em in."""
    right = left_edge(line) + 156
    if abs(line["x_max"] - right) < 0.4:
        return True
    return line["last"] in CLOSING and abs(line["last_x_min"] + line["size"] / 2 - right) < 0.4


@pytest.mark.parametrize("name", SAMPLES)
def test_every_line_of_pure_chinese_but_a_paragraphs_last_ends_flush(printed, name):
    lines = body_lines(printed[name])
    # A line is followed by more of its paragraph when the next line starts at the block's left edge.
    continued = [a for a, b in itertools.pairwise(lines) if abs(b["x_min"] - left_edge(b)) < 0.3]
    assert len(continued) > 60
    chinese = [line for line in continued if line["text"].isascii() is False and not re.search(r"[ -~]", line["text"])]
    assert len(chinese) > 0.6 * len(continued)
    assert [line["text"] for line in chinese if not ends_flush(line)] == []


@pytest.mark.parametrize("name", SAMPLES)
def test_lines_with_figures_end_flush_too_and_no_line_passes_the_right_edge(printed, name):
    lines = body_lines(printed[name])
    continued = [a for a, b in itertools.pairwise(lines) if abs(b["x_min"] - left_edge(b)) < 0.3]
    with_figures = [line for line in continued if re.search(r"[0-9A-Za-z]", line["text"])]
    assert len(with_figures) > 15
    assert [line["text"] for line in with_figures if not ends_flush(line)] == []
    # A closing mark pushed in at a line's end is set half width: its other half may pass the edge.
    passing = [line for line in lines if line["x_max"] > left_edge(line) + 156 + 0.4]
    assert [line["text"] for line in passing if not ends_flush(line)] == []


@pytest.mark.parametrize("name", SAMPLES)
def test_every_full_page_holds_22_lines_on_the_grid(printed, name):
    lines = body_lines(printed[name])
    pages = pdf_page_count(printed[name])
    # The first holds the title; the last two may end early, as the closing keeps some text with it.
    for page in range(2, pages - 1):
        tops = [line["top"] for line in lines if line["page"] == page]
        assert len(tops) == 22, (page, tops)
        # 楷体 and 黑体 lines sit on the same pitch as the body's.
        assert max(abs((top - tops[0]) - round((top - tops[0]) / PITCH) * PITCH) for top in tops) < 0.6


@pytest.mark.parametrize("name", SAMPLES)
def test_the_text_layer_is_the_reports_text_with_nothing_inserted(printed, name):
    document = compose_document(sample_snapshot(name))
    text = re.sub(r"—\s*\d+\s*—", "", pdf_reading_text(printed[name]))
    assert re.sub(r"\s", "", text) == re.sub(r"\s", "", document.plain_text())
    # Spacing a line out never makes text extraction see a space the report does not have.
    assert text.count(" ") <= document.plain_text().count(" ")


def test_the_title_names_the_agency_once_and_breaks_after_it(printed):
    for name, expected in zip(
        SAMPLES,
        [
            ["山西省应急管理厅", "关于 2023 年法治政府建设情况的报告"],
            ["长治市应急管理局", "关于2022年度法治政府建设情况报告"],
        ],
        strict=True,
    ):
        first_page = [line["text"] for line in pdf_lines(printed[name]) if line["page"] == 1]
        assert [line.replace(" ", "") for line in first_page[:2]] == [line.replace(" ", "") for line in expected]
        assert "".join(first_page[:2]).count(expected[0]) == 1


# Real titles typed in from public documents, with the agency that issued each: annual reports on 法治政府建设
# of provinces, cities, counties, districts, towns, ministries and departments, and a few other official titles
# (with 《》, “”, （） and long agency names). Where each was published, and when.
REAL_TITLES = [
    ("静海区2023年度法治政府建设情况报告", "静海区人民政府"),  # 天津, tjjh.gov.cn, 2024-03-28
    ("2020年静海区法治政府建设情况报告", "静海区人民政府"),  # 天津, tjjh.gov.cn, 2021-03-29
    ("静海区2022年度法治政府建设情况报告", "静海区人民政府"),  # 天津, named in the 2023 report
    ("天津市静海区人民政府关于2024年法治政府建设报告", "静海区人民政府"),  # 天津, tjjh.gov.cn, 2025-04-22
    ("清水县人民政府关于清水县2023年度法治政府建设工作总结的报告", "清水县人民政府"),  # 甘肃, 2024-01-08
    ("湖北省人民政府关于2023年度法治政府建设情况的报告", "湖北省人民政府"),  # 湖北, 2024
    ("湖北省司法厅2023年法治政府建设年度报告", "湖北省司法厅"),  # 湖北, sft.hubei.gov.cn, 2024-03-27
    ("武汉市市场监管局2022年法治政府建设年度报告", "武汉市市场监督管理局"),  # 湖北, 2023-01-12
    ("新疆维吾尔自治区人民政府关于2017年法治政府建设工作的报告", "新疆维吾尔自治区人民政府"),  # 2018-04-03
    ("中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告", "烈山区人民政府"),  # 安徽, lieshan.gov.cn
    ("关于2024年度法治政府建设情况的报告", "淮北市烈山区人民政府"),  # 安徽, lieshan.gov.cn, 2025
    ("石家庄市人民政府关于2016年度法治政府建设情况的报告", "石家庄市人民政府"),  # 河北, 2017-02-28
    ("淮安市人民政府关于2017年度法治政府建设情况的报告", "淮安市人民政府"),  # 江苏, sft.jiangsu.gov.cn, 2018-05-03
    ("司法部2020年法治政府建设年度报告", "司法部"),  # 国务院部门, 2021-03
    ("司法部2021年法治政府建设年度报告", "司法部"),  # 国务院部门, 2022-03-30
    ("南昌县政府2020年度法治政府建设工作报告", "南昌县人民政府"),  # 江西, ncx.nc.gov.cn, 2021-03-15
    ("南昌县政府2021年度法治政府建设工作报告", "南昌县人民政府"),  # 江西, ncx.nc.gov.cn, 2022-02-20
    ("南昌县政府2022年度法治政府建设工作报告", "南昌县人民政府"),  # 江西, ncx.nc.gov.cn, 2023-02-21
    ("南昌县政府2023年度法治政府建设工作报告", "南昌县人民政府"),  # 江西, ncx.nc.gov.cn, 2024-01-25
    ("关于南昌市2020年度法治政府建设工作的报告", "南昌市人民政府"),  # 江西, to the province, 2021-02-28
    ("贤庠镇人民政府关于2022年度法治政府建设情况的报告", "贤庠镇人民政府"),  # 浙江象山, xiangshan.gov.cn, 2023-02-21
    ("券桥镇2022年度法治政府建设工作报告", "券桥镇人民政府"),  # 湖南, 2023-02-28
    ("关于 2023 年法治政府建设情况的报告", "山西省应急管理厅"),  # the provincial sample
    ("关于2022年度法治政府建设情况报告", "长治市应急管理局"),  # the city sample
    ("关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知", "金昌市人民政府"),  # 甘肃, 金政发〔2025〕33号
    ("关于转发最高人民法院“一号司法建议”、“二号司法建议”的报告", "天津市静海区人民法院"),  # named in 静海区 2023
    (
        "西平县人民政府办公室关于印发西平县2020年度法治政府建设工作安排的通知",
        "西平县人民政府办公室",
    ),  # 河南, 西政办〔2020〕20号
    (
        "全国人民代表大会常务委员会执法检查组关于检查《中华人民共和国环境保护法》实施情况的报告",
        "全国人民代表大会常务委员会执法检查组",
    ),  # 2022-08-30
    (
        "湖北省人民政府办公厅关于做好2020年政府信息公开工作年度报告编制和发布工作的通知",
        "湖北省人民政府办公厅",
    ),  # named by 咸宁市司法局, sfj.xianning.gov.cn, 2021-01-27
    (
        "关于第一批全省法治政府建设示范地区（单位）和项目命名的决定",
        "中共湖北省委全面依法治省委员会办公室",
    ),  # 湖北, 2021
    ("贵州省教育厅2022年度法治政府建设报告", "贵州省教育厅"),  # 贵州, 2023-03-30
    ("四川省教育厅2022年法治政府建设工作情况", "四川省教育厅"),  # 四川, edu.sc.gov.cn, 2023-01-10
    ("四川省教育厅2025年法治政府建设工作情况", "四川省教育厅"),  # 四川, edu.sc.gov.cn, 2026-02-28
    (
        "四川省教育厅关于统筹做好2021年春季学期学校教育教学与疫情防控工作的通知",
        "四川省教育厅",
    ),  # named in its 2021 report
]


@pytest.mark.parametrize(
    ("title", "agency", "printed"),
    [
        ("券桥镇2022年度法治政府建设工作报告", "券桥镇人民政府", "券桥镇2022年度法治政府建设工作报告"),
        ("静海区2023年度法治政府建设情况报告", "静海区人民政府", "静海区2023年度法治政府建设情况报告"),
        ("司法部2021年法治政府建设年度报告", "司法部", "司法部2021年法治政府建设年度报告"),
        (
            "武汉市市场监管局2022年法治政府建设年度报告",
            "武汉市市场监督管理局",
            "武汉市市场监管局2022年法治政府建设年度报告",
        ),
        (
            "天津市静海区人民政府关于2024年法治政府建设报告",
            "静海区人民政府",
            "天津市静海区人民政府关于2024年法治政府建设报告",
        ),
        ("关于2022年度法治政府建设情况报告", "长治市应急管理局", "长治市应急管理局关于2022年度法治政府建设情况报告"),
    ],
)
def test_a_title_names_its_agency_once(title, agency, printed):
    assert (
        compose_document(sample_snapshot(SAMPLES[1]) | {"title": title, "agency_name": agency}).printed_title == printed
    )


def test_at_least_thirty_real_titles_of_different_lengths_are_tried():
    assert len(REAL_TITLES) >= 30
    lengths = {
        len(compose_document(sample_snapshot(SAMPLES[1]) | {"title": t, "agency_name": a}).printed_title)
        for t, a in REAL_TITLES
    }
    assert min(lengths) < 20 and max(lengths) > 40 and len(lengths) > 12


@pytest.mark.parametrize(("title", "agency"), REAL_TITLES)
def test_a_real_title_breaks_only_between_words_into_a_ladder_or_diamond(title, agency):
    document = compose_document(sample_snapshot(SAMPLES[1]) | {"title": title, "agency_name": agency})
    full = document.printed_title
    lines = title_lines(full, agency=document.agency_in_title)
    assert "".join(lines).replace(" ", "") == full.replace(" ", "")
    assert all(title_width(line) <= TITLE_LINE_EM for line in lines)
    cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert set(cuts) <= set(break_points(full, agency=document.agency_in_title))
    for cut in cuts:  # never inside a figure with its unit, 年度, 《…》, “…” or the agency's name
        assert not re.search(r"\d$", full[:cut]) and full[cut] not in "年度月日》”"
        assert not (document.agency_in_title and 0 < cut < len(document.agency_in_title))
    if len(lines) == 3:
        widths = [title_width(line) for line in lines]
        assert not (widths[1] < widths[0] and widths[1] < widths[2])  # no hourglass
    fits_after_agency = title_width(full[len(document.agency_in_title) :]) <= TITLE_LINE_EM
    if document.agency_in_title and len(lines) > 1 and fits_after_agency:
        assert lines[0] == document.agency_in_title  # the break after the agency's name, where it fits


def test_the_closing_follows_the_standard_and_shares_a_page_with_the_text(printed):
    lines = pdf_lines(printed[SAMPLES[1]])
    texts = [line["text"] for line in lines]
    attachment = texts.index("附件：1.文件解读")
    assert texts[attachment + 1 : attachment + 4] == ["长治市应急管理局", "2023年1月3日", "（此件公开发布）"]
    assert lines[attachment - 1]["page"] == lines[attachment]["page"]  # not alone on a last page
    assert abs(lines[attachment]["x_min"] - (left_edge(lines[attachment]) + 2 * GRID)) < 0.5
    assert lines[attachment]["top"] - lines[attachment - 1]["top"] == pytest.approx(2 * PITCH, abs=0.3)
    # The closing is set at the grid's spacing: nothing in it is spread as running text is, nor overlaps.
    chars = closing_chars(printed[SAMPLES[1]], lines[attachment]["page"], lines[attachment]["top"])
    steps = [b["x0"] - a["x0"] for a, b in itertools.pairwise(chars) if a["top"] == b["top"]]
    assert all(step == pytest.approx(GRID, abs=0.15) for step in steps[:2]), steps  # 附件：
    same_line = [(a, b) for a, b in itertools.pairwise(chars) if a["top"] == b["top"]]
    assert [(a["text"], b["text"]) for a, b in same_line if b["x0"] < a["x1"] - 0.3] == []


def closing_chars(pdf: bytes, page: int, top: float) -> list[dict]:
    """The characters of a page from the line at top on, in millimetres, line by line."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [
            {"text": c["text"], "x0": c["x0"] * MM, "x1": c["x1"] * MM, "top": round(c["top"] * MM, 1)}
            for c in document.pages[page - 1].chars
            if c["top"] * MM > top - 1 and c["top"] * MM < BOTTOM
        ]
    return sorted(chars, key=lambda c: (c["top"], c["x0"]))


def test_the_page_numbers_dash_sits_7_mm_below_the_text_block(printed):
    lines = pdf_lines(printed[SAMPLES[0]])
    for page in (1, 2):
        number = next(line for line in lines if line["page"] == page and line["top"] > BOTTOM)
        assert number["text"].startswith("—")
        # The ink of the first dash alone (its left third), not of the digits.
        rows = ink_rows(
            printed[SAMPLES[0]], page, left=number["x_min"], right=number["x_min"] + 1.5, top=BOTTOM, bottom=BOTTOM + 15
        )
        assert abs(rows[0] - (BOTTOM + 7)) < 0.3


def test_a_drafts_mark_is_drawn_but_not_in_its_text():
    draft = render_pdf(compose_document(sample_snapshot(SAMPLES[1]), is_draft=True))
    final = render_pdf(compose_document(sample_snapshot(SAMPLES[1])))
    assert "草稿" not in re.sub(r"\s", "", pdf_reading_text(draft))
    assert pdf_reading_text(draft).count("草") == pdf_reading_text(final).count("草")
    for page in (1, pdf_page_count(draft)):
        assert any(r > g + 10 and r > b + 10 for r, g, b in ink_colours(draft, page))  # the pale red mark


def test_half_width_punctuation_between_chinese_is_made_full_width_and_can_be_undone():
    text = (
        "2022年,长治市应急管理局以习近平法治思想为指导:一是(试行)办法;比例1:500,检查19.2万家,详见 www.gov.cn/a,b 网站"
    )
    healed, changes = full_width_punctuation(text)
    expected = "2022年，长治市应急管理局以习近平法治思想为指导：一是（试行）办法；"
    assert healed == expected + "比例1:500，检查19.2万家，详见 www.gov.cn/a,b 网站"
    assert undo(healed, changes) == text
    assert full_width_punctuation("Hello, world (test) 文件解读.doc")[1] == []
    # A URL ends where Chinese starts: the text after it is healed.
    assert full_width_punctuation("www.mishuzj.com湖北省2023年,省政府")[0] == "www.mishuzj.com湖北省2023年，省政府"
    assert (
        compose_document(sample_snapshot(SAMPLES[1]) | {"public_note": "(此件公开发布)"}).public_note
        == "（此件公开发布）"
    )


def test_paragraphs_opening_with_1_and_paren_1_are_items_and_subitems():
    blocks = body_blocks(
        [
            "总的情况。",
            "1.加强组织领导。正文。",
            "续段。",
            "（1）完善制度。",
            "1.36万项是数字，不是标题。",
            "2.规范执法。",
        ]
    )
    assert [(b.kind, b.paragraphs) for b in blocks] == [
        ("paragraph", ("总的情况。",)),
        ("item", ("1.加强组织领导。正文。", "续段。")),
        ("subitem", ("（1）完善制度。", "1.36万项是数字，不是标题。")),
        ("item", ("2.规范执法。",)),
    ]
