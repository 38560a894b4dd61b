"""The province-wide view: every agency of a region at every level, how far each city and county has got with a
cycle, and the court-ruling figures rolled up with their rates. Read only, and a fixed handful of aggregate
queries however many agencies there are (20,000 answer in well under 300 ms: `bench_province`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency, Level, Region
from reports.filing.models import HANDED_IN_STATES, Report, ReportingCycle, ReportState
from reports.filing.sections import section_types

NOT_STARTED = "not_started"
DRAFTING = "drafting"
SUBMITTED = "submitted"
# The stages a province follows, each report state in one of them.
STAGES = [
    (NOT_STARTED, _("未开始")),
    (DRAFTING, _("填写中")),
    (SUBMITTED, _("已报送")),
    (ReportState.RETURNED.value, _("已退回")),
    (ReportState.APPROVED.value, _("已审核通过")),
    (ReportState.PUBLISHED.value, _("已公开")),
    (ReportState.WITHDRAWN.value, _("已撤回")),
]
STAGE_KEYS = [key for key, _label in STAGES]
STAGE_OF = {
    ReportState.DRAFT: DRAFTING,
    ReportState.AWAITING_SIGN_OFF: DRAFTING,
    ReportState.SUBMITTED: SUBMITTED,
    ReportState.IN_REVIEW: SUBMITTED,
    ReportState.RETURNED: ReportState.RETURNED.value,
    ReportState.APPROVED: ReportState.APPROVED.value,
    ReportState.PUBLISHED: ReportState.PUBLISHED.value,
    ReportState.WITHDRAWN: ReportState.WITHDRAWN.value,
}


@dataclass
class Tally:
    agencies: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    late: int = 0  # past the due date and not handed in
    submitted_late: int = 0
    figures: dict[str, dict[str, int]] = field(default_factory=dict)  # section key -> counts

    def add(self, other: Tally) -> None:
        self.agencies += other.agencies
        self.late += other.late
        self.submitted_late += other.submitted_late
        for key, n in other.stages.items():
            self.stages[key] = self.stages.get(key, 0) + n
        for section, counts in other.figures.items():
            mine = self.figures.setdefault(section, {})
            for key, n in counts.items():
                mine[key] = mine.get(key, 0) + n

    def stage_counts(self) -> list[tuple[str, int]]:
        return [(key, self.stages.get(key, 0)) for key in STAGE_KEYS]

    @property
    def handed_in(self) -> int:
        return sum(self.stages.get(key, 0) for key in STAGE_KEYS_HANDED_IN)


STAGE_KEYS_HANDED_IN = {STAGE_OF[state] for state in HANDED_IN_STATES}


@dataclass
class RegionRow:
    region: Region
    depth: int  # 0: the region's own agencies, 1: a city (with its counties), 2: a county
    tally: Tally


@dataclass
class ProvinceView:
    region: Region
    cycle: ReportingCycle
    due_date: datetime.date
    total: Tally
    rows: list[RegionRow]
    figures: list[dict]


def agencies_of(region: Region) -> QuerySet[Agency]:
    return Agency.objects.within(region).active()


def _tallies(region: Region, cycle: ReportingCycle, today: datetime.date, divisions: list[Region]) -> dict[int, Tally]:
    """A tally for each division of the region, its own agencies only: three aggregate queries, each on the
    divisions' ids (a plain index lookup, not a nested subquery)."""
    ids = [division.pk for division in divisions]
    due = cycle.terms_for(region).due_date
    tallies: dict[int, Tally] = {}
    # order_by(): the models' default orderings would join the regions and cycles into every aggregate.
    agencies = Agency.objects.active().filter(region_id__in=ids).order_by()
    for region_id, n in agencies.values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n"):
        tallies.setdefault(region_id, Tally()).agencies = n
    reports = Report.objects.filter(cycle=cycle, agency__region_id__in=ids, agency__retired_on__isnull=True).order_by()
    late_submission = Q(state__in=HANDED_IN_STATES, submitted_at__date__gt=due)
    for region_id, state, n, late in (
        reports.values("agency__region_id", "state")
        .annotate(n=Count("pk"), late=Count("pk", filter=late_submission))
        .values_list("agency__region_id", "state", "n", "late")
    ):
        tally = tallies.setdefault(region_id, Tally())
        stage = STAGE_OF[state]
        tally.stages[stage] = tally.stages.get(stage, 0) + n
        tally.submitted_late += late
    for tally in tallies.values():
        tally.stages[NOT_STARTED] = tally.agencies - sum(tally.stages.values())
        tally.late = (tally.agencies - tally.handed_in) if today > due else 0
    for section_type in section_types():
        if section_type.counts is None or section_type.counts.totals is None:
            continue
        handed_in = {
            "key": section_type.key,
            "report__cycle": cycle,
            "report__state__in": HANDED_IN_STATES,
            "report__agency__region_id__in": ids,
            "report__agency__retired_on__isnull": True,
        }
        for region_id, counts in section_type.counts.totals(handed_in, "report__agency__region_id").items():
            tallies.setdefault(region_id, Tally()).figures[section_type.key] = counts
    return tallies


def _figures(tally: Tally) -> list[dict]:
    """The rolled-up counts of each counting section, with their labels and rates."""
    shown = []
    for section_type in section_types():
        counts = section_type.counts
        if counts is None or counts.totals is None:
            continue
        values = tally.figures.get(section_type.key, {})
        shown.append(
            {
                "title": counts.title,
                "unit": counts.unit,
                "counts": [(counts.label(key), values.get(key, 0)) for key in counts.labels],
                "rates": counts.rates(values) if counts.rates else [],
            }
        )
    return shown


def province_view(region: Region, cycle: ReportingCycle, today: datetime.date | None = None) -> ProvinceView:
    """The region's progress: its own agencies first, then each city (counties added in) followed by its
    counties; for a city, its own agencies then its counties."""
    today = today or timezone.localdate()
    divisions = list(Region.objects.within(region).order_by("code"))
    tallies = _tallies(region, cycle, today, divisions)
    children = [d for d in divisions if d.parent_id == region.pk]
    grandchildren: dict[int, list[Region]] = {}
    for division in divisions:
        if division.parent_id and division.parent_id != region.pk:
            grandchildren.setdefault(division.parent_id, []).append(division)
    total = Tally()
    rows = []
    own = tallies.get(region.pk, Tally())
    total.add(own)
    rows.append(RegionRow(region, 0, own))
    for child in children:
        city = Tally()
        city.add(tallies.get(child.pk, Tally()))
        counties = [RegionRow(county, 2, tallies.get(county.pk, Tally())) for county in grandchildren.get(child.pk, [])]
        for county in counties:
            city.add(county.tally)
        total.add(city)
        depth = 1 if child.level != Level.COUNTY or counties else 2
        rows.append(RegionRow(child, depth, city))
        rows.extend(county for county in counties if county.tally.agencies)
    rows = [row for row in rows if row.tally.agencies or row.depth == 0]
    return ProvinceView(region, cycle, cycle.terms_for(region).due_date, total, rows, _figures(total))


def agency_rows(region: Region, cycle: ReportingCycle) -> QuerySet[Agency]:
    """Every active agency of the region with its report of the cycle (state and submission), for the list."""
    reports = Report.objects.filter(cycle=cycle, agency_id=OuterRef("pk"))
    return (
        agencies_of(region)
        .select_related("region")
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_state=Subquery(reports.values("state")[:1]),
            submitted_at=Subquery(reports.values("submitted_at")[:1]),
        )
        .order_by("region__code", "kind", "name")
    )


def stage_label(state: str | None) -> str:
    labels = dict(STAGES)
    return str(labels[STAGE_OF[state]] if state else labels[NOT_STARTED])
