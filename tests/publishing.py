"""Published reports for the tests of the public side, with their public entries kept in step.

`refresh_search_entry` is called here after each publication and withdrawal, as filing.services does, so these
tests do not depend on where that call is made.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from reports.agencies.models import Agency, User
from reports.filing import services
from reports.filing.models import Publication, Report, ReportingCycle, ReportRevision, ReportState
from reports.filing.snapshot import content_hash
from reports.publication import places as public_places
from reports.publication.cache import bump_generation
from reports.publication.services import refresh_search_entry
from reports.workflow import actions
from tests.factories import fill_required_sections


def forget_cached_pages() -> None:
    """Start a test with no public page cached by an earlier one. A new generation retires the lists; report pages
    are keyed by revision ids, which PostgreSQL never reuses but SQLite does after a rollback, so the process-local
    cache is emptied too, and the years and regions this process keeps for the lists' filters. Redis is not flushed:
    it also holds Celery's queues."""
    bump_generation()
    public_places.forget()
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


def publish(report: Report, filer: User, reviewer: User, *, change_note: str = "") -> Report:
    """Submit, approve and publish a report as its filer and reviewer would."""
    if not report.sections.exclude(text="").exists():
        fill_required_sections(report)
    actions.submit_report(report=report, by=filer)
    actions.approve_report(report=report, by=reviewer)
    actions.publish_report(report=report, by=reviewer, change_note=change_note)
    refresh_search_entry(report)
    report.refresh_from_db()
    return report


def published_report(agency: Agency, cycle: ReportingCycle, filer: User, reviewer: User, text: str = "") -> Report:
    report = services.start_report(agency=agency, cycle=cycle)
    fill_required_sections(report)
    if text:
        report.sections.filter(key="duties").update(text=text)
    return publish(report, filer, reviewer)


def correct(report: Report, filer: User, reviewer: User, *, text: str, note: str) -> Report:
    """Reopen a published report, change its duties text and republish it with a public change note."""
    actions.start_correction(report=report, by=reviewer)
    report.sections.filter(key="duties").update(text=text)
    return publish(report, filer, reviewer, change_note=note)


def withdraw(report: Report, reviewer: User, reason: str = "内容有误，更正后重新发布。") -> Report:
    actions.withdraw_report(report=report, by=reviewer, reason=reason)
    refresh_search_entry(report)
    report.refresh_from_db()
    return report


def first_published_on(report: Report, day: datetime.date) -> Report:
    """Move the report's publications to a day (at 10:00 in the portal's time zone), as if published then."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Publication.objects.filter(report=report).update(published_at=moment)
    Report.objects.filter(pk=report.pk).update(published_at=moment)
    refresh_search_entry(report)
    report.refresh_from_db()
    return report


def snapshot(agency: Agency, year: int, **sections: dict[str, Any]) -> dict[str, Any]:
    """A published snapshot in the shape filing.snapshot writes, with the given sections' content (and text)."""
    entries = []
    for key, heading in [
        ("measures", f"{year}年推进法治政府建设的主要举措和成效"),
        ("rulings", "履行法院生效裁判情况"),
        ("plans", f"{year + 1}年推进法治政府建设的主要安排"),
    ]:
        given = copy.deepcopy(sections.get(key, {}))
        entries.append(
            {
                "key": key,
                "heading": heading,
                "folded": False,
                "nothing_to_report": False,
                "text": given.pop("text", []),
                "content": given,
            }
        )
    return {
        "agency_name": agency.name,
        "agency_code": agency.code,
        "year": year,
        "title": f"关于{year}年度法治政府建设情况的报告",
        "addressee": "",
        "preface": [f"现将{year}年度法治政府建设情况报告如下。"],
        "sections": entries,
        "other_matters": [],
        "signature": agency.name,
        "signed_on": f"{year + 1}-03-01",
        "public_note": "（此件公开发布）",
        "attachments": [],
    }


def report_from_snapshot(agency: Agency, cycle: ReportingCycle, content: dict[str, Any], day: datetime.date) -> Report:
    """A report published on a day with exactly this snapshot (for the comparisons, which read snapshots only)."""
    report = Report.objects.create(agency=agency, cycle=cycle, state=ReportState.PUBLISHED, title=content["title"])
    revision = ReportRevision.objects.create(
        report=report, number=1, content=content, content_hash=content_hash(content)
    )
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Publication.objects.create(report=report, number=1, revision=revision, published_at=moment)
    Report.objects.filter(pk=report.pk).update(published_revision=revision, published_at=moment, submitted_at=moment)
    refresh_search_entry(report)
    report.refresh_from_db()
    return report
