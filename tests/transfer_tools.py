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


def long_docx(paragraphs: int, *, seed: int = 1) -> bytes:
    """A Word file within every limit that holds many short paragraphs, each cut mid-sentence (ending in a comma),
    as a PDF pasted into Word gives them: the repairs join them all into one paragraph."""
    import random
    import zipfile

    pick = random.Random(seed).choice
    words = "法治政府建设推进依法行政执法监督审查复议诉讼制度改革完善强化落实规范健全机制体系能力水平"
    body = "".join(
        f"<w:p><w:r><w:t>{''.join(pick(words) for _ in range(4))}，</w:t></w:r></w:p>" for _ in range(paragraphs)
    )
    base = docx_from_lines(["关于2023年度法治政府建设情况的报告", "一、主要举措"])
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "word/document.xml":
                    text = data.decode()
                    end = text.index("<w:sectPr")
                    data = (text[:end] + body + text[end:]).encode()
                target.writestr(member.filename, data)
    return output.getvalue()


def lying_docx(*, inflates_to: int, declares: int = 4096) -> bytes:
    """A small Word file whose document part really inflates to `inflates_to` bytes but whose headers declare
    `declares` (and the CRC of that many bytes), as a crafted upload does."""
    import struct
    import zipfile
    import zlib

    base = docx_from_lines(["关于2023年度法治政府建设情况的报告", "一、主要举措"])
    name = "word/document.xml"
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        body = source.read(name)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for member in source.infolist():
                if member.filename != name:
                    target.writestr(member.filename, source.read(member))
            with target.open(name, "w", force_zip64=False) as part:
                part.write(body)
                padding = b" " * (1024 * 1024)
                for _ in range((inflates_to - len(body)) // len(padding)):
                    part.write(padding)
    data = bytearray(output.getvalue())
    crc = zlib.crc32((body + b" " * declares)[:declares])
    for signature, name_length_at, name_at, crc_at, size_at in (
        (b"PK\x03\x04", 26, 30, 14, 22),
        (b"PK\x01\x02", 28, 46, 16, 24),
    ):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + name_length_at)[0]
            if data[at + name_at : at + name_at + length] == name.encode():
                struct.pack_into("<I", data, at + crc_at, crc)
                struct.pack_into("<I", data, at + size_at, declares)
            at = data.find(signature, at + 4)
    return bytes(data)


def read_uploads() -> None:
    """Read the uploaded files waiting for the worker, as it does (tests/integration runs a real one)."""
    from reports.transfer.models import ReportImport
    from reports.transfer.reading import read_upload

    for pk in ReportImport.objects.filter(status=ReportImport.Status.READING).values_list("pk", flat=True):
        read_upload(import_id=pk)
