"""Helpers for the import and export tests: the samples, Word files made from text, and the two measures
of an import: does it hold the demo's structure, and is every character of the file still somewhere."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import docx

from reports.filing import services as filing
from reports.filing.document import compose_document
from reports.filing.models import Report
from reports.filing.punctuation import FULL_WIDTH
from reports.transfer.importer import ImportResult, Target

DATA = Path(__file__).resolve().parents[1] / "reports" / "demo" / "data"
SHANXI = "2023-shanxi-emergency-management-department"
CHANGZHI = "2022-changzhi-emergency-management-bureau"
SAMPLES = {SHANXI: ("sx_emergency", 2023), CHANGZHI: ("cz_emergency", 2022)}
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.)", re.MULTILINE)


def sample_text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def sample_snapshot(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def sample_report(places, name: str) -> Report:
    agency, year = SAMPLES[name]
    return filing.start_report(agency=getattr(places, agency), cycle=filing.open_cycle(year=year))


def docx_from_lines(lines: list[str], styles: dict[int, str] | None = None) -> bytes:
    """A Word file with one paragraph per line, as someone pasting the text into Word makes it."""
    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line, style=(styles or {}).get(i))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def same_text(text: str) -> str:
    """Text apart from whitespace and character width."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def comparable(text: str) -> str:
    """Text apart from whitespace, width and heading numbers (the portal numbers headings itself)."""
    return same_text(NUMBERING.sub("", unicodedata.normalize("NFKC", text)))


def reads_as(snapshot: dict[str, Any]) -> str:
    return comparable(compose_document(snapshot).plain_text().replace("附件：", ""))


def _texts(values: list[str]) -> list[str]:
    return [same_text(value) for value in values]


def structure(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What an import must reproduce of a hand-made sample: the sections with text, their chapter and point
    headings, items and paragraphs, apart from whitespace and width. Indicators and facts are left out."""
    sections = {}
    for entry in snapshot["sections"]:
        content = entry["content"]
        chapters = content.get("chapters", [])
        if not (entry["text"] or any(c["points"] for c in chapters) or content.get("items") or content.get("points")):
            continue
        themed = any(chapter["heading"] for chapter in chapters)
        sections[entry["key"]] = {
            # A themed measures section and a folded one never print their own heading: a file cannot carry it.
            "heading": None if themed or entry["folded"] else same_text(entry["heading"]),
            "folded": entry["folded"],
            "nothing_to_report": entry["nothing_to_report"],
            "text": _texts(entry["text"]),
            "chapters": [
                (same_text(c["heading"]), [(same_text(p["heading"]), _texts(p["paragraphs"])) for p in c["points"]])
                for c in chapters
            ],
            "items": [same_text(item["shortcoming"] + item["cause"]) for item in content.get("items", [])],
            "points": [(same_text(p["heading"]), _texts(p["paragraphs"])) for p in content.get("points", [])],
        }
    return {
        "title": same_text(snapshot["title"]),
        "addressee": same_text(snapshot["addressee"]),
        "preface": _texts(snapshot["preface"]),
        "sections": sections,
        "other_matters": _texts(snapshot["other_matters"]),
        "signature": same_text(snapshot["signature"]),
        "signed_on": snapshot["signed_on"],
        "public_note": same_text(snapshot["public_note"]),
        "attachments": _texts(snapshot["attachments"]),
    }


def visible(text: str) -> Counter:
    """The characters a reader sees: not whitespace, not control or zero-width format characters."""
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def unaccounted(source: str, result: ImportResult) -> Counter:
    """Characters of the file that are neither in the report, nor unplaced, nor in what the summary lists as removed."""
    kept = [compose_document(result.snapshot).plain_text(), *_strings(result.snapshot)]
    kept += [*result.unplaced, *result.summary["removed"]]
    # Punctuation made full width (a listed healing) is the same character in another width.
    return visible(source.translate(_NARROW)) - visible("".join(kept).translate(_NARROW))


_NARROW = str.maketrans({wide: narrow for narrow, wide in FULL_WIDTH.items()})


def target_for(report: Report) -> Target:
    return Target.of(report)
