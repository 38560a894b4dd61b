"""Who made a year's report public by the deadline, who late, who not at all.

An agency counts as published only through a public entry (a report the public can read now); a withdrawn
report counts as not published. On time means first made public by the end of the deadline day of the agency's
province, in the portal's time zone: a later correction does not make a report late.

The board reads what `standings` keeps ready for each cycle: the agencies' standings, walked in the board's order
along an index for the region and status asked for, and the counts of the region and the divisions directly
under it. Two queries whatever the size of the region, each of a few rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from reports.agencies.models import Region
from reports.filing.models import ReportingCycle
from reports.publication.forms import LATE, MISSING, ON_TIME
from reports.publication.models import ComplianceCount, ComplianceStanding
from reports.publication.places import places


@dataclass(frozen=True)
class Counts:
    total: int
    on_time: int
    late: int

    @property
    def missing(self) -> int:
        return self.total - self.on_time - self.late

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.total, 1) if self.total else None

    def listed(self, status: str) -> int:
        """How many agencies the board lists for a status ("" for all)."""
        return {ON_TIME: self.on_time, LATE: self.late, MISSING: self.missing}.get(status, self.total)


@dataclass(frozen=True)
class RegionCounts:
    region: Region
    counts: Counts


def _tier(region: Region) -> str:
    """The standings' column that names the region for the agencies within it (`Region.objects.within`): its
    depth, the provinces at the top (give the region with its parent and grandparent)."""
    if region.parent_id is None:
        return "tier1"
    return "tier2" if region.parent.parent_id is None else "tier3"


def board_counts(cycle: ReportingCycle, region: Region | None) -> tuple[Counts, list[RegionCounts]]:
    """The counts for the region, and for each division directly under it (the provinces when there is none)
    with the region's own agencies first: one query."""
    # The regions as each process keeps them (`places`): the query names them rather than joining them.
    known = places()
    shown = [region, *known.children.get(region.pk, [])] if region else known.children.get(None, [])
    regions = {division.pk: division for division in shown}
    rows = ComplianceCount.objects.filter(cycle=cycle, region_id__in=list(regions))
    listed, overall = [], Counts(0, 0, 0)
    for row in sorted(rows, key=lambda row: regions[row.region_id].code):
        row.region = regions[row.region_id]
        within = Counts(row.agencies, row.on_time, row.late)
        if row.region_id == getattr(region, "pk", None):
            overall = within
            if row.own_agencies:
                listed.insert(0, RegionCounts(row.region, Counts(row.own_agencies, row.own_on_time, row.own_late)))
        elif row.agencies:
            listed.append(RegionCounts(row.region, within))
    if region is None:
        overall = Counts(*(sum(getattr(row.counts, name) for row in listed) for name in ("total", "on_time", "late")))
    return overall, listed


def agency_rows(cycle: ReportingCycle, region: Region | None, status: str) -> QuerySet:
    """The agencies' standings (name, code, region_name, first_published_at, withdrawn, on_time) in the board's
    order: by division code, kind and name."""
    rows = ComplianceStanding.objects.filter(cycle=cycle)
    if region is not None:
        rows = rows.filter(**{_tier(region): region})
    if status in (ON_TIME, LATE, MISSING):
        rows = rows.filter(status=status)
    columns = ["code", "name", "region_name", "first_published_at", "withdrawn", "status"]
    return rows.order_by("region_code", "kind", "name", "agency_id").only(*columns)


class BoardPaginator(Paginator):
    """The board's pages, counted from the counts it shows rather than by counting the standings again."""

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
