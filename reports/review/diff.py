"""What changed between two snapshots: every field a filer can change, part by part, as a reader sees it.

Each part of the report becomes lines: the title, addressee and preface; each section's printed text, its
switches and the facts it holds that are not printed (counts, indicators, checklist ticks, through the registry's
`describe`); the other matters; the signature, date, note and attachments. The two sides are aligned before they
are compared: a section's chapters and points by their headings, then paragraphs by how alike they are, so that
only paragraphs that correspond are compared character by character; the rest show as removed or added whole.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.filing.document import chinese_date, section_blocks
from reports.filing.sections import Block, find_section_type

T = TypeVar("T")
# Below this likeness (shared pairs of characters), two paragraphs are different paragraphs, not one edited.
ALIKE = 0.3


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


@dataclass(frozen=True)
class Unit:
    """A heading and the paragraphs under it (a point), or a paragraph alone (no heading)."""

    heading: str
    lines: tuple[str, ...]


def _block_units(block: Block) -> list[Unit]:
    if block.kind == "chapter":
        return [Unit(block.heading, (block.heading,))]
    if block.kind == "point":
        first, *rest = block.paragraphs or ("",)
        opening = f"{block.heading}。{first}" if block.heading else first
        return [Unit(block.heading, tuple(line for line in (opening, *rest) if line))]
    return [Unit("", (paragraph,)) for paragraph in block.paragraphs if paragraph]


def section_units(entry: dict[str, Any]) -> list[Unit]:
    """A section as it prints, then its switches and the facts that are not printed, one line each."""
    units = [unit for block in section_blocks(entry) for unit in _block_units(block)]
    if entry.get("nothing_to_report"):
        units.append(Unit("", (_("已勾选“本年度无此项内容”"),)))
    if entry.get("folded"):
        units.append(Unit("", (_("并入下一部分开头"),)))
    section_type = find_section_type(entry["key"])
    facts = section_type.describe(entry.get("content") or {}) if section_type else []
    units += [Unit(label, (f"{label}：{value}",)) for label, value in facts]
    return units


def section_lines(entry: dict[str, Any]) -> list[str]:
    return [line for unit in section_units(entry) for line in unit.lines]


def _labelled(label: str, value: str) -> list[Unit]:
    return [Unit(label, (f"{label}：{value}",))] if value else []


def _framing(snapshot: dict[str, Any]) -> list[tuple[str, str, list[Unit]]]:
    opening = _labelled(_("标题"), snapshot.get("title", "")) + _labelled(_("主送机关"), snapshot.get("addressee", ""))
    opening += [Unit("", (paragraph,)) for paragraph in snapshot.get("preface", [])]
    other = [Unit("", (paragraph,)) for paragraph in snapshot.get("other_matters", [])]
    signed_on = snapshot.get("signed_on")
    closing = _labelled(_("落款"), snapshot.get("signature", ""))
    closing += _labelled(_("成文日期"), chinese_date(datetime.date.fromisoformat(signed_on)) if signed_on else "")
    closing += _labelled(_("公开属性"), snapshot.get("public_note", ""))
    closing += [
        Unit(_("附件"), (_("附件%(n)s：%(name)s") % {"n": n, "name": name},))
        for n, name in enumerate(snapshot.get("attachments", []), 1)
    ]
    return [
        ("opening", _("标题、主送机关与导语"), opening),
        ("other_matters", _("其他需要报告的情况"), other),
        ("closing", _("落款、成文日期、公开属性与附件"), closing),
    ]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def likeness(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1: the share of pairs of neighbouring characters they have in common."""
    if a == b:
        return 1.0
    pa, pb = _pairs(a), _pairs(b)
    return 2 * len(pa & pb) / (len(pa) + len(pb))


def align(old: Sequence[T], new: Sequence[T], alike: Callable[[T, T], float]) -> list[tuple[T | None, T | None]]:
    """Pair items in order where they are alike enough, most likeness in all; the others stand alone.

    A longest-common-subsequence table weighted by likeness: both sides keep their order."""
    n, m = len(old), len(new)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            value = alike(old[i], new[j])
            if value >= ALIKE:
                best = max(best, value + score[i + 1][j + 1])
            score[i][j] = best
    pairs: list[tuple[T | None, T | None]] = []
    i = j = 0
    while i < n and j < m:
        value = alike(old[i], new[j])
        if value >= ALIKE and score[i][j] == value + score[i + 1][j + 1]:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif score[i + 1][j] >= score[i][j + 1]:
            pairs.append((old[i], None))
            i += 1
        else:
            pairs.append((None, new[j]))
            j += 1
    pairs += [(item, None) for item in old[i:]] + [(None, item) for item in new[j:]]
    return pairs


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


def _line_rows(old: Sequence[str], new: Sequence[str]) -> list[DiffRow]:
    rows = []
    for before, after in align(old, new, likeness):
        if before is not None and after is not None:
            rows.append(DiffRow("equal", escape(before), escape(after)) if before == after else _replace(before, after))
        elif before is not None:
            rows.append(DiffRow("delete", mark_safe(f"<del>{escape(before)}</del>"), mark_safe("")))
        else:
            rows.append(DiffRow("insert", mark_safe(""), mark_safe(f"<ins>{escape(after)}</ins>")))
    return rows


def _replace(before: str, after: str) -> DiffRow:
    return DiffRow("replace", *_inline(before, after))


def _unit_likeness(a: Unit, b: Unit) -> float:
    if a.heading or b.heading:
        return likeness(a.heading, b.heading)
    return likeness("".join(a.lines), "".join(b.lines))


def _rows(old: list[Unit], new: list[Unit]) -> list[DiffRow]:
    rows = []
    for before, after in align(old, new, _unit_likeness):
        rows += _line_rows(before.lines if before else (), after.lines if after else ())
    return rows


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[SectionDiff]:
    """Every part, in the new snapshot's order (the opening first, the closing last); sections only the old one
    had come after the new one's."""
    old = old or {"sections": []}
    old_sections = {entry["key"]: entry for entry in old.get("sections", [])}
    old_framing = {key: units for key, _heading, units in _framing(old)} if "title" in old else {}
    framing = _framing(new)
    diffs = [SectionDiff(framing[0][0], framing[0][1], _rows(old_framing.get("opening", []), framing[0][2]))]
    for entry in new["sections"]:
        before = section_units(old_sections.pop(entry["key"])) if entry["key"] in old_sections else []
        diffs.append(SectionDiff(entry["key"], entry["heading"], _rows(before, section_units(entry))))
    for key, entry in old_sections.items():
        diffs.append(SectionDiff(key, entry["heading"], _rows(section_units(entry), [])))
    for key, heading, units in framing[1:]:
        diffs.append(SectionDiff(key, heading, _rows(old_framing.get(key, []), units)))
    return diffs
