"""Where every agency in a reviewer's jurisdiction stands for a cycle: the workspace, the CSV and the digest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency
from reports.filing.models import Report, ReportingCycle, ReportState

NOT_STARTED = "not_started"
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class AgencyProgress:
    agency: Agency
    report: Report | None
    state: str
    state_label: str
    open_comments: int
    days_late: int
    due_soon: bool

    @property
    def submitted_late(self) -> bool:
        return self.report is not None and self.report.submitted_late


def agencies_in(reviewer_agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.reviewed_by(reviewer_agency).select_related("region")


def progress_rows(
    agencies: QuerySet[Agency], cycle: ReportingCycle, today: datetime.date | None = None
) -> list[AgencyProgress]:
    """One row per agency, in a fixed number of queries however many agencies there are."""
    today = today or timezone.localdate()
    reports = (
        Report.objects.filter(cycle=cycle, agency__in=agencies)
        .select_related("cycle")
        .annotate(
            open_comments=Count("comments", filter=Q(comments__resolved_at__isnull=True, comments__parent__isnull=True))
        )
    )
    by_agency = {r.agency_id: r for r in reports}
    state_labels = dict(ReportState.choices)
    rows = []
    for agency in agencies:
        report = by_agency.get(agency.pk)
        state = report.state if report else NOT_STARTED
        handed_in = report is not None and report.is_handed_in
        days_late = 0 if handed_in else cycle.days_late(today)
        rows.append(
            AgencyProgress(
                agency=agency,
                report=report,
                state=state,
                state_label=str(state_labels.get(state, _("未开始"))),
                open_comments=report.open_comments if report else 0,
                days_late=days_late,
                due_soon=not handed_in and 0 <= (cycle.due_date - today).days <= DUE_SOON_DAYS,
            )
        )
    return rows


def state_counts(agencies: QuerySet[Agency], cycle: ReportingCycle) -> dict[str, int]:
    """How many agencies of the jurisdiction stand in each state, not-started included (two queries)."""
    counts = dict(
        Report.objects.filter(cycle=cycle, agency__in=agencies)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    counts[NOT_STARTED] = agencies.count() - sum(counts.values())
    return counts
