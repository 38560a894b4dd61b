"""Finding the one report or version a permanent address names, and what its page says about it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404

from reports.filing.models import Publication, Report, ReportRevision


def ever_published(year: int, code: str) -> Report:
    """The report at /published/<year>/<code>/: public now, or withdrawn (its page then says so)."""
    report = (
        Report.objects.select_related("agency__region", "cycle", "published_revision")
        .defer("published_revision__content")
        .filter(cycle__year=year, agency__code=code, published_revision__isnull=False)
        .order_by("pk")
        .first()
    )
    if report is None:
        raise Http404
    return report


@dataclass(frozen=True)
class Version:
    number: int
    published_at: datetime.datetime
    change_note: str
    is_current: bool


def versions(report: Report) -> list[Version]:
    """Every published version, oldest first; the current one is the report's published revision."""
    rows = (
        Publication.objects.filter(report=report)
        .order_by("number")
        .values_list("number", "published_at", "change_note", "revision_id")
    )
    return [Version(n, at, note, revision == report.published_revision_id) for n, at, note, revision in rows]


def version_revision(report: Report, number: int) -> ReportRevision:
    publication = (
        Publication.objects.select_related("revision")
        .defer("revision__content")
        .filter(report=report, number=number)
        .order_by("pk")
        .first()
    )
    if publication is None or report.is_withdrawn:
        raise Http404
    return publication.revision
