"""The beat jobs of the workflow: reminders before the due date to filers, one daily digest to each reviewer.

Each person gets at most one of each a day, however many reports are involved and however often the
job runs: a ScheduledMessage row per person, kind and day is claimed before anything is sent.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.agencies.models import Role, User
from reports.filing.models import Report, ReportingCycle, ReportState
from reports.notifications.models import Notification, ScheduledMessage
from reports.notifications.services import notify
from reports.review.progress import agencies_in, progress_rows

REMINDER_DAYS = (7, 3, 1)


def _claim(user: User, kind: str, day: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ScheduledMessage.objects.create(recipient=user, kind=kind, day=day)
    except IntegrityError:
        return False
    return True


def send_due_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    cycle = ReportingCycle.objects.current(today)
    if cycle is None or (cycle.due_date - today).days not in REMINDER_DAYS:
        return 0
    handed_in = Report.objects.filter(cycle=cycle).handed_in()
    states = dict(Report.objects.filter(cycle=cycle).values_list("agency_id", "state"))
    labels = dict(ReportState.choices)
    sent = 0
    filers = (
        User.objects.active_in_role(Role.FILER)
        .filter(agency__isnull=False)
        .exclude(agency__in=handed_in.values("agency"))
        .select_related("agency")
    )
    for filer in filers:
        if not _claim(filer, Notification.Kind.REMINDER, today):
            continue
        state = labels.get(states.get(filer.agency_id), "未开始")
        with transaction.atomic():
            notify(
                recipients=[filer],
                report=None,
                kind=Notification.Kind.REMINDER,
                context={
                    "cycle": cycle,
                    "agency": filer.agency,
                    "state": state,
                    "days_left": (cycle.due_date - today).days,
                },
            )
        sent += 1
    return sent


def send_overdue_digests(today: datetime.date | None = None) -> int:
    """One message a day per reviewer: reports waiting for review and agencies late with theirs."""
    today = today or timezone.localdate()
    cycle = ReportingCycle.objects.current(today)
    if cycle is None:
        return 0
    sent = 0
    for reviewer in User.objects.reviewers().select_related("agency"):
        rows = progress_rows(agencies_in(reviewer.agency), cycle, today)
        overdue = [row for row in rows if row.days_late > 0]
        submitted = [row.report for row in rows if row.report and row.report.is_under_review]
        if not overdue and not submitted:
            continue
        if not _claim(reviewer, Notification.Kind.DIGEST, today):
            continue
        with transaction.atomic():
            notify(
                recipients=[reviewer],
                report=None,
                kind=Notification.Kind.DIGEST,
                context={"cycle": cycle, "overdue": overdue, "submitted": submitted, "today": today},
            )
        sent += 1
    return sent
