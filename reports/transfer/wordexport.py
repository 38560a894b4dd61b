"""The report as a Word file in the official layout, made from the same Document as the PDF.

GB/T 9704 as the PDF's stylesheet has it: A4, margins 37/35/28/26 mm (mirrored on even pages),
title 22 pt 小标宋, body 16 pt 仿宋 on exact 28.9 pt lines, 一、 headings in 黑体, （一） run in 楷体,
first lines indented two characters, page numbers — N — outside in the footer.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from reports.filing.document import Document, NumberedBlock, compose_document
from reports.transfer.seal import NAMESPACE, seal

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
CHAPTER_FONT = "黑体"
POINT_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)
LINE = Pt(28.9)
DOCUMENT_KIND = "法治政府建设年度报告"


def _fonts(element, name: str, size: Pt | None = None) -> None:
    """Name the font for every script: python-docx's font.name alone leaves Chinese text in the default."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        rpr.get_or_add_sz().val = size
        size_cs = rpr.find(qn("w:szCs"))
        if size_cs is None:
            size_cs = OxmlElement("w:szCs")
            rpr.find(qn("w:sz")).addnext(size_cs)
        size_cs.set(qn("w:val"), str(int(size.pt * 2)))


def _indent_chars(paragraph_format, *, first: int = 0, right: int = 0) -> None:
    """Indents in characters (w:firstLineChars), with the same length in points for other readers."""
    if first:
        paragraph_format.first_line_indent = Pt(16 * first)
    if right:
        paragraph_format.right_indent = Pt(16 * right)
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    if first:
        ind.set(qn("w:firstLineChars"), str(first * 100))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))


def _styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    _fonts(normal.element, BODY_FONT, BODY_SIZE)
    body = normal.paragraph_format
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.line_spacing_rule, body.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    body.space_before = body.space_after = Pt(0)
    body.widow_control = False
    _indent_chars(body, first=2)
    for name, font in (("Title", TITLE_FONT), ("Heading 1", CHAPTER_FONT)):
        style = styles[name]
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:b", "w:bCs", "w:color", "w:spacing", "w:kern"):
            for found in rpr.findall(qn(tag)):
                rpr.remove(found)
        ppr = style.element.get_or_add_pPr()
        for found in ppr.findall(qn("w:pBdr")):
            ppr.remove(found)
        _fonts(style.element, font, Pt(22) if name == "Title" else BODY_SIZE)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(0)
    title = styles["Title"].paragraph_format
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.line_spacing_rule, title.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(33)
    title.space_after = LINE
    title.first_line_indent = Pt(0)
    styles["Heading 1"].paragraph_format.keep_with_next = True


def _page(document, *, is_draft: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)
    settings = document.settings.element
    mirror = OxmlElement("w:mirrorMargins")
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None:
        zoom.addnext(mirror)
    else:
        settings.insert(0, mirror)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if is_draft:
        for header in (section.header, section.even_page_header):
            mark = header.paragraphs[0]
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = mark.add_run("草稿")
            _fonts(run._r, CHAPTER_FONT, Pt(14))
            run.font.color.rgb = RGBColor(0xC0, 0, 0)


def _page_number(paragraph: Paragraph, alignment) -> None:
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for run in paragraph._p.iter(qn("w:r")):
        _fonts(run, PAGE_NUMBER_FONT, Pt(14))


def _paragraph(document, text: str = "", *, font: str | None = None, indent: bool = True) -> Paragraph:
    paragraph = document.add_paragraph()
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    if text:
        run = paragraph.add_run(text)
        if font:
            _fonts(run._r, font)
    return paragraph


def _point(document, block: NumberedBlock) -> None:
    first, *rest = block.paragraphs or ("",)
    paragraph = document.add_paragraph()
    _fonts(paragraph.add_run(block.label + (f"{block.heading}。" if block.heading else ""))._r, POINT_FONT)
    if first:
        paragraph.add_run(first)
    for text in rest:
        _paragraph(document, text)


def _body(document, doc: Document) -> None:
    # As the PDF: the title names the agency (GB/T 9704 7.3.1).
    document.add_paragraph(doc.printed_title, style="Title")
    if doc.addressee:
        _paragraph(document, f"{doc.addressee}：", indent=False)
    for text in doc.preface:
        _paragraph(document, text)
    for block in doc.blocks:
        if block.kind == "chapter":
            document.add_paragraph(block.label + block.heading, style="Heading 1")
        elif block.kind == "point":
            _point(document, block)
        else:
            for text in block.paragraphs:
                _paragraph(document, text)
    _closing(document, doc)


def _closing(document, doc: Document) -> None:
    """As the PDF (GB/T 9704 7.3.4-7.3.6): the attachment note, the signature and date, then the note."""
    for i, title in enumerate(doc.attachments, 1):
        paragraph = _paragraph(document, ("附件：" if i == 1 else "") + f"{i}.{title}")
        # Later attachments line up under the first one's title, past the width of 附件：.
        _indent_chars(paragraph.paragraph_format, first=2 if i == 1 else 5)
        paragraph.paragraph_format.space_before = LINE if i == 1 else Pt(0)
    closing = [text for text in (doc.signature, doc.date_text) if text]
    for i, text in enumerate(closing):
        paragraph = _paragraph(document, text, indent=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _indent_chars(paragraph.paragraph_format, right=4)
        paragraph.paragraph_format.space_before = LINE if i == 0 else Pt(0)
    if doc.public_note:
        _paragraph(document, doc.public_note)


def _seal(document, snapshot: dict[str, Any], *, is_draft: bool) -> None:
    xml = f'<report xmlns="{NAMESPACE}">{escape(seal(snapshot, is_draft=is_draft))}</report>'
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = next(n for n in range(1, 1000) if f"/customXml/item{n}.xml" not in taken)
    part = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", xml.encode(), package)
    document.part.relate_to(part, RT.CUSTOM_XML)


def report_docx(snapshot: dict[str, Any], *, is_draft: bool) -> bytes:
    doc = compose_document(snapshot, is_draft=is_draft)
    document = docx.Document()
    _styles(document)
    _page(document, is_draft=is_draft)
    _body(document, doc)
    properties = document.core_properties
    properties.title, properties.author, properties.subject = doc.title, doc.agency_name, DOCUMENT_KIND
    properties.keywords, properties.language = ", ".join(doc.keywords), "zh-CN"
    properties.comments = "法治政府建设年度报告平台"
    _seal(document, snapshot, is_draft=is_draft)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
