"""Read a report's file into the portal's structure: the snapshot to load, the unplaced text, a summary.

Nothing here writes to the database; `services` loads the result in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.filing.cleaning import without_colon
from reports.filing.document import compose_document, section_blocks
from reports.filing.sections import get_section_type
from reports.transfer.closing import year_number
from reports.transfer.files import Source, read_source
from reports.transfer.healing import clean_lines, title_without_agency
from reports.transfer.ledger import Ledger
from reports.transfer.outline import Outline, outline_of
from reports.transfer.placing import Placement, place
from reports.transfer.seal import Sealed, unseal
from reports.transfer.text import compact, folded, visible_length
from reports.transfer.webpage import PageMetadata, read_page_metadata

_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})年")


@dataclass(frozen=True)
class Target:
    """What a file is read for: the report's agency, year, title and (key, heading) of its sections in order."""

    agency_name: str
    agency_code: str
    year: int
    title: str
    sections: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, report) -> Target:
        headings = {section.key: section.heading for section in report.sections.all()}
        sections = tuple((cs.key, headings.get(cs.key) or cs.heading) for cs in report.cycle_sections())
        return cls(report.agency.name, report.agency.code, report.cycle.year, report.title, sections)


@dataclass
class ImportResult:
    snapshot: dict[str, Any]
    unplaced: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


def read_report(data: bytes, *, file_name: str, target: Target, full_width: bool = True) -> ImportResult:
    ledger = Ledger()
    source = read_source(data, file_name=file_name, ledger=ledger)
    sealed = unseal(source.sealed) if source.sealed else None
    as_sealed = sealed is not None and _reads_as(sealed, source)
    if as_sealed:
        snapshot, unplaced = _from_seal(sealed.snapshot, target, ledger)
    else:
        if source.sealed:
            ledger.warn(_("此文件由平台导出后经过修改，已按其中的文字重新识别各部分。"))
        lines, page = read_page_metadata(source.lines, ledger)
        lines = clean_lines(lines, ledger, full_width=full_width)
        outline = outline_of(lines, agency_name=target.agency_name, ledger=ledger)
        _take_page_metadata(outline, page, target, ledger)
        placement = place(outline, sections=list(target.sections), ledger=ledger)
        snapshot, unplaced = _snapshot(outline, placement, target, ledger)
    _check_year(snapshot, target, ledger)
    return ImportResult(snapshot, unplaced, summarise(snapshot, unplaced, source, ledger, sealed=as_sealed))


def _take_page_metadata(outline: Outline, page: PageMetadata, target: Target, ledger: Ledger) -> None:
    """A web page's 标题 is the title where the text has none of its own; its 发布机构 must be the report's agency."""
    if page.title and not outline.title:
        outline.title = page.title
    if page.publisher and folded(page.publisher) != folded(target.agency_name):
        ledger.warn(
            _("网页信息栏中的发布机构“%(found)s”与报告所属机关“%(agency)s”不一致，请核对是否导入了其他机关的报告。")
            % {"found": page.publisher, "agency": target.agency_name}
        )


def _reads_as(sealed: Sealed, source: Source) -> bool:
    """Whether the document still reads exactly as the sealed snapshot composes (nobody edited it)."""
    try:
        for entry in sealed.snapshot["sections"]:
            get_section_type(entry["key"])
        composed = compose_document(sealed.snapshot, is_draft=sealed.is_draft).plain_text()
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return compact(composed) == compact("".join(line.text for line in source.lines))


def _from_seal(sealed: dict[str, Any], target: Target, ledger: Ledger) -> tuple[dict[str, Any], list[str]]:
    keys = {key for key, _heading in target.sections}
    kept = [entry for entry in sealed["sections"] if entry["key"] in keys]
    unplaced = [
        text
        for entry in sealed["sections"]
        if entry["key"] not in keys
        for block in section_blocks(entry)
        for text in (block.heading, *block.paragraphs)
        if text
    ]
    if folded(sealed.get("agency_name", "")) != folded(target.agency_name):
        ledger.warn(
            _("文件是“%(other)s”的报告，导入到“%(agency)s”的报告中。")
            % {"other": sealed.get("agency_name", ""), "agency": target.agency_name}
        )
    snapshot = sealed | {"agency_name": target.agency_name, "agency_code": target.agency_code, "sections": kept}
    return snapshot | {"year": target.year}, unplaced


def _snapshot(
    outline: Outline, placement: Placement, target: Target, ledger: Ledger
) -> tuple[dict[str, Any], list[str]]:
    preface, unplaced = outline.preface, [*outline.unplaced, *placement.unplaced]
    if not outline.chapters and len(preface) > 1:
        ledger.warn(_("文件中没有找到“一、”这样的部分标题，只有第一段作为导语导入，其余文字列入待处理内容。"))
        preface, unplaced = preface[:1], [*preface[1:], *unplaced]
    if not outline.title:
        ledger.warn(_("没有找到报告标题，沿用“%(title)s”。") % {"title": target.title})
    if outline.agency and folded(outline.agency) != folded(target.agency_name):
        ledger.note("agency", outline.agency)
        ledger.warn(
            _("文件中的机关名称“%(found)s”与报告所属机关“%(agency)s”不一致。")
            % {"found": outline.agency, "agency": target.agency_name}
        )
    # The rule the forms apply too: the colon (one or more) is the platform's.
    addressee = without_colon(outline.addressee)
    if outline.addressee.strip() != addressee:
        ledger.note("punctuation", outline.addressee.strip()[len(addressee) :])
    snapshot = {
        "agency_name": target.agency_name,
        "agency_code": target.agency_code,
        "year": target.year,
        "title": title_without_agency(outline.title, target.agency_name, ledger) if outline.title else target.title,
        "addressee": addressee,
        "preface": preface,
        "sections": placement.sections,
        "other_matters": placement.other_matters,
        "signature": outline.signature,
        "signed_on": outline.signed_on.isoformat() if outline.signed_on else None,
        "public_note": outline.public_note,
        "attachments": outline.attachments,
    }
    return snapshot, unplaced


def year_of(snapshot: dict[str, Any]) -> int | None:
    for text in (snapshot["title"], *snapshot["preface"][:1]):
        if match := _YEAR.search(folded(text)):
            return year_number(match.group(1))
    return None


def _check_year(snapshot: dict[str, Any], target: Target, ledger: Ledger) -> None:
    year = year_of(snapshot)
    if year is not None and year != target.year:
        message = _("文件写的是 %(found)s 年度，导入的是 %(year)s 年度的报告。")
        ledger.warn(message % {"found": year, "year": target.year})


def _characters(entry: dict[str, Any]) -> int:
    blocks = section_blocks(entry)
    return sum(visible_length(block.heading) + visible_length("".join(block.paragraphs)) for block in blocks)


def summarise(
    snapshot: dict[str, Any], unplaced: list[str], source: Source, ledger: Ledger, *, sealed: bool
) -> dict[str, Any]:
    sections = {
        entry["key"]: {
            "heading": entry["heading"],
            "folded": entry["folded"],
            "nothing_to_report": entry["nothing_to_report"],
            "points": (section_type := get_section_type(entry["key"])).item_count(entry["content"]),
            "indicators": len(section_type.indicators(entry["content"])) if section_type.indicators else 0,
            "characters": _characters(entry),
        }
        for entry in snapshot["sections"]
    }
    framing = [snapshot["title"], snapshot["addressee"], snapshot["signature"], snapshot["public_note"]]
    framing += [*snapshot["preface"], *snapshot["other_matters"], *snapshot["attachments"]]
    healed: dict[str, dict[str, Any]] = {}
    for entry in ledger.entries:
        group = healed.setdefault(entry.kind, {"kind": entry.kind, "count": 0, "examples": []})
        group["count"] += entry.count
        if entry.text and len(group["examples"]) < 5:
            group["examples"].append(entry.text)
    return {
        "file": {"kind": source.kind, "encoding": source.encoding, "sealed": sealed},
        "title": snapshot["title"],
        "year": year_of(snapshot),
        "addressee": snapshot["addressee"],
        "preface": len(snapshot["preface"]),
        "sections": sections,
        "other_matters": len(snapshot["other_matters"]),
        "signature": snapshot["signature"],
        "signed_on": snapshot["signed_on"],
        "public_note": snapshot["public_note"],
        "attachments": snapshot["attachments"],
        "indicators": sum(s["indicators"] for s in sections.values()),
        "placed_characters": sum(s["characters"] for s in sections.values()) + sum(map(visible_length, framing)),
        "unplaced_characters": sum(map(visible_length, unplaced)),
        "unplaced": unplaced,
        "healed": list(healed.values()),
        "removed": ledger.removed,
        "not_imported": [{"part": item.part, "text": item.text} for item in ledger.left_out],
        "warnings": ledger.warnings,
    }
