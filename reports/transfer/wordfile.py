"""Read a .docx: its paragraphs' text in reading order, their heading levels, and the portal's seal.

The text is read from the XML itself rather than through python-docx's paragraphs, which skip
tables, content controls, tracked insertions and text boxes: text a filer would miss.
"""

from __future__ import annotations

import copy
import io
import logging
import re
import zipfile
import zlib

import docx
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml
from lxml import etree

from reports.transfer.errors import TransferError
from reports.transfer.healing import strip_invisible
from reports.transfer.ledger import Ledger
from reports.transfer.seal import NAMESPACE
from reports.transfer.text import Line

logger = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_MEMBERS = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
# How much of a member is inflated at a time while checking its size.
_PIECE = 1024 * 1024

_HEADING_NAME = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
# Deleted text, moved-away text, field codes and the fallback copy of a text box are not read.
_SKIPPED = {f"{{{W}}}{tag}" for tag in ("del", "moveFrom", "delText", "instrText", "pPr", "rPr")} | {MC_FALLBACK}
_TEXT = {f"{{{W}}}t": None, f"{{{W}}}tab": "\t", f"{{{W}}}ptab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n"}
_TEXT[f"{{{W}}}noBreakHyphen"] = "-"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def check_directory(data: bytes) -> zipfile.ZipFile:
    """The archive, if its directory is that of a Word file within the limits it declares (quick: nothing is
    inflated; the upload is refused at once when it fails)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TransferError(_("这不是有效的 Word（.docx）文件，无法打开。")) from None
    declared = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or declared > MAX_UNPACKED or (ratio > MAX_RATIO and declared > 1024 * 1024):
        raise TransferError(_("这个 Word 文件解压后异常庞大，可能已损坏或被篡改，不能导入。"))
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in members):
        raise TransferError(_("这不是有效的 Word（.docx）文件，无法打开。"))
    return archive


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb before python-docx unpacks anything. The sizes an archive declares may lie (zipfile reads
    a whole member in one go, inflating all there is before it cuts the result to the declared size), so each
    member is inflated here a piece at a time, counting what really comes out: more than declared, or more than
    MAX_UNPACKED in all, and the file is refused having cost no more memory than a piece."""
    archive = check_directory(data)
    budget = MAX_UNPACKED
    for member in archive.infolist():
        budget -= _inflated_size(archive, member, budget)


def _inflated_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> int:
    """What the member really inflates to; refused past its declared size or the budget."""
    limit = min(member.file_size, budget)
    unbounded = copy.copy(member)
    # So that zipfile itself does not stop at the declared size (and check its CRC there): past it the lie shows.
    unbounded.file_size = budget + 1
    size = 0
    try:
        with archive.open(unbounded) as stream:
            while piece := stream.read(_PIECE):
                size += len(piece)
                if size > limit:
                    raise TransferError(_("这个 Word 文件解压后异常庞大，可能已损坏或被篡改，不能导入。"))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
        raise TransferError(_("这不是有效的 Word（.docx）文件，无法打开。")) from None
    if size != member.file_size:
        raise TransferError(_("这不是有效的 Word（.docx）文件，无法打开。"))
    return size


def _style_levels(document) -> dict[str, int]:
    """Style id → 0 for the title style, 1, 2… for heading levels (by name, outline level or base style)."""
    styles = {s.get(w("styleId")): s for s in document.styles.element.findall(w("style"))}
    levels: dict[str, int] = {}

    def level(style_id: str | None, depth: int = 0) -> int | None:
        style = styles.get(style_id)
        if style is None or depth > 10:
            return None
        name = (style.find(w("name")).get(w("val")) if style.find(w("name")) is not None else "").strip()
        if name.lower() in _TITLE_NAMES:
            return 0
        if match := _HEADING_NAME.fullmatch(name):
            return int(match.group(1))
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        if outline is not None and (value := outline.get(w("val"), "")).isdigit() and int(value) < 9:
            return int(value) + 1
        based_on = style.find(w("basedOn"))
        return level(based_on.get(w("val")), depth + 1) if based_on is not None else None

    for style_id in styles:
        if (found := level(style_id)) is not None:
            levels[style_id] = found
    return levels


def _paragraph(p, levels: dict[str, int]) -> tuple[str, int | None, list]:
    parts: list[str] = []
    boxes: list = []

    def walk(element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _SKIPPED:
                continue
            if child.tag in _TEXT:
                replacement = _TEXT[child.tag]
                parts.append((child.text or "") if replacement is None else replacement)
            elif child.tag == w("txbxContent"):
                boxes.append(child)
            else:
                walk(child)

    walk(p)
    outline = p.find(f"{w('pPr')}/{w('outlineLvl')}")
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    if outline is not None and (value := outline.get(w("val"), "")).isdigit():
        level = int(value) + 1 if int(value) < 9 else None
    else:
        level = levels.get(style.get(w("val"))) if style is not None else None
    return "".join(parts), level, boxes


def _blocks(container, levels: dict[str, int], out: list[Line]) -> None:
    for child in container:
        if child.tag == w("p"):
            text, level, boxes = _paragraph(child, levels)
            out.extend(Line(piece, level) for piece in text.splitlines() or [""])
            for box in boxes:
                _blocks(box, levels, out)
        elif child.tag == w("tbl"):
            # A table row reads as one line, its cells apart by tabs (which healing leaves alone).
            for row in child.findall(w("tr")):
                cells = []
                for cell in row.findall(w("tc")):
                    inside: list[Line] = []
                    _blocks(cell, levels, inside)
                    cells.append(" ".join(line.text for line in inside if line.text.strip()))
                out.append(Line("\t".join(cells)))
        elif isinstance(child.tag, str) and child.tag not in _SKIPPED and child.tag != w("sectPr"):
            _blocks(child, levels, out)


def _sealed(document) -> str | None:
    for rel in document.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        if root.tag == f"{{{NAMESPACE}}}report":
            return (root.text or "").strip()
    return None


# The parts of a Word file besides its body. Their text is not the report's, so it is listed as not imported.
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_OTHER_PARTS = {
    f"{_CT}footnotes+xml": _("脚注"),
    f"{_CT}endnotes+xml": _("尾注"),
    f"{_CT}header+xml": _("页眉"),
    f"{_CT}footer+xml": _("页脚"),
    f"{_CT}comments+xml": _("批注"),
}
_PAGE_NUMBER = re.compile(r"[-—–\s]*(?:第?\s*\d{1,4}\s*页)?[\d\s]*[-—–\s]*")


def _other_parts(document, levels: dict[str, int], ledger: Ledger) -> None:
    """List the text of footnotes, endnotes, headers, footers and comments (text boxes in them included) as not
    imported, each with its text; a footer holding only a page number is nothing to list."""
    for part in document.part.package.iter_parts():
        label = _OTHER_PARTS.get(part.content_type)
        if label is None:
            continue
        root = parse_xml(part.blob)
        for note in list(root) if root.tag != w("hdr") and root.tag != w("ftr") else [root]:
            lines: list[Line] = []
            _blocks(note, levels, lines)
            text = "\n".join(line.text.strip() for line in lines if line.text.strip())
            if text and not _PAGE_NUMBER.fullmatch(text):
                ledger.leave_out(str(label), strip_invisible(text, ledger))


def read_word(data: bytes, ledger: Ledger) -> tuple[list[Line], str | None]:
    """The lines of a .docx and the seal it carries, if the portal made it; what its other parts hold is listed in
    the ledger as not imported."""
    _check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[Line] = []
        levels = _style_levels(document)
        _blocks(document.element.body, levels, lines)
        _other_parts(document, levels, ledger)
        sealed = _sealed(document)
    except TransferError:
        raise
    except (
        KeyError,
        ValueError,
        AttributeError,
        TypeError,
        zipfile.BadZipFile,
        etree.LxmlError,
        PackageNotFoundError,
    ) as error:
        # The file came from anywhere: whatever python-docx or lxml cannot make sense of is not a Word file for us.
        logger.info("unreadable .docx: %r", error)
        raise TransferError(_("这不是有效的 Word（.docx）文件，无法读取其中的内容。")) from None
    return [Line(strip_invisible(line.text, ledger), line.style) for line in lines], sealed
