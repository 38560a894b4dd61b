"""Who made a year's report public by the deadline, who late, who not at all.

An agency counts as published only through a public entry (a report the public can read now); a withdrawn
report counts as not published. On time means first made public by the end of the deadline day, in the
portal's time zone: a later correction does not make a report late.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from reports.agencies.models import Agency, Region
from reports.filing.models import Report, ReportingCycle, ReportState
from reports.publication.forms import LATE, MISSING, ON_TIME
from reports.publication.models import PublishedEntry


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


@dataclass(frozen=True)
class RegionCounts:
    region: Region
    counts: Counts


def _agencies(region: Region | None) -> QuerySet:
    return Agency.objects.filter(region__in=Region.objects.within(region)) if region else Agency.objects.all()


def board_counts(cycle: ReportingCycle, region: Region | None) -> tuple[Counts, list[RegionCounts]]:
    """The counts for the region, and for each division directly under it (the provinces when there is none)
    with the region's own agencies first: four queries however many divisions there are."""
    regions = Region.objects.within(region) if region else Region.objects.all()
    parents = dict(regions.values_list("pk", "parent_id"))
    agencies = dict(_agencies(region).values("region").annotate(n=Count("pk")).values_list("region", "n"))
    entries = PublishedEntry.objects.public().filter(year=cycle.year, agency__region__in=list(parents))
    moment = cycle.publication_cutoff
    published = {
        row["agency__region"]: row
        for row in entries.values("agency__region").annotate(
            on_time=Count("pk", filter=Q(first_published_at__lt=moment)),
            late=Count("pk", filter=Q(first_published_at__gte=moment)),
        )
    }
    top = region.pk if region else None
    sums: dict[int, list[int]] = {}
    for region_id in parents:
        bucket = region_id
        while bucket != top and parents.get(bucket) != top:
            bucket = parents[bucket]
        row = published.get(region_id, {})
        total = sums.setdefault(bucket, [0, 0, 0])
        total[0] += agencies.get(region_id, 0)
        total[1] += row.get("on_time", 0)
        total[2] += row.get("late", 0)
    by_pk = {r.pk: r for r in Region.objects.filter(pk__in=list(sums)).order_by("code")}
    rows = [RegionCounts(r, Counts(*sums[pk])) for pk, r in by_pk.items() if sums[pk][0]]
    rows.sort(key=lambda row: (row.region.pk != top, row.region.code))
    overall = Counts(*(sum(values[i] for values in sums.values()) for i in range(3)))
    return overall, rows


def agency_rows(cycle: ReportingCycle, region: Region | None, status: str) -> QuerySet:
    """The agencies with when they first made the year's report public (None when not), and whether it was
    withdrawn."""
    first = PublishedEntry.objects.public().filter(agency=OuterRef("pk"), year=cycle.year)
    withdrawn = Report.objects.filter(agency=OuterRef("pk"), cycle=cycle, state=ReportState.WITHDRAWN)
    rows = (
        _agencies(region)
        .select_related("region")
        .annotate(first_published_at=Subquery(first.values("first_published_at")[:1]), withdrawn=Exists(withdrawn))
    )
    moment = cycle.publication_cutoff
    if status == ON_TIME:
        rows = rows.filter(first_published_at__lt=moment)
    elif status == LATE:
        rows = rows.filter(first_published_at__gte=moment)
    elif status == MISSING:
        rows = rows.filter(first_published_at__isnull=True)
    return rows.order_by("region__code", "kind", "name")
