"""Place an outline's chapters into the report's sections by meaning, in the snapshot's format.

Reading order is kept: whatever would print somewhere else than the file has it goes to the
unplaced text instead, with a warning that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.transfer.figures import figures_in
from reports.transfer.headings import numbering
from reports.transfer.ledger import Ledger
from reports.transfer.meaning import NOTHING_TO_REPORT, OTHER, SHORTFALL, THEME, meaning_of
from reports.transfer.outline import Chapter, Outline, Point
from reports.transfer.text import compact

OTHER_HEADING = "其他需要报告的情况"
_CONTENT_LISTS = {"measures": "chapters", "shortcomings": "items", "plans": "points"}
_ITEM_MARKER = re.compile(
    r"(?:^|(?<=[。；;：:]))\s*(?:第([一二三四五六七八九十]{1,3})[，,、：:]|([一二三四五六七八九十]{1,3})是)"
)
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+")
_CN = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


@dataclass
class Placement:
    sections: list[dict[str, Any]]
    other_matters: list[str]
    unplaced: list[str] = field(default_factory=list)


def _entry(key: str, heading: str, *, text: list[str] | None = None, content: dict | None = None) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "folded": False,
        "nothing_to_report": False,
        "text": list(text or []),
        "content": content if content is not None else ({_CONTENT_LISTS[key]: []} if key in _CONTENT_LISTS else {}),
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


def shortcomings_of(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The opening text, then the shortcomings: numbered paragraphs and 一是…二是… alike."""
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


def sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


class _Placer:
    def __init__(self, sections: list[tuple[str, str]], ledger: Ledger) -> None:
        self.order = [key for key, _heading in sections]
        self.headings = dict(sections)
        self.ledger = ledger
        self.entries: dict[str, dict[str, Any]] = {}
        self.other: list[str] | None = None
        self.unplaced: list[str] = []

    def place(self, chapter: Chapter) -> None:
        key = meaning_of(chapter.heading)
        if key in ("measures", THEME) and "measures" in self.headings:
            self._measures(chapter, themed=key == THEME)
        elif key == OTHER and self.other is None:
            self._unlabel(chapter)
            if not chapter.written:
                self.ledger.note("empty_heading", chapter.heading)
            elif compact(chapter.heading) != OTHER_HEADING:
                self.ledger.note("heading", chapter.heading)
            self.other = chapter.written
        elif key in self.headings and key not in self.entries:
            self._unlabel(chapter)
            self.entries[key] = self._section(key, chapter)
        else:
            self.unplaced += [chapter.line, *chapter.written]
            self.ledger.warn(
                _("“%(heading)s”无法确定应放入报告的哪一部分，已列入待处理内容。") % {"heading": chapter.heading}
            )

    def _unlabel(self, chapter: Chapter | Point) -> None:
        if chapter.label:
            self.ledger.note("numbering", chapter.label)

    def _point(self, point: Point, *, with_figures: bool) -> dict[str, Any]:
        self._unlabel(point)
        placed = {"heading": point.heading, "paragraphs": point.paragraphs}
        return placed | ({"indicators": figures_in(point.paragraphs)} if with_figures else {})

    def _section(self, key: str, chapter: Chapter) -> dict[str, Any]:
        entry = _entry(key, chapter.heading)
        if compact("".join(chapter.written)) == NOTHING_TO_REPORT:
            entry["nothing_to_report"] = True
        elif key == "shortcomings":
            entry["text"], items = shortcomings_of(chapter.written)
            entry["content"]["items"] = [{"shortcoming": item, "cause": ""} for item in items]
        elif key == "plans":
            entry["text"] = chapter.intro
            entry["content"]["points"] = [self._point(p, with_figures=False) for p in chapter.points]
        else:
            entry["text"] = chapter.written
        return entry

    def _measures(self, chapter: Chapter, *, themed: bool) -> None:
        entry = self.entries.setdefault("measures", _entry("measures", self.headings["measures"]))
        chapters = entry["content"]["chapters"]
        self._unlabel(chapter)
        points = [self._point(p, with_figures=True) for p in chapter.points]
        if not themed and not chapters and not entry["text"]:
            entry["heading"], entry["text"] = chapter.heading, chapter.intro
            chapters += [{"heading": "", "points": points}] if points else []
            return
        if chapter.intro and not points:
            # A themed chapter written as plain paragraphs: one point without a heading keeps them.
            points = [{"heading": "", "paragraphs": chapter.intro, "indicators": figures_in(chapter.intro)}]
        elif chapter.intro:
            self._unplace_intro(chapter.heading, chapter.intro)
        chapters.append({"heading": chapter.heading, "points": points})

    def _unplace_intro(self, heading: str, paragraphs: list[str]) -> None:
        # A themed chapter has no place for text before its first point.
        self.unplaced += paragraphs
        self.ledger.warn(
            _("“%(heading)s”开头、第一个要点之前的文字在平台的格式中没有对应位置，已列入待处理内容。")
            % {"heading": heading}
        )

    def finish(self) -> None:
        measures = self.entries.get("measures")
        if measures and len(measures["content"]["chapters"]) > 1:
            for chapter in measures["content"]["chapters"]:
                chapter["heading"] = chapter["heading"] or measures["heading"]
            if measures["text"]:
                self._unplace_intro(measures["heading"], measures["text"])
                measures["text"] = []
        self._fold_shortcomings()

    def _fold_shortcomings(self) -> None:
        """尽管…还有不小差距。 opening a later chapter is the shortcomings section, folded into it."""
        if "shortcomings" not in self.headings or "shortcomings" in self.entries:
            return
        later = [k for k in self.order[self.order.index("shortcomings") + 1 :] if k in self.entries]
        host = self.entries[later[0]] if later else None
        if not host or not host["text"]:
            return
        parts = sentences(host["text"][0])
        owned = []
        for sentence in parts:
            if not SHORTFALL.search(sentence):
                break
            owned.append(sentence.strip())
        if not owned:
            return
        rest = "".join(parts[len(owned) :]).strip()
        host["text"] = ([rest] if rest else []) + host["text"][1:]
        entry = _entry("shortcomings", "", content={"items": [{"shortcoming": s, "cause": ""} for s in owned]})
        self.entries["shortcomings"] = entry | {"folded": True}


def place(outline: Outline, *, sections: list[tuple[str, str]], ledger: Ledger) -> Placement:
    """`sections` are the report's (key, heading) pairs in the cycle's order."""
    placer = _Placer(sections, ledger)
    for chapter in outline.chapters:
        placer.place(chapter)
    placer.finish()
    ordered = [placer.entries[key] for key in placer.order if key in placer.entries]
    return Placement(ordered, placer.other or [], placer.unplaced)
