"""The Word export: the official layout, and a round trip report → .docx → import that loses nothing."""

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.filing.document import compose_document
from reports.filing.models import Report
from reports.filing.snapshot import load_snapshot, snapshot_of
from reports.transfer.importer import Target, read_report
from reports.transfer.services import apply_import, import_file
from reports.transfer.wordexport import BODY_FONT, CHAPTER_FONT, POINT_FONT, TITLE_FONT, report_docx
from tests.factories import PASSWORD
from tests.transfer_tools import SAMPLES, reads_as, sample_report, sample_snapshot, structure

BOTH = pytest.mark.parametrize("name", list(SAMPLES))


def _report_from_sample(places, name: str) -> Report:
    report = sample_report(places, name)
    load_snapshot(report, sample_snapshot(name))
    report.refresh_from_db()
    return report


def _without_seal(data: bytes) -> bytes:
    """The same document as someone copying its text into a new file would have it: no portal data inside."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "word/_rels/document.xml.rels":
                body = re.sub(rb'<Relationship [^>]*Type="[^"]*/customXml"[^>]*/>', b"", body)
            target.writestr(member, body)
    return output.getvalue()


def _fonts(run) -> set[str]:
    fonts = run._r.rPr.rFonts
    return {fonts.get(qn(f"w:{name}")) for name in ("ascii", "eastAsia")}


@BOTH
def test_a_report_goes_to_word_and_back_without_losing_anything(places, name):
    report = _report_from_sample(places, name)
    before = snapshot_of(report)
    data = report_docx(before, is_draft=False)
    result = read_report(data, file_name="report.docx", target=Target.of(report))
    load_snapshot(report, result.snapshot)
    report.refresh_from_db()
    assert snapshot_of(report) == before
    assert result.summary["file"]["sealed"] is True


@BOTH
def test_a_portal_word_file_without_its_seal_is_read_back_into_the_same_structure(places, name):
    report = _report_from_sample(places, name)
    data = _without_seal(report_docx(snapshot_of(report), is_draft=False))
    result = read_report(data, file_name="report.docx", target=Target.of(report))
    assert result.summary["file"]["sealed"] is False
    assert structure(result.snapshot) == structure(sample_snapshot(name))
    assert reads_as(result.snapshot) == reads_as(snapshot_of(report))


def test_a_portal_word_file_edited_in_word_is_read_from_its_text(places):
    report = _report_from_sample(places, "2023-shanxi-emergency-management-department")
    document = docx.Document(io.BytesIO(report_docx(snapshot_of(report), is_draft=False)))
    document.paragraphs[-1].add_run("另行补充的一句话。")
    output = io.BytesIO()
    document.save(output)
    result = read_report(output.getvalue(), file_name="report.docx", target=Target.of(report))
    assert result.summary["file"]["sealed"] is False
    plans = result.snapshot["sections"][-1]["content"]["points"]
    assert plans[-1]["paragraphs"][-1].endswith("做好机关法律事务工作。另行补充的一句话。")


def test_the_word_file_has_the_official_page_and_fonts(places):
    report = _report_from_sample(places, "2022-changzhi-emergency-management-bureau")
    document = docx.Document(io.BytesIO(report_docx(snapshot_of(report), is_draft=False)))
    section = document.sections[0]
    # Word keeps lengths in twentieths of a point, so millimetres come back a hair off.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm, 1) for margin in margins] == [37, 35, 28, 26]
    paragraphs = document.paragraphs
    # As the PDF (GB/T 9704 7.3.1): the title names the agency, once, and no line above it does.
    title = paragraphs[0]
    assert (title.text, title.style.name) == ("长治市应急管理局关于2022年度法治政府建设情况报告", "Title")
    assert title.style.font.size == Pt(22)
    assert title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    assert normal.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    chapter = next(p for p in paragraphs if p.text.startswith("一、"))
    assert (chapter.text, chapter.style.name) == ("一、完善法治建设体制机制", "Heading 1")
    assert chapter.style.element.rPr.rFonts.get(qn("w:eastAsia")) == CHAPTER_FONT
    point = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert point.runs[0].text == "（一）发挥党委领导核心作用。"
    assert _fonts(point.runs[0]) == {POINT_FONT}
    assert point.runs[1].text.startswith("第一，加强党对法治建设的领导。")


def test_the_word_file_closes_in_the_standards_order(places):
    report = _report_from_sample(places, "2022-changzhi-emergency-management-bureau")
    document = docx.Document(io.BytesIO(report_docx(snapshot_of(report), is_draft=False)))
    texts = [p.text for p in document.paragraphs if p.text]
    # GB/T 9704 7.3.4-7.3.6: the attachment note, then the signature and the date, then the note.
    assert texts[-4:] == ["附件：1.文件解读", "长治市应急管理局", "2023年1月3日", "（此件公开发布）"]


def test_a_word_file_read_back_without_its_seal_names_the_agency_once_in_its_title(places):
    report = _report_from_sample(places, "2023-shanxi-emergency-management-department")
    data = _without_seal(report_docx(snapshot_of(report), is_draft=False))
    result = read_report(data, file_name="report.docx", target=Target.of(report))
    assert result.snapshot["title"] == "关于2023年法治政府建设情况的报告"  # the spaces closed, as listed
    assert {"kind": "title_agency", "count": 1, "examples": ["山西省应急管理厅"]} in result.summary["healed"]
    assert compose_document(result.snapshot).printed_title == "山西省应急管理厅关于2023年法治政府建设情况的报告"


def test_the_word_file_numbers_its_pages_outside_on_odd_and_even_pages(places):
    report = _report_from_sample(places, "2022-changzhi-emergency-management-bureau")
    document = docx.Document(io.BytesIO(report_docx(snapshot_of(report), is_draft=False)))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "—  —"
        assert paragraph._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None


def test_a_drafts_word_file_is_marked_as_a_draft_like_its_pdf(sx_draft):
    document = docx.Document(io.BytesIO(report_docx(snapshot_of(sx_draft), is_draft=True)))
    assert document.sections[0].header.paragraphs[0].text == "草稿"


def test_the_report_page_offers_the_word_file_to_those_who_may_read_the_report(client, places, sx_filer):
    report = _report_from_sample(places, "2023-shanxi-emergency-management-department")
    client.login(username=sx_filer.username, password=PASSWORD)
    response = client.get(f"/work/reports/{report.pk}/export.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "山西省应急管理厅关于 2023 年法治政府建设情况的报告"


def test_a_filer_of_another_agency_gets_no_word_file(client, places, cz_filer):
    report = _report_from_sample(places, "2023-shanxi-emergency-management-department")
    client.login(username=cz_filer.username, password=PASSWORD)
    assert client.get(f"/work/reports/{report.pk}/export.docx").status_code == 404


def test_a_word_file_imported_into_the_same_draft_gives_back_the_same_report(places, sx_filer):
    report = _report_from_sample(places, "2023-shanxi-emergency-management-department")
    before = snapshot_of(report)
    record = import_file(report=report, data=report_docx(before, is_draft=True), file_name="报告.docx", by=sx_filer)
    apply_import(record=record, by=sx_filer)
    report.refresh_from_db()
    assert snapshot_of(report) == before
