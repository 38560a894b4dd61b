"""Compose a report snapshot into the printed document: numbered headings, in reading order.

The preview, the public page and the PDF all render the Document this module builds, so
they cannot disagree about the numbering or about which text is printed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.filing.punctuation import full_width_punctuation
from reports.filing.sections import Block, find_section_type, get_section_type, prints_anything

CHINESE_DIGITS = "零一二三四五六七八九"
# What the name of an issuing agency ends with, when a title names one before 关于 or the year.
_AGENCY_END = re.compile(
    r"(?:厅|局|委|委员会|办公室|办|政府|院|会|部|署|中心|处|站|所|队|区|县|市|省|州|盟|旗|乡|镇|街道|行|司)$"
)
_AGENCY_PART = re.compile(r"^(.*?)(?:关于|\s*(?:19|20)\d{2}\s*年)")


def names_an_agency(title: str, agency_name: str) -> bool:
    """Whether a title already says who issues it (山西省应急管理厅关于…, 静海区2023年度…)."""
    compact = re.sub(r"\s", "", title)
    if agency_name and re.sub(r"\s", "", agency_name) in compact:
        return True
    found = _AGENCY_PART.match(compact)
    return bool(found and found.group(1) and _AGENCY_END.search(found.group(1)))


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for headings)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[ones] if ones else "")


def chinese_date(value: datetime.date) -> str:
    """The date line of an official document: Arabic numerals, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class NumberedBlock:
    kind: str
    label: str
    heading: str
    paragraphs: tuple[str, ...]
    anchor: str = ""


@dataclass
class Document:
    agency_name: str
    title: str
    addressee: str
    preface: list[str]
    blocks: list[NumberedBlock]
    signature: str
    date_text: str
    public_note: str
    attachments: list[str]
    is_draft: bool = False
    keywords: list[str] = field(default_factory=list)

    @property
    def printed_title(self) -> str:
        """GB/T 9704 7.3.1: the title is the issuing agency, what it is about, and the kind of document
        (山西省应急管理厅关于2023年法治政府建设情况的报告); a title that names no agency is printed after its name."""
        if not self.agency_name or names_an_agency(self.title, self.agency_name):
            return self.title
        return self.agency_name + self.title

    @property
    def agency_in_title(self) -> str:
        """The part of the printed title that names the agency ("" if it names none): a title line never breaks
        inside it, and prefers to break after it."""
        title = self.printed_title
        if self.agency_name and title.startswith(self.agency_name):
            return self.agency_name
        found = _AGENCY_PART.match(title)
        return found.group(1) if found and _AGENCY_END.search(found.group(1) or "") else ""

    @property
    def title_lines(self) -> list[str]:
        """The title as one line; the PDF breaks it into balanced lines itself."""
        return [self.printed_title]

    @property
    def chapters(self) -> list[NumberedBlock]:
        return [b for b in self.blocks if b.kind == "chapter"]

    def plain_text(self) -> str:
        """The document's text in reading order, as a reader sees it (used to check nothing is lost)."""
        lines = [self.printed_title, f"{self.addressee}：" if self.addressee else "", *self.preface]
        for block in self.blocks:
            if block.kind == "chapter":
                lines.append(block.label + block.heading)
            elif block.kind == "point":
                first, *rest = block.paragraphs or ("",)
                lines.append(f"{block.label}{block.heading}。{first}" if block.heading else block.label + first)
                lines.extend(rest)
            else:
                lines.extend(block.paragraphs)
        # GB/T 9704 7.3.4-7.3.6: the attachment note, then the signature and date, then the note （此件公开发布）.
        lines += [("附件：" if i == 1 else "") + f"{i}.{title}" for i, title in enumerate(self.attachments, 1)]
        lines += [self.signature, self.date_text, self.public_note]
        return "\n".join(line for line in lines if line)


def section_blocks(entry: dict[str, Any]) -> list[Block]:
    """What a section prints. Whatever was written prints, even where "nothing to report" is ticked as well (the
    checks stop such a report until the filer chooses): the declaration prints only in place of nothing."""
    if prints_anything(entry):
        return get_section_type(entry["key"]).print_blocks(entry)
    if entry.get("nothing_to_report"):
        return [Block("chapter", heading=entry["heading"]), Block("paragraph", paragraphs=(_("本年度无此项情况。"),))]
    return []


def _fold(blocks: list[Block], folded: list[str]) -> list[Block]:
    """Put a folded section's paragraphs at the opening of the next chapter."""
    if not folded:
        return blocks
    for i, block in enumerate(blocks):
        if block.kind == "chapter":
            return [*blocks[: i + 1], Block("paragraph", paragraphs=tuple(folded)), *blocks[i + 1 :]]
    return [Block("paragraph", paragraphs=tuple(folded)), *blocks]


def _number(blocks: list[Block]) -> list[NumberedBlock]:
    numbered: list[NumberedBlock] = []
    chapter = point = 0
    for block in blocks:
        if block.kind == "chapter":
            chapter += 1
            point = 0
            label = f"{chinese_number(chapter)}、"
            numbered.append(NumberedBlock("chapter", label, block.heading, (), anchor=f"part-{chapter}"))
        elif block.kind == "point":
            point += 1
            label = f"（{chinese_number(point)}）"
            numbered.append(NumberedBlock("point", label, block.heading, block.paragraphs))
        else:
            # Items and subitems print the number typed at their start; plain paragraphs none.
            numbered.append(NumberedBlock(block.kind, "", "", block.paragraphs))
    return numbered


def compose_document(snapshot: dict[str, Any], *, is_draft: bool = False) -> Document:
    blocks: list[Block] = []
    folded: list[str] = []
    for entry in snapshot["sections"]:
        printed = section_blocks(entry)
        if entry.get("folded"):
            folded += [p for b in printed for p in b.paragraphs]
            continue
        if not printed:
            continue
        blocks += _fold(printed, folded)
        folded = []
    if snapshot.get("other_matters"):
        blocks += [
            Block("chapter", heading=_("其他需要报告的情况")),
            Block("paragraph", paragraphs=tuple(snapshot["other_matters"])),
        ]
    blocks += [Block("paragraph", paragraphs=tuple(folded))] if folded else []
    signed_on = snapshot.get("signed_on")
    return Document(
        agency_name=snapshot["agency_name"],
        title=snapshot["title"],
        addressee=snapshot.get("addressee", ""),
        preface=list(snapshot.get("preface", [])),
        blocks=_number(blocks),
        signature=snapshot.get("signature", ""),
        date_text=chinese_date(datetime.date.fromisoformat(signed_on)) if signed_on else "",
        # The note is a printed convention, always in full-width brackets: （此件公开发布）.
        public_note="" if is_draft else full_width_punctuation(snapshot.get("public_note", ""))[0],
        attachments=list(snapshot.get("attachments", [])),
        is_draft=is_draft,
        keywords=[_("法治政府建设"), _("年度报告"), str(snapshot.get("year", ""))],
    )


# The parts of a snapshot the printed report shows (compose_document), and of each section's entry.
PRINTED_KEYS = (
    "agency_name",
    "agency_code",
    "year",
    "title",
    "addressee",
    "preface",
    "sections",
    "other_matters",
    "signature",
    "signed_on",
    "public_note",
    "attachments",
)
PRINTED_SECTION_KEYS = ("key", "heading", "folded", "nothing_to_report", "text")


def public_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the public may read of a published snapshot, in its structure (the API's document): what the report
    prints (a section that prints nothing is left out), and each section's public content (SectionType.
    public_content: what it prints from its content and the figures it publishes). Facts kept for the reviewers,
    and anything a later portal adds, stay out."""
    sections = []
    for entry in snapshot.get("sections") or []:
        section_type = find_section_type(entry.get("key")) if isinstance(entry, dict) else None
        if section_type is None or not section_blocks(entry):
            continue
        content = entry.get("content") if isinstance(entry.get("content"), dict) else {}
        public = {name: entry[name] for name in PRINTED_SECTION_KEYS if name in entry}
        sections.append({**public, "content": section_type.public_content(content)})
    return {**{name: snapshot[name] for name in PRINTED_KEYS if name in snapshot}, "sections": sections}
