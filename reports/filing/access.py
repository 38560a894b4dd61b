"""The one door from a URL to a report: a report this person may not see does not exist for them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from reports.agencies.models import Agency, User
from reports.filing.models import Report


def report_or_404(user: User, pk: int, perm: str = "filing.view_report") -> Report:
    """The report, if the user has `perm` on it (see reports.filing.rules); otherwise 404, so that nobody learns
    which reports exist beyond their own."""
    report = get_object_or_404(Report.objects.select_related("agency__region", "cycle"), pk=pk)
    if not user.has_perm(perm, report):
        raise Http404
    return report


def reports_visible_to(user: User) -> QuerySet[Report]:
    """The reports listed in a person's workspace: a reviewer's jurisdiction, a filer's own agency."""
    reports = Report.objects.select_related("agency__region", "cycle")
    if user.is_reviewer:
        return reports.filter(agency__in=Agency.objects.reviewed_by(user.agency))
    if user.is_filer:
        return reports.filter(agency_id=user.agency_id)
    return reports.none()
