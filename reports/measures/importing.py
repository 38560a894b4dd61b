"""How an imported file's chapters become the measures section: themed chapters of points, figures as indicators.

A report either has one chapter of measures (its points under the section's own heading) or folds its measures
into themes, one chapter each (as the Changzhi sample does); the chapters whose heading names no other section
are such themes.
"""

from __future__ import annotations

import re
from typing import Any

from reports.filing.sections import ImportedChapter, ImportedPoint, Importing
from reports.measures.figures import figures_in

HEADING = re.compile(r"举措|成效|措施|做法|成绩|进展|工作情况|开展情况|主要工作|基本情况|总体情况|推进.{0,16}情况")


def _point(point: ImportedPoint) -> dict[str, Any]:
    return {"heading": point.heading, "paragraphs": point.paragraphs, "indicators": figures_in(point.paragraphs)}


def merge(entry: dict[str, Any], chapter: ImportedChapter, themed: bool) -> list[str]:
    """Add one chapter to the measures read so far; the paragraphs that have no place in their shape."""
    chapters = entry["content"]["chapters"]
    points = [_point(p) for p in chapter.points]
    if not themed and not chapters and not entry["text"]:
        entry["heading"], entry["text"] = chapter.heading, chapter.intro
        chapters += [{"heading": "", "points": points}] if points else []
        return []
    unplaced = []
    if chapter.intro and not points:
        # A themed chapter written as plain paragraphs: one point without a heading keeps them.
        points = [_point(ImportedPoint("", chapter.intro))]
    elif chapter.intro:
        # A themed chapter has no place for text before its first point.
        unplaced = chapter.intro
    chapters.append({"heading": chapter.heading, "points": points})
    return unplaced


def finish(entry: dict[str, Any]) -> list[str]:
    """Once every chapter is in: with several themes, each needs a heading and none has an opening of its own."""
    chapters = entry["content"]["chapters"]
    if len(chapters) <= 1:
        return []
    for chapter in chapters:
        chapter["heading"] = chapter["heading"] or entry["heading"]
    unplaced, entry["text"] = entry["text"], []
    return unplaced


IMPORTING = Importing(heading=HEADING, rank=60, receives_themes=True, merge=merge, finish=finish)
