"""An agency's published reports side by side: across the years section by section, last year's plans against
this year's measures, its figures over the years, and its peers' figures for the same year.

Everything is read from published snapshots; section contents are read with `.get`, as their apps may add to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from reports.agencies.models import Agency
from reports.filing.document import section_blocks
from reports.filing.sections import Block, find_section_type
from reports.publication.charts import Chart, line_chart
from reports.publication.indicators import count_of, counting_sections, indicators_of, number, peer_figures
from reports.publication.models import PublishedEntry

MAX_INDICATOR_CHARTS = 6
MAX_PEERS = 50


def agency_entries(agency: Agency) -> list[PublishedEntry]:
    """The agency's public reports, oldest year first."""
    entries = (
        PublishedEntry.objects.public()
        .filter(agency=agency)
        .select_related("cycle", "agency__region")
        .prefetch_related("cycle__provincial_settings__province")
    )
    return list(entries.defer("body").order_by("year"))


def count_charts(entries: list[PublishedEntry]) -> list[Chart]:
    """A chart for each group of counts the sections publish (court cases, say), over the years."""
    years = [entry.year for entry in entries]
    charts = []
    for section in counting_sections():
        for title, keys in section.counts.charts:
            series = [
                (section.counts.label(key), [count_of(entry.figures, section.key, key) for entry in entries])
                for key in keys
            ]
            if chart := line_chart(str(title), years, series):
                charts.append(chart)
    return charts


@dataclass
class IndicatorRow:
    name: str
    unit: str
    values: list[str | None]


def indicator_rows(entries: list[PublishedEntry]) -> list[IndicatorRow]:
    """Each named indicator with its value in each year (the first of that name in a year's report)."""
    rows: dict[tuple[str, str], IndicatorRow] = {}
    for i, entry in enumerate(entries):
        for indicator in indicators_of(entry.figures):
            row = rows.setdefault(
                (indicator.name, indicator.unit), IndicatorRow(indicator.name, indicator.unit, [None] * len(entries))
            )
            if row.values[i] is None:
                row.values[i] = indicator.value
    return sorted(rows.values(), key=lambda row: -sum(value is not None for value in row.values))


def indicator_charts(entries: list[PublishedEntry], rows: list[IndicatorRow]) -> list[Chart]:
    years = [entry.year for entry in entries]
    charts = []
    for row in rows:
        values = [number(value) if value is not None else None for value in row.values]
        if sum(value is not None for value in values) < 2:
            continue
        label = f"{row.name}（{row.unit}）" if row.unit else row.name
        if chart := line_chart(label, years, [(label, values)]):
            charts.append(chart)
        if len(charts) == MAX_INDICATOR_CHARTS:
            break
    return charts


@dataclass
class SectionPair:
    key: str
    heading: str
    earlier: list[Block] | None
    later: list[Block] | None


def _sections(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in snapshot.get("sections") or [] if isinstance(s, dict) and s.get("key")}


def _blocks(entry: dict[str, Any] | None) -> list[Block] | None:
    """What the section prints, without its own heading; None when the report has no such section."""
    if entry is None:
        return None
    try:
        blocks = section_blocks(entry)
    except (KeyError, TypeError, AttributeError):
        # A section this portal no longer knows how to print: show its text as written.
        blocks = [Block("paragraph", paragraphs=tuple(entry.get("text") or ()))]
    if blocks and blocks[0].kind == "chapter" and blocks[0].heading == entry.get("heading"):
        blocks = blocks[1:]
    return blocks


def section_pairs(earlier: dict[str, Any], later: dict[str, Any]) -> list[SectionPair]:
    """The two reports section by section, in the later report's order (sections only the earlier had last)."""
    before, after = _sections(earlier), _sections(later)
    keys = list(after) + [key for key in before if key not in after]
    return [
        SectionPair(
            key,
            (after.get(key) or before.get(key) or {}).get("heading", ""),
            _blocks(before.get(key)),
            _blocks(after.get(key)),
        )
        for key in keys
    ]


@dataclass
class PromiseRow:
    heading: str
    text: list[str]
    done: bool | None = None
    answer: str = ""


@dataclass
class Promises:
    """Last year's plans and what this year's report says of them. `tracked` when the report itself says, plan by
    plan, whether it was done and which of its measures answers it; otherwise the two lists stand side by side."""

    rows: list[PromiseRow] = field(default_factory=list)
    tracked: bool = False
    measures: list[str] = field(default_factory=list)


def _entries(snapshot: dict[str, Any]):
    """The snapshot's sections this portal knows, with their section type."""
    for entry in snapshot.get("sections") or []:
        if isinstance(entry, dict) and isinstance(entry.get("content"), dict):
            if section_type := find_section_type(entry.get("key")):
                yield section_type, entry


def promises_kept(earlier: dict[str, Any], later: dict[str, Any]) -> Promises:
    answers = [answer for s, entry in _entries(later) if s.answers for answer in s.answers(entry["content"])]
    if answers:
        return Promises(
            [PromiseRow(a.heading, list(a.text), done=a.done, answer=a.answered_by) for a in answers], tracked=True
        )
    rows = [
        PromiseRow(promise.heading, promise.text.splitlines())
        for s, entry in _entries(earlier)
        if s.promises
        for promise in s.promises(entry)
    ]
    outline = [heading for s, entry in _entries(later) if s.outline for heading in s.outline(entry["content"])]
    return Promises(rows, measures=outline)


@dataclass
class Peer:
    agency: Agency
    entry: PublishedEntry | None
    figures: list[int | None]


def peer_agencies(agency: Agency) -> QuerySet:
    """Agencies of the same kind at the same level under the same parent region (the agency itself included)."""
    region = agency.region
    return Agency.objects.filter(
        kind=agency.kind, region__level=region.level, region__parent_id=region.parent_id
    ).select_related("region")


def _others(agency: Agency) -> QuerySet:
    return peer_agencies(agency).exclude(pk=agency.pk).order_by("region__code", "name")[: MAX_PEERS - 1]


def peer_ids(agency: Agency) -> list[int]:
    """The peers `peers` shows beside the agency, the agency itself not included."""
    return list(_others(agency).values_list("pk", flat=True))


def peers(agency: Agency, year: int) -> list[Peer]:
    """The peers with their report of the year, if public, and its peer figures; the agency itself first."""
    agencies = [agency, *_others(agency)]
    entries = {
        entry.agency_id: entry
        for entry in PublishedEntry.objects.public()
        .filter(year=year, agency__in=agencies)
        .select_related("cycle", "agency__region")
        .prefetch_related("cycle__provincial_settings__province")
        .defer("body")
    }
    return [
        Peer(
            a,
            entries.get(a.pk),
            [count_of(entries[a.pk].figures, s, key) if a.pk in entries else None for s, key, _label in peer_figures()],
        )
        for a in agencies
    ]
