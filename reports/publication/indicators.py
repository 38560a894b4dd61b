"""The figures a report publishes, read out of its snapshot through the section registry: each section's named
counts (court cases, say) and its indicators (named figures with units), for charts, comparisons and open data.

Sections read their own content with care (a published snapshot of an older portal may differ); a section this
portal does not know is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from reports.filing.sections import SectionType, find_section_type, section_types


@dataclass(frozen=True)
class Indicator:
    name: str
    value: str
    unit: str


def counting_sections() -> list[SectionType]:
    """The sections that publish named counts."""
    return [s for s in section_types() if s.counts]


def figures_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    """{section key: {count key: count}, …, "indicators": [{name, value, unit}]}."""
    figures: dict[str, Any] = {s.key: {} for s in counting_sections()}
    indicators: list[dict[str, str]] = []
    for entry in snapshot.get("sections") or []:
        content = entry.get("content") if isinstance(entry, dict) else None
        section_type = find_section_type(entry.get("key")) if isinstance(content, dict) else None
        if section_type is None:
            continue
        if section_type.counts:
            figures[section_type.key] = section_type.counts.read(content)
        if section_type.indicators:
            indicators += section_type.indicators(content)
    return {**figures, "indicators": indicators}


def count_of(figures: Any, section_key: str, key: str) -> int | None:
    counts = figures.get(section_key) if isinstance(figures, dict) else None
    return counts.get(key) if isinstance(counts, dict) else None


def peer_figures() -> list[tuple[str, str, str]]:
    """The counts shown for an agency's peers: (section key, count key, label)."""
    return [(s.key, key, s.counts.label(key)) for s in counting_sections() for key in s.counts.peers]


def indicators_of(figures: dict[str, Any]) -> list[Indicator]:
    return [
        Indicator(i["name"], i["value"], i.get("unit", ""))
        for i in figures.get("indicators", [])
        if isinstance(i, dict) and i.get("name") and i.get("value")
    ]


def number(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
