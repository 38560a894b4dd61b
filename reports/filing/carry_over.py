"""Start a report from last year's: its outline to fill in, and its plans as the checklist to answer.

Each section type decides what it carries over (the registry's `carry_over` and `promises`): the
measures take last year's chapter and point headings and turn the promises into a checklist; the
plans give those promises. Nothing written under the headings is copied: it is a new year's report.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from reports.agencies.models import User
from reports.filing.checks import EMPTY, ReportCheck, check_report
from reports.filing.errors import FilingError
from reports.filing.models import Report, ReportSection
from reports.filing.sections import Promise, get_section_type
from reports.filing.snapshot import snapshot_of


def previous_snapshot(previous: Report) -> dict[str, Any]:
    """Last year's report as it was settled (made public, else last submitted), else as it stands: an outline
    is worth carrying over even from a draft that was never handed in."""
    return previous.settled_snapshot() or snapshot_of(previous)


def can_carry_over(report: Report, check: ReportCheck | None = None) -> bool:
    """Only into an editable report nobody has written in yet, so nothing typed is ever replaced."""
    check = check or check_report(report)
    return report.is_editable and all(s.state == EMPTY for s in check.sections)


@transaction.atomic
def start_from_last_year(*, report: Report, by: User) -> list[Promise]:
    """Give an empty report last year's outline and checklist; returns the promises it carried over."""
    report = Report.objects.locked(report)
    previous = report.last_year()
    if previous is None:
        raise FilingError(_("没有找到本机关%(year)s年度的报告，无法从上一年度开始。") % {"year": report.cycle.year - 1})
    if not can_carry_over(report):
        raise FilingError(_("本报告已经有填写的内容，不能再从上一年度开始，以免覆盖已填写的内容。"))
    snapshot = previous_snapshot(previous)
    last_year = {entry["key"]: entry for entry in snapshot["sections"]}
    promises = [
        promise
        for entry in snapshot["sections"]
        if (promise_of := get_section_type(entry["key"]).promises)
        for promise in promise_of(entry)
    ]
    for section in report.sections.all():
        section_type = get_section_type(section.key)
        entry = last_year.get(section.key)
        if section_type.carry_over:
            section_type.carry_over(section, entry, promises)
        if entry and entry["folded"] != section.folded:
            ReportSection.objects.filter(pk=section.pk).update(folded=entry["folded"])
    # Anyone with a section open must reload before saving over the outline.
    ReportSection.objects.filter(report=report).update(version=F("version") + 1, updated_by=by)
    return promises
