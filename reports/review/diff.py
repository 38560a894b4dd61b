"""What changed between two snapshots, section by section, as a reader sees the text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.filing.document import section_blocks


@dataclass(frozen=True)
class DiffRow:
    kind: str  # equal, insert, delete, replace
    old: SafeString
    new: SafeString


@dataclass
class SectionDiff:
    key: str
    heading: str
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)


def section_lines(entry: dict[str, Any]) -> list[str]:
    """A section's printed text, one line per heading or paragraph (point headings run into their first paragraph)."""
    lines: list[str] = []
    for block in section_blocks(entry):
        if block.kind == "chapter":
            lines.append(block.heading)
        elif block.kind == "point":
            first, *rest = block.paragraphs or ("",)
            lines.append(f"{block.heading}。{first}" if block.heading else first)
            lines.extend(rest)
        else:
            lines.extend(block.paragraphs)
    return [line for line in lines if line]


def _inline(old: str, new: str) -> tuple[SafeString, SafeString]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_html.append(escape(old[i1:i2]))
            new_html.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            old_html.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            new_html.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _rows(old: list[str], new: list[str]) -> list[DiffRow]:
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [DiffRow("equal", escape(line), escape(line)) for line in old[i1:i2]]
        elif op == "delete":
            rows += [DiffRow("delete", mark_safe(f"<del>{escape(line)}</del>"), mark_safe("")) for line in old[i1:i2]]
        elif op == "insert":
            rows += [DiffRow("insert", mark_safe(""), mark_safe(f"<ins>{escape(line)}</ins>")) for line in new[j1:j2]]
        else:
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                before = old[i1 + k] if i1 + k < i2 else ""
                after = new[j1 + k] if j1 + k < j2 else ""
                rows.append(DiffRow("replace", *_inline(before, after)))
    return rows


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[SectionDiff]:
    """Compare by section key, in the new snapshot's order; sections only the old one had come last."""
    old_sections = {entry["key"]: entry for entry in (old or {}).get("sections", [])}
    diffs = []
    for entry in new["sections"]:
        before = section_lines(old_sections.pop(entry["key"])) if entry["key"] in old_sections else []
        diffs.append(SectionDiff(entry["key"], entry["heading"], _rows(before, section_lines(entry))))
    for key, entry in old_sections.items():
        diffs.append(SectionDiff(key, entry["heading"], _rows(section_lines(entry), [])))
    return diffs
