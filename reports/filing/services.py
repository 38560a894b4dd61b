"""The writes of the report's ground floor: cycles, starting a report, saving what filers type.

Moving a report through its states is the workflow's (reports.workflow.actions), which stands above this.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.agencies.models import Agency, User
from reports.filing.editing import SectionEditor
from reports.filing.errors import FilingError, SectionConflict
from reports.filing.models import (
    CycleSection,
    Report,
    ReportingCycle,
    ReportSection,
    default_due_date,
    default_publication_deadline,
)
from reports.filing.sections import section_types


def default_title(year: int) -> str:
    return _("关于%(year)s年度法治政府建设情况的报告") % {"year": year}


@transaction.atomic
def open_cycle(*, year: int, due_date: datetime.date | None = None) -> ReportingCycle:
    """The cycle for a year, created with the default dates and sections if it does not exist."""
    cycle, created = ReportingCycle.objects.get_or_create(
        year=year,
        defaults={
            "due_date": due_date or default_due_date(year),
            "publication_deadline": default_publication_deadline(year),
        },
    )
    if created:
        CycleSection.objects.bulk_create(
            CycleSection(cycle=cycle, key=s.key, position=i, heading=s.default_heading)
            for i, s in enumerate(section_types(), 1)
        )
    return cycle


@transaction.atomic
def start_report(*, agency: Agency, cycle: ReportingCycle) -> Report:
    report, _created = Report.objects.get_or_create(
        agency=agency, cycle=cycle, defaults={"title": default_title(cycle.year), "signature": agency.name}
    )
    add_missing_sections(report)
    return report


def add_missing_sections(report: Report) -> list[str]:
    """Give the report a row for each section its cycle asks of its agency and it lacks (one the cycle gained
    after the report was started, say). Rows the cycle no longer asks for stay: they hold what was written.
    The keys added."""
    present = set(report.sections.values_list("key", flat=True))
    missing = [cs for cs in report.cycle_sections() if cs.key not in present]
    ReportSection.objects.bulk_create(
        [ReportSection(report=report, key=cs.key, heading=cs.heading) for cs in missing], ignore_conflicts=True
    )
    return [cs.key for cs in missing]


@transaction.atomic
def apply_cycle_sections(*, cycle: ReportingCycle) -> int:
    """After a cycle's section settings changed, give every report of the cycle a row for each section it is now
    asked for, so that every report shows and checks it from then on (reading a report never writes). Rows it is
    no longer asked for stay: they hold what was written. The number of rows added."""
    reports = list(Report.objects.filter(cycle=cycle).select_related("agency__region"))
    present: dict[int, set[str]] = {}
    for report_id, key in ReportSection.objects.filter(report__cycle=cycle).values_list("report_id", "key"):
        present.setdefault(report_id, set()).add(key)
    asked: dict[int, list[CycleSection]] = {}
    missing = []
    for report in reports:
        province = report.agency.region.province_id
        if province not in asked:
            asked[province] = CycleSection.objects.for_agency(cycle, report.agency)
        have = present.get(report.pk, set())
        missing += [
            ReportSection(report=report, key=cs.key, heading=cs.heading) for cs in asked[province] if cs.key not in have
        ]
    ReportSection.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
    return len(missing)


def _check_editable(report: Report) -> None:
    if not report.is_editable:
        raise FilingError(_("报告当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()})


@transaction.atomic
def save_section(*, editor: SectionEditor, by: User) -> None:
    """Save a section if nobody saved it since the user opened it; drafts save even when incomplete."""
    report = Report.objects.locked(editor.section.report)
    _check_editable(report)
    opened_version = editor.frame.cleaned_data["version"]
    updated = ReportSection.objects.filter(pk=editor.section.pk, version=opened_version).update(
        version=F("version") + 1, updated_by=by
    )
    if not updated:
        raise SectionConflict(_("在您编辑期间，其他人已保存了这一部分。您的内容尚未保存，请对照下方最新内容后再保存。"))
    editor.section.version = opened_version + 1
    editor.section.updated_by = by
    editor.save()
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def save_report_details(*, form, by: User) -> Report:
    """Save the title, preface and closing of a report, refusing to overwrite a newer save."""
    report = Report.objects.locked(form.instance)
    _check_editable(report)
    if report.version != form.cleaned_data["version"]:
        raise SectionConflict(_("在您编辑期间，其他人已保存了报告信息。您的内容尚未保存，请对照最新内容后再保存。"))
    details = form.save(commit=False)
    details.version = report.version + 1
    details.save(update_fields=[*form.Meta.fields, "version", "updated_at"])
    return details
