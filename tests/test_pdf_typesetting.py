"""The printed report reads as a Chinese official document (GB/T 9704-2012) and loses no character."""

import io
import re

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from weasyprint import HTML

from reports.demo.services import sample_snapshot
from reports.filing.document import compose_document
from reports.rendering import fonts, packing, pdf
from reports.rendering.native import find_font, subset_font
from reports.rendering.packing import has_identity_cids
from reports.rendering.pdf import render_pdf
from reports.rendering.titles import title_lines, title_width
from tests.pdf_tools import (
    embedded_fonts,
    misdrawn_glyphs,
    missing_glyphs,
    pdf_fonts,
    pdf_info,
    pdf_page_count,
    pdf_reading_text,
    pdf_text,
    pdf_words,
    structure_tags,
    without_whitespace_and_page_numbers,
)

SAMPLES = ["2023-shanxi-emergency-management-department.json", "2022-changzhi-emergency-management-bureau.json"]
CLOSING_PUNCTUATION = "，。、；：？！）》」』”"
TEXT_BLOCK_LEFT, TEXT_BLOCK_WIDTH, TEXT_BLOCK_TOP, TEXT_BLOCK_HEIGHT = 28, 156, 37, 225


@pytest.fixture(scope="module")
def sample_pdfs():
    return {name: render_pdf(compose_document(sample_snapshot(name))) for name in SAMPLES}


@pytest.fixture
def fresh_fonts():
    """Forget the process's fonts and stylesheets, before and after (for tests that change the font folder)."""
    pdf.forget_fonts()
    yield
    pdf.forget_fonts()


@pytest.mark.parametrize("name", SAMPLES)
def test_no_character_of_a_sample_report_is_lost(sample_pdfs, name):
    expected = compose_document(sample_snapshot(name)).plain_text()
    printed = pdf_reading_text(sample_pdfs[name])
    assert without_whitespace_and_page_numbers(printed) == re.sub(r"\s", "", expected)


@pytest.mark.parametrize("name", SAMPLES)
def test_fonts_are_embedded_subset_and_have_every_glyph(sample_pdfs, name):
    used = pdf_fonts(sample_pdfs[name])
    assert used and all(f["embedded"] and f["subset"] for f in used)
    assert {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in used} >= {"gw-fangsong", "gw-heiti", "gw-kaiti"}
    assert missing_glyphs(sample_pdfs[name]) == set()


def source_fonts() -> dict[str, tuple[str, int]]:
    """Each family the renderer may print with, and the installed file it comes from."""
    files = {family: (str(path), 0) for family, path in fonts.face_files().items()}
    for family in (*fonts.FALLBACK_FAMILIES, "Noto Serif CJK SC:style=Bold", *fonts.RARE_FAMILIES):
        if face := find_font(family):
            files[family] = (str(face.path), face.index)
    return files


@pytest.mark.parametrize("name", SAMPLES)
def test_every_character_is_drawn_with_its_own_glyph(sample_pdfs, name):
    # Found as the PDF standard says (code → CID → glyph through the CFF charset), so a viewer that follows
    # the standard and one that takes glyph positions both draw the right character.
    checked = sum(len(font["glyphs"]) for font in embedded_fonts(sample_pdfs[name]))
    assert checked > 600
    assert misdrawn_glyphs(sample_pdfs[name], source_fonts()) == set()


def test_the_glyph_check_sees_a_character_drawn_from_another_font(sample_pdfs):
    sources = source_fonts()
    sources["gw-fangsong"] = sources["gw-heiti"]
    assert len(misdrawn_glyphs(sample_pdfs[SAMPLES[0]], sources)) > 300


@pytest.mark.parametrize("name", SAMPLES)
def test_embedded_fonts_hold_only_the_glyphs_the_report_prints(sample_pdfs, name):
    # Not the 8,400 slots of the cut-down font: .notdef, the glyphs printed, and the few HarfBuzz keeps for
    # the variation sequences of printed characters.
    for font in embedded_fonts(sample_pdfs[name]):
        if font["family"] != "gw-kaiti":  # TrueType: kept as WeasyPrint subsets it
            assert font["glyph_count"] <= font["codes"] + 10, font["family"]
    assert len(sample_pdfs[name]) <= 250_000


def test_packing_after_weasyprints_own_subset_gives_the_same_fonts(sample_pdfs, monkeypatch):
    # What happens with another WeasyPrint version, where the packer does not stop WeasyPrint subsetting first.
    monkeypatch.setattr(packing, "_deferred_families", frozenset())
    printed = render_pdf(compose_document(sample_snapshot(SAMPLES[0])))
    assert misdrawn_glyphs(printed, source_fonts()) == set()
    glyph_counts = {font["family"]: font["glyph_count"] for font in embedded_fonts(printed)}
    assert glyph_counts == {font["family"]: font["glyph_count"] for font in embedded_fonts(sample_pdfs[SAMPLES[0]])}


@pytest.mark.parametrize(("name", "is_draft"), [(SAMPLES[0], False), (SAMPLES[1], False), (SAMPLES[1], True)])
def test_the_cut_down_user_agent_stylesheet_prints_what_weasyprints_own_prints(name, is_draft, monkeypatch):
    snapshot = sample_snapshot(name)
    snapshot["attachments"] = ["文件解读", "2023年法治政府建设工作要点"]
    snapshot["title"] = "关于2023年度法治政府建设情况和2024年度法治政府建设主要安排的报告"  # two lines: a <br>
    document = compose_document(snapshot, is_draft=is_draft)
    ours = render_pdf(document)
    monkeypatch.setattr(pdf.ReportHTML, "_ua_stylesheets", HTML._ua_stylesheets)
    weasyprints = render_pdf(document)
    assert pdf_page_count(ours) == pdf_page_count(weasyprints)
    for page in range(1, pdf_page_count(ours) + 1):
        assert pdf_words(ours, page) == pdf_words(weasyprints, page)
    assert outline(ours) == outline(weasyprints) != []
    assert structure(ours) == structure(weasyprints)


def test_only_fonts_whose_cids_are_their_glyph_numbers_are_packed(tmp_path):
    face = find_font("Noto Sans CJK SC")
    assert has_identity_cids(face.path, face.index)
    # Cut down without renumbering, glyph 1 keeps the CID it had in the full font.
    renumbered = tmp_path / "cut.otf"
    renumbered.write_bytes(subset_font(face, [ord(c) for c in "法治政府"]))
    assert not has_identity_cids(renumbered)
    assert has_identity_cids(fonts.role_files()["heiti"])
    assert "gw-heiti" in fonts.packable_families() and "gw-kaiti" not in fonts.packable_families()


@pytest.mark.parametrize("name", SAMPLES)
def test_no_line_begins_with_closing_punctuation(sample_pdfs, name):
    lines = [line.strip() for line in pdf_text(sample_pdfs[name]).splitlines() if line.strip()]
    assert [line for line in lines if line[0] in CLOSING_PUNCTUATION] == []


def test_rare_characters_and_full_width_punctuation_are_printed_not_boxed():
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    rare = "南汉高祖刘䶮，“𠮷野家”；全角：，。、；：？！（）《》「」『』“”‘’—…·％"
    snapshot["preface"] = [rare]
    snapshot["title"] = "关于䶮𠮷的报告"
    printed = render_pdf(compose_document(snapshot))
    assert missing_glyphs(printed) == set()
    assert misdrawn_glyphs(printed, source_fonts()) == set()
    by_family = {font["family"]: set(font["glyphs"]) for font in embedded_fonts(printed)}
    assert "䶮" in by_family["Noto Serif CJK SC"]  # in the body, from the full font
    assert "䶮" in by_family["gw-xiaobiaosong-full"]  # in the title, from the bold one
    assert len(printed) < 400_000  # the full font (21 MB) packed to the few glyphs it prints
    assert rare in re.sub(r"\s", "", pdf_reading_text(printed))


def test_the_tofu_check_sees_a_character_no_font_has():
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["preface"] = ["阿德拉姆字母\U0001e900"]
    assert missing_glyphs(render_pdf(compose_document(snapshot))) == {"\U0001e900"}


def test_a_line_of_pure_chinese_holds_28_characters():
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["preface"] = ["法治政府建设年度报告" * 6]
    lines = pdf_reading_text(render_pdf(compose_document(snapshot))).splitlines()
    start = lines.index("法治政府建设年度报告法治政府建设年度报告法治政府建设")
    first, second = lines[start : start + 2]
    assert len(first) == 26 and len(second) == 28  # the first line starts two characters in


def test_page_numbers_sit_below_the_text_block_odd_right_even_left(sample_pdfs):
    for page in (1, 2):
        words = pdf_words(sample_pdfs[SAMPLES[0]], page=page)
        below = [w for w in words if w["y_min"] > TEXT_BLOCK_TOP + TEXT_BLOCK_HEIGHT]
        assert "".join(w["text"] for w in below) == f"—{page}—"
        middle = (min(w["y_min"] for w in below) + max(w["y_max"] for w in below)) / 2
        assert abs(middle - (TEXT_BLOCK_TOP + TEXT_BLOCK_HEIGHT + 7)) < 1.5
        one_character = 14 * 25.4 / 72
        if page % 2:
            assert abs(max(w["x_max"] for w in below) - (210 - 26 - one_character)) < 1
        else:
            assert abs(min(w["x_min"] for w in below) - (26 + one_character)) < 1


def test_the_attachment_note_signature_date_and_public_note_close_the_report_in_that_order(sample_pdfs):
    text = pdf_text(sample_pdfs[SAMPLES[1]])
    closing = [line.strip() for line in text.split("氛围。")[-1].splitlines() if line.strip()]
    assert closing[:4] == ["附件：1.文件解读", "长治市应急管理局", "2023年1月3日", "（此件公开发布）"]
    last_page = pdf_page_count(sample_pdfs[SAMPLES[1]])
    words = pdf_words(sample_pdfs[SAMPLES[1]], page=last_page)
    left = TEXT_BLOCK_LEFT if last_page % 2 else TEXT_BLOCK_LEFT - 2  # the binding edge is on the right of even pages
    signature = next(w for w in words if w["text"] == "长治市应急管理局")
    date = next(w for w in words if w["text"] == "2023年1月3日")
    char = TEXT_BLOCK_WIDTH / 28
    # The date is longer than the agency less two characters: it ends two characters from the right,
    # and the agency starts two characters before it.
    assert abs(date["x_max"] - (left + TEXT_BLOCK_WIDTH - 2 * char)) < 1
    assert abs((date["x_min"] - signature["x_min"]) - 2 * char) < 1


def test_several_attachments_line_up_under_the_first_name():
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["attachments"] = [
        "2022年度行政执法数据统计表",
        "法治政府建设工作要点及相关制度文件汇编（含各县区、各开发区落实情况）",
    ]
    printed = render_pdf(compose_document(snapshot))
    words = [w for page in range(1, pdf_page_count(printed) + 1) for w in pdf_words(printed, page)]
    first = next(w for w in words if w["text"].startswith("附件：1."))
    second = next(w for w in words if w["text"].startswith("2.法治"))
    wrapped = next(w for w in words if w["text"].startswith("区落实情况") or w["text"].endswith("落实情况）"))
    assert abs(first["x_min"] - (TEXT_BLOCK_LEFT + 2 * TEXT_BLOCK_WIDTH / 28)) < 1
    assert second["x_min"] > first["x_min"] + 10
    assert wrapped["x_min"] > second["x_min"]


def test_a_long_title_is_centred_in_balanced_lines():
    title = "关于2024年度推进法治政府建设和全面依法治省工作以及行政执法协调监督工作体系建设情况的报告"
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) == 3
    widths = [title_width(line) for line in lines]
    assert max(widths) - min(widths) <= 4
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["title"] = title
    document = compose_document(snapshot)
    expected = title_lines(document.printed_title, agency=document.agency_in_title)
    printed = [line.strip() for line in pdf_text(render_pdf(document)).splitlines()]
    assert [line for line in printed if line in expected] == expected


def test_a_draft_never_says_it_is_public():
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    draft = render_pdf(compose_document(snapshot, is_draft=True))
    assert "此件公开发布" not in pdf_reading_text(draft)


def test_the_pdf_carries_title_author_subject_keywords_and_language(sample_pdfs):
    info = pdf_info(sample_pdfs[SAMPLES[0]])
    assert info["Title"] == "关于 2023 年法治政府建设情况的报告"
    assert info["Author"] == "山西省应急管理厅"
    assert info["Subject"] == "山西省应急管理厅关于 2023 年法治政府建设情况的报告"
    assert info["Keywords"] == "法治政府建设, 年度报告, 2023"
    with pikepdf.open(io.BytesIO(sample_pdfs[SAMPLES[0]])) as document:
        assert str(document.Root.Lang) == "zh-CN"


def test_an_agencys_licensed_font_in_the_font_folder_prints_the_body(tmp_path, settings, fresh_fonts):
    licensed = TTFont(fonts.compact_substitute("LXGW WenKai:style=Regular"))
    names = licensed["name"]
    for name_id in (1, 4, 6, 16):
        names.removeNames(nameID=name_id)
    for name_id, name in [(1, "仿宋_GB2312"), (4, "仿宋_GB2312"), (6, "FangSong_GB2312")]:
        names.setName(name, name_id, 3, 1, 0x409)
    folder = tmp_path / "fonts"
    folder.mkdir()
    licensed.save(folder / "仿宋_GB2312.ttf")
    settings.PORTAL_FONT_DIR = folder
    assert fonts.role_files()["fangsong"] == folder / "仿宋_GB2312.ttf"
    assert fonts.role_files()["heiti"].is_relative_to(fonts.font_cache_dir())
    printed = render_pdf(compose_document(sample_snapshot("2022-changzhi-emergency-management-bureau.json")))
    with pikepdf.open(io.BytesIO(printed)) as document:
        body = next(f for f in document.pages[0].Resources.Font.values() if str(f.BaseFont).endswith("gw-fangsong"))
        descriptor = body.DescendantFonts[0].FontDescriptor
        program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
        assert TTFont(io.BytesIO(program.read_bytes()))["name"].getDebugName(1) == "仿宋_GB2312"
    assert missing_glyphs(printed) == set()


def outline(printed: bytes) -> list[tuple[int, str]]:
    """The bookmarks: (depth, title) in order."""
    with pikepdf.open(io.BytesIO(printed)) as document, document.open_outline() as tree:
        found = []

        def walk(items, depth):
            for item in items:
                found.append((depth, item.title))
                walk(item.children, depth + 1)

        walk(tree.root, 0)
        return found


def structure(printed: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(printed)) as document:
        return structure_tags(document.Root.StructTreeRoot)
