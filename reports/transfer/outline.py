"""Find a report's parts in its lines: the header, the chapters and their points, the closing.

The outline keeps every line as written; deciding what a chapter is about, and stripping the
numbers the portal prints itself, is `placing`'s job.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from reports.transfer.closing import split_closing
from reports.transfer.headings import HEADING_MAX, is_bare, numbering, split_chapter_heading, split_point_heading
from reports.transfer.healing import join_cuts
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line, compact, ends_sentence

_TITLE_END = re.compile(r"报告(?:[（(][^（）()]{0,16}[）)])?[》」』”]?$")
_TITLE_MAX = 80
_TITLE_SEARCH = 40
_AGENCY_MAX = 40
_ADDRESSEE_MAX = 40
_PROSE = re.compile(r"[。，；：,;:]")


@dataclass(frozen=True)
class Heading:
    rank: int
    label: str
    rest: str


@dataclass
class Point:
    line: str
    label: str
    heading: str
    first: str
    more: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return ([self.first] if self.first else []) + self.more


@dataclass
class Chapter:
    line: str
    label: str
    heading: str
    intro: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    @property
    def written(self) -> list[str]:
        """The chapter's paragraphs as written, the points' numbers and headings included."""
        return self.intro + [text for point in self.points for text in (point.line, *point.more)]


@dataclass
class Outline:
    agency: str = ""
    title: str = ""
    addressee: str = ""
    preface: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    signature: str = ""
    signed_on: datetime.date | None = None
    public_note: str = ""
    attachments: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def heading_of(line: Line) -> Heading | None:
    number = numbering(line.text)
    if line.style:
        return Heading(line.style, number.label if number else "", number.rest if number else line.text)
    return Heading(number.rank, number.label, number.rest) if number else None


def _is_chapter(heading: Heading | None, rank: int | None) -> bool:
    if heading is None or heading.rank != rank:
        return False
    head, _ = split_chapter_heading(heading.rest)
    return len(head) <= HEADING_MAX if rank == 1 else is_bare(heading.rest)


def _chapter_rank(lines: list[Line]) -> int | None:
    """Chapters are the 一、 headings; a report without any is divided by its bare （一） headings."""
    headings = [heading_of(line) for line in lines]
    for rank in (1, 2):
        if any(_is_chapter(h, rank) for h in headings):
            return rank
    return None


def _is_title(text: str) -> bool:
    line = compact(text)
    return len(line) <= _TITLE_MAX and "。" not in line and bool(_TITLE_END.search(line))


def _title_pair(before: str, text: str) -> bool:
    """A title set on two lines: 关于2023年度法治政府 / 建设情况的报告."""
    line = compact(before)
    return len(line) <= _TITLE_MAX and not _PROSE.search(line) and "关于" in line and "关于" not in text


def find_title(lines: list[Line], limit: int) -> tuple[int, int] | None:
    """The first and last index of the title among lines[:limit]."""
    styled = [i for i in range(limit) if lines[i].style == 0]
    if styled:
        end = styled[0]
        while end + 1 < limit and lines[end + 1].style == 0:
            end += 1
        return styled[0], end
    for i in range(limit):
        text = lines[i].text
        if _is_title(text):
            return (i - 1, i) if i > 0 and _title_pair(lines[i - 1].text, text) else (i, i)
        if i + 1 < limit and _is_title(lines[i + 1].text) and _title_pair(text, lines[i + 1].text):
            return i, i + 1
    for i in range(limit):
        line = compact(lines[i].text)
        if "法治" in line and len(line) <= HEADING_MAX and not _PROSE.search(line) and not ends_sentence(line):
            return i, i
    return None


def _is_agency(text: str) -> bool:
    line = compact(text)
    return len(line) <= _AGENCY_MAX and not _PROSE.search(line) and not re.search(r"\d", line)


def _read_header(lines: list[Line], outline: Outline) -> int:
    """Fill the agency, title and addressee; returns where the preface starts."""
    limit = next((i for i, line in enumerate(lines) if _is_chapter(heading_of(line), 1)), len(lines))
    found = find_title(lines, min(limit, _TITLE_SEARCH))
    if found is None:
        # No title: the text may still open with its addressee (省人民政府：).
        if lines and _is_addressee(lines[0].text):
            outline.addressee = lines[0].text
            return 1
        return 0
    first, last = found
    outline.title = "".join(line.text for line in lines[first : last + 1])
    before = [line.text for line in lines[:first]]
    if before and _is_agency(before[-1]) and numbering(before[-1]) is None:
        outline.agency = before.pop()
    outline.unplaced += before
    start = last + 1
    if start < len(lines) and _is_addressee(lines[start].text):
        outline.addressee = lines[start].text
        start += 1
    return start


def _is_addressee(text: str) -> bool:
    line = compact(text)
    return (
        len(line) <= _ADDRESSEE_MAX
        and line.endswith(("：", ":"))
        and not re.search(r"[。；;]", line)
        and numbering(text) is None
    )


def _chapters(body: list[Line], outline: Outline) -> None:
    rank = _chapter_rank(body)
    # Points are found once a chapter is read whole: which rank they have depends on all its lines.
    chapter_lines: list[list[Line]] = []
    for line in body:
        heading = heading_of(line)
        if _is_chapter(heading, rank):
            head, run_on = split_chapter_heading(heading.rest)
            outline.chapters.append(Chapter(line.text, heading.label, head, intro=[run_on] if run_on else []))
            chapter_lines.append([])
        elif chapter_lines:
            chapter_lines[-1].append(line)
        else:
            outline.preface.append(line.text)
    for chapter, lines in zip(outline.chapters, chapter_lines, strict=True):
        _find_points(chapter, lines, rank)


def _find_points(chapter: Chapter, lines: list[Line], chapter_rank: int | None) -> None:
    headings = [heading_of(line) for line in lines]
    deeper = [h.rank for h in headings if h and chapter_rank is not None and h.rank > chapter_rank]
    point_rank = min(deeper, default=None)
    for line, heading in zip(lines, headings, strict=True):
        if heading and heading.rank == point_rank:
            head, first = split_point_heading(heading.rest)
            chapter.points.append(Point(line.text, heading.label, head, first))
        elif chapter.points:
            chapter.points[-1].more.append(line.text)
        else:
            chapter.intro.append(line.text)


def outline_of(lines: list[Line], *, agency_name: str, ledger: Ledger) -> Outline:
    outline = Outline()
    start = _read_header(lines, outline)
    end, closing = split_closing(lines, start, agency_name=agency_name, ledger=ledger)
    outline.signature, outline.signed_on = closing.signature, closing.signed_on
    outline.public_note, outline.attachments = closing.public_note, closing.attachments
    _chapters(join_cuts(lines[start:end], ledger), outline)
    outline.unplaced += closing.unplaced
    return outline
