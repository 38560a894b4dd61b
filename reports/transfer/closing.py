"""The end of a report: attachments, the signature, the date, the note （此件公开发布）.

They are found from the last line upwards, and only at the very end, so that a numbered point
of the last chapter is never taken for an attachment.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from reports.filing.cleaning import attachment_name
from reports.filing.document import chinese_date
from reports.transfer.headings import numbering
from reports.transfer.healing import drop_file_extension
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line, compact, ends_sentence, folded

_NOTE = re.compile(r"[(（]?此件[^()（）]{1,10}[)）]?")
_NOTE_MAX = 20
_NUMBERED = re.compile(r"[0-9０-９]{1,2}\s*[.．、]\s*(?=\S)")
_LINE_MAX = 100
_SIGNATURE_MAX = 40
_AGENCY_SUFFIX = re.compile(r"(?:厅|局|委|委员会|办公室|办|政府|院|会|部|署|中心)$")

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGIT |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇零○O一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_DATE = re.compile(rf"(\d{{4}}|{_CN_YEAR})年(\d{{1,2}}|{_CN_SMALL})月(\d{{1,2}}|{_CN_SMALL})日")


@dataclass
class Closing:
    signature: str = ""
    signed_on: datetime.date | None = None
    public_note: str = ""
    attachments: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def _small_number(text: str) -> int:
    """十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31; Arabic digits as they are."""
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.rpartition("十")
    if not ten:
        return _CN_DIGIT[text]
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def year_number(text: str) -> int:
    """2023 or 二〇二三 → 2023."""
    return int(text) if text.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in text))


def parse_date(text: str) -> datetime.date | None:
    match = _DATE.fullmatch(folded(text))
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return datetime.date(year_number(year), _small_number(month), _small_number(day))
    except (KeyError, ValueError):
        return None


def _kind(text: str) -> str | None:
    line = folded(text)
    if len(line) <= _NOTE_MAX and _NOTE.fullmatch(line):
        return "note"
    if parse_date(text):
        return "date"
    if len(line) <= _LINE_MAX and line.startswith("附件"):
        return "attachment"
    if len(line) <= _LINE_MAX and _NUMBERED.match(text):
        return "numbered"
    return None


def _is_signature(text: str, *, agency_name: str, has_date: bool) -> bool:
    line = compact(text)
    if len(line) > _SIGNATURE_MAX or ends_sentence(line) or re.search(r"[。，；：,;:]", line) or numbering(text):
        return False
    return has_date or folded(agency_name) in folded(line) or bool(_AGENCY_SUFFIX.search(line))


def _attachment(text: str, ledger: Ledger) -> str:
    """The attachment's name, by the rule the forms apply too: 附件： and the numbers are the platform's."""
    line = text.strip()
    name = attachment_name(line)
    removed = line[: len(line) - len(name)] if line.endswith(name) else line
    if removed.strip():
        ledger.note("numbering", removed.strip())
    return name


def _trailing_block(lines: list[Line], start: int) -> tuple[int, list[tuple[str, str]]]:
    """The run of closing lines at the end, from its first note, date or attachment line."""
    index, block = len(lines), []
    while index > start and (kind := _kind(lines[index - 1].text)) and lines[index - 1].style is None:
        block.insert(0, (kind, lines[index - 1].text))
        index -= 1
    while block and block[0][0] == "numbered":
        block.pop(0)
        index += 1
    return index, block


def _attachments_before(lines: list[Line], start: int, end: int) -> int:
    """Where a block 附件：1.… 2.… standing before the signature begins (or `end` if there is none)."""
    index = end
    while index > start and _kind(lines[index - 1].text) == "numbered":
        index -= 1
    if index > start and _kind(lines[index - 1].text) == "attachment":
        return index - 1
    return end


def split_closing(lines: list[Line], start: int, *, agency_name: str, ledger: Ledger) -> tuple[int, Closing]:
    """Where the closing begins among lines[start:], and what it holds."""
    end, block = _trailing_block(lines, start)
    closing = Closing()
    has_date = any(kind == "date" for kind, _ in block)
    if block:
        signature_lines = []
        while (
            end > start
            and len(signature_lines) < 2
            and _is_signature(lines[end - 1].text, agency_name=agency_name, has_date=has_date)
            and lines[end - 1].style is None
        ):
            signature_lines.insert(0, lines[end - 1].text)
            end -= 1
        closing.signature = " ".join(signature_lines)
        before = _attachments_before(lines, start, end)
        block = [(_kind(line.text) or "", line.text) for line in lines[before:end]] + block
        end = before
    for kind, text in block:
        _take(closing, kind, text, ledger)
    return end, closing


def _take(closing: Closing, kind: str, text: str, ledger: Ledger) -> None:
    if kind == "note" and not closing.public_note:
        closing.public_note = text
    elif kind == "date" and not closing.signed_on:
        closing.signed_on = parse_date(text)
        if compact(text) != chinese_date(closing.signed_on):
            ledger.note("date", text)
    elif kind == "attachment":
        title = drop_file_extension(_attachment(text, ledger), ledger)
        closing.attachments += [title] if title else []
    elif kind == "numbered":
        closing.attachments.append(drop_file_extension(_attachment(text, ledger), ledger))
    else:
        closing.unplaced.append(text)
