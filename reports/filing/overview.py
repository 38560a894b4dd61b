"""What a filer sees at a glance: each section's state and findings, the due date, where to start."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from reports.filing.carry_over import can_carry_over
from reports.filing.checks import ReportCheck, check_report
from reports.filing.models import Report


@dataclass(frozen=True)
class Overview:
    check: ReportCheck
    due_date: datetime.date
    days_left: int
    carry_over_from: int | None

    @property
    def overdue_days(self) -> int:
        return -self.days_left


def report_overview(report: Report, *, offer_carry_over: bool, today: datetime.date | None = None) -> Overview:
    """`carry_over_from` is last year's year when this report may still start from that report."""
    check = check_report(report)
    today = today or timezone.localdate()
    carry_over_from = None
    if offer_carry_over and can_carry_over(report, check) and report.last_year():
        carry_over_from = report.cycle.year - 1
    return Overview(check, report.cycle.due_date, (report.cycle.due_date - today).days, carry_over_from)
