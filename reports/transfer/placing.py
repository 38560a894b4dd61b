"""Place an outline's chapters into the report's sections by meaning, in the snapshot's format.

What each section makes of a chapter is the section's own business (its `importing` hooks in the registry);
here is what is common: which section a chapter goes to, what happens to the numbers the portal prints itself,
what cannot be placed, and the ledger of all of it. Reading order is kept: whatever would print somewhere else
than the file has it goes to the unplaced text instead, with a warning that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.filing.sections import ImportedChapter, ImportedPoint, get_section_type
from reports.transfer.headings import numbering
from reports.transfer.ledger import Ledger
from reports.transfer.meaning import NOTHING_TO_REPORT, OTHER, THEME, meaning_of, theme_receiver
from reports.transfer.outline import Chapter, Outline
from reports.transfer.text import compact

OTHER_HEADING = "其他需要报告的情况"
_ITEM_MARKER = re.compile(
    r"(?:^|(?<=[。；;：:]))\s*(?:第([一二三四五六七八九十]{1,3})[，,、：:]|([一二三四五六七八九十]{1,3})是)"
)
_CN = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


@dataclass
class Placement:
    sections: list[dict[str, Any]]
    other_matters: list[str]
    unplaced: list[str] = field(default_factory=list)


def new_entry(key: str, heading: str, *, text: list[str] | None = None, content: dict | None = None) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "folded": False,
        "nothing_to_report": False,
        "text": list(text or []),
        "content": content if content is not None else get_section_type(key).empty_content(),
    }


def _small_number(text: str) -> int:
    tens, ten, ones = text.rpartition("十")
    if not ten:
        return _CN.get(text, 0)
    return (_CN.get(tens, 0) if tens else 1) * 10 + _CN.get(ones, 0)


def split_items(paragraph: str) -> tuple[str, list[str]]:
    """…主要体现在以下三方面：一是…。二是…。 → the opening, and one item per 一是/第一，in order."""
    cuts, expected = [], 1
    for match in _ITEM_MARKER.finditer(paragraph):
        if _small_number(match.group(1) or match.group(2)) == expected:
            cuts.append(match.start())
            expected += 1
    if len(cuts) < 2:
        return paragraph, []
    items = [paragraph[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(paragraph)], strict=True)]
    return paragraph[: cuts[0]].strip(), items


def enumeration_of(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The paragraphs read as an enumeration: the opening text, then the items, numbered paragraphs and
    一是…二是… alike."""
    text: list[str] = []
    items: list[str] = []
    for paragraph in paragraphs:
        head, inline = split_items(paragraph)
        if items or numbering(paragraph):
            items += [head] if head else []
        elif head:
            text.append(head)
        items += inline
    return text, items


def imported(chapter: Chapter) -> ImportedChapter:
    """The outline's chapter in the registry's words, for a section to place."""
    opening, items = enumeration_of(chapter.written)
    return ImportedChapter(
        heading=chapter.heading,
        intro=chapter.intro,
        points=[ImportedPoint(point.heading, point.paragraphs) for point in chapter.points],
        written=chapter.written,
        opening=opening,
        items=items,
    )


class _Placer:
    def __init__(self, sections: list[tuple[str, str]], ledger: Ledger) -> None:
        self.order = [key for key, _heading in sections]
        self.headings = dict(sections)
        self.ledger = ledger
        self.entries: dict[str, dict[str, Any]] = {}
        self.other: list[str] | None = None
        self.unplaced: list[str] = []
        receiver = theme_receiver()
        self.themes_to = receiver if receiver in self.headings else None

    def place(self, chapter: Chapter) -> None:
        key = meaning_of(chapter.heading)
        themed = key == THEME
        if themed:
            key = self.themes_to or THEME
        importing = get_section_type(key).importing if key in self.headings else None
        merge = importing.merge if importing else None
        if merge:
            self._unlabel(chapter, points=True)
            entry = self.entries.setdefault(key, new_entry(key, self.headings[key]))
            self._unplace(chapter.heading, merge(entry, imported(chapter), themed))
        elif key == OTHER and self.other is None:
            self._unlabel(chapter)
            if not chapter.written:
                self.ledger.note("empty_heading", chapter.heading)
            elif compact(chapter.heading) != OTHER_HEADING:
                self.ledger.note("heading", chapter.heading)
            self.other = chapter.written
        elif key in self.headings and key not in self.entries:
            self.entries[key] = self._section(key, chapter)
        else:
            self.unplaced += [chapter.line, *chapter.written]
            self.ledger.warn(
                _("“%(heading)s”无法确定应放入报告的哪一部分，已列入待处理内容。") % {"heading": chapter.heading}
            )

    def _unlabel(self, chapter: Chapter, *, points: bool = False) -> None:
        """The portal numbers chapters and points itself: the file's numbers are taken off, and listed."""
        for part in (chapter, *(chapter.points if points else ())):
            if part.label:
                self.ledger.note("numbering", part.label)

    def _section(self, key: str, chapter: Chapter) -> dict[str, Any]:
        entry = new_entry(key, chapter.heading)
        if compact("".join(chapter.written)) == NOTHING_TO_REPORT:
            self._unlabel(chapter)
            entry["nothing_to_report"] = True
            return entry
        placed = get_section_type(key).importing.place(imported(chapter))
        self._unlabel(chapter, points=placed.kept_points)
        self._unplace(chapter.heading, placed.unplaced)
        entry["text"], entry["content"] = placed.text, placed.content
        return entry

    def _unplace(self, heading: str, paragraphs: list[str]) -> None:
        if not paragraphs:
            return
        self.unplaced += paragraphs
        self.ledger.warn(
            _("“%(heading)s”开头、第一个要点之前的文字在平台的格式中没有对应位置，已列入待处理内容。")
            % {"heading": heading}
        )

    def finish(self) -> None:
        for key, entry in self.entries.items():
            finish = get_section_type(key).importing.finish
            if finish:
                self._unplace(entry["heading"], finish(entry))
        for key in self.order:
            self._find_folded(key)

    def _find_folded(self, key: str) -> None:
        """A section the file did not give a chapter of its own may open the next chapter it did (尽管…还有差距。)."""
        importing = get_section_type(key).importing
        if not importing or not importing.folded or key in self.entries:
            return
        later = [k for k in self.order[self.order.index(key) + 1 :] if k in self.entries]
        host = self.entries[later[0]] if later else None
        if not host or not host["text"]:
            return
        found = importing.folded(host["text"][0])
        if found is None:
            return
        content, rest = found
        host["text"] = ([rest] if rest else []) + host["text"][1:]
        self.entries[key] = new_entry(key, "", content=content) | {"folded": True}


def place(outline: Outline, *, sections: list[tuple[str, str]], ledger: Ledger) -> Placement:
    """`sections` are the report's (key, heading) pairs in the cycle's order."""
    placer = _Placer(sections, ledger)
    for chapter in outline.chapters:
        placer.place(chapter)
    placer.finish()
    ordered = [placer.entries[key] for key in placer.order if key in placer.entries]
    return Placement(ordered, placer.other or [], placer.unplaced)
