"""Every write an import makes: one transaction each, one error type with a message fit for users."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.agencies.models import Agency, User
from reports.filing import services as filing
from reports.filing.models import Report, ReportSection, ReportState
from reports.filing.services import draft_has_content
from reports.filing.snapshot import load_snapshot
from reports.transfer.errors import TransferError
from reports.transfer.importer import ImportResult, Target, read_report
from reports.transfer.models import ReportImport, UnplacedText

PREFACE, OTHER_MATTERS = "preface", "other_matters"


class DraftHasContent(TransferError):
    """Importing would replace what a filer already wrote; it needs their confirmation."""


def check_editable(report: Report) -> None:
    if not report.is_editable:
        raise TransferError(_("报告当前状态为“%(state)s”，不能导入文件。") % {"state": report.get_state_display()})


def _load(report: Report, record: ReportImport, unplaced: list[str], by: User | None) -> None:
    headings = {section.key: section.heading for section in report.sections.all()}
    load_snapshot(report, record.snapshot)
    # Sections the file has nothing for stay in the draft, empty, as start_report made them.
    present = set(report.sections.values_list("key", flat=True))
    ReportSection.objects.bulk_create(
        ReportSection(report=report, key=cs.key, heading=headings.get(cs.key) or cs.heading)
        for cs in report.cycle_sections()
        if cs.key not in present
    )
    # Editors who opened the report before the import must not save over it unknowingly.
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    UnplacedText.objects.filter(report=report).delete()
    UnplacedText.objects.bulk_create(
        UnplacedText(report=report, source=record, position=i, text=text) for i, text in enumerate(unplaced, 1)
    )
    record.status, record.applied_at = ReportImport.Status.APPLIED, timezone.now()
    record.save(update_fields=["status", "applied_at"])
    filing.record_contributor(report, by)


def import_file(*, report: Report, data: bytes, file_name: str, by: User, full_width: bool = True) -> ReportImport:
    """Read a file for an editable report: applied at once to an empty draft, kept for confirmation otherwise.
    full_width=False keeps the file's half-width punctuation between Chinese characters as it is."""
    check_editable(report)
    # Reading a large file takes a while; it locks nothing.
    result = read_report(data, file_name=file_name, target=Target.of(report), full_width=full_width)
    return keep_reading(
        ReportImport(report=report, file_name=file_name[-255:], created_by=by, full_width=full_width),
        result=result,
        by=by,
    )


@transaction.atomic
def keep_reading(record: ReportImport, *, result: ImportResult, by: User | None) -> ReportImport:
    """Keep what a file was read as: loaded at once into an empty draft, otherwise waiting for the filer's
    confirmation (replacing any earlier file still waiting)."""
    report = Report.objects.locked(record.report)
    check_editable(report)
    ReportImport.objects.filter(report=report, status=ReportImport.Status.PENDING).exclude(pk=record.pk).delete()
    record.snapshot, record.summary = result.snapshot, result.summary
    record.report_version = report.version
    record.status, record.read_at = ReportImport.Status.PENDING, timezone.now()
    record.save()
    if not draft_has_content(report):
        _load(report, record, result.unplaced, by)
    return record


@transaction.atomic
def apply_import(*, record: ReportImport, by: User) -> ReportImport:
    """Replace the draft's content with a file's, as the filer confirmed after reading the summary."""
    report = Report.objects.locked(record.report)
    record = ReportImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ReportImport.Status.PENDING:
        raise TransferError(_("这个文件已经导入。"))
    check_editable(report)
    if report.version != record.report_version:
        raise TransferError(_("您上传文件之后，报告又被修改过。为免覆盖新内容，请重新上传文件。"))
    _load(report, record, record.summary["unplaced"], by)
    return record


def published_at(snapshot: dict[str, Any]) -> datetime.datetime:
    """When a past year's report was made public, as far as its file tells: noon on its date, else now."""
    if snapshot["signed_on"]:
        signed_on = datetime.date.fromisoformat(snapshot["signed_on"])
        return timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12)))
    return timezone.now()


@transaction.atomic
def import_report_file(
    *,
    agency: Agency,
    year: int,
    data: bytes,
    file_name: str,
    replace: bool,
    by: User | None = None,
    to_publish: bool = False,
) -> tuple[Report, ReportImport]:
    """Bring a report in from a file into the year's draft. `to_publish` refuses, before anything is written, a
    file that could not be published as it stands (the workflow publishes it as a past year's report)."""
    report = Report.objects.locked(filing.start_report(agency=agency, cycle=filing.open_cycle(year=year)))
    check_editable(report)
    if to_publish and report.state != ReportState.DRAFT:
        raise TransferError(_("只有草稿状态的报告才能作为往年报告直接发布。"))
    if not replace and draft_has_content(report):
        message = _("%(agency)s %(year)s 年度的报告草稿中已有内容，导入会替换这些内容。")
        raise DraftHasContent(message % {"agency": agency.name, "year": year})
    result = read_report(data, file_name=file_name, target=Target.of(report))
    if to_publish and result.unplaced:
        raise TransferError(
            _("有 %(count)s 段文字无法确定应放入报告的哪一部分，不能直接发布。请先导入为草稿，处理后再发布。")
            % {"count": len(result.unplaced)}
        )
    record = ReportImport.objects.create(
        report=report,
        file_name=file_name[-255:],
        snapshot=result.snapshot,
        summary=result.summary,
        report_version=report.version,
        created_by=by,
    )
    _load(report, record, result.unplaced, by)
    report.refresh_from_db()
    return report, record


def _append(text: str, paragraph: str) -> str:
    return "\n".join(part for part in (text.rstrip(), paragraph) if part)


@transaction.atomic
def place_unplaced(*, paragraph: UnplacedText, where: str, by: User) -> None:
    """Put an unplaced paragraph at the end of the preface, a section's text or the other matters."""
    report = Report.objects.locked(paragraph.report)
    check_editable(report)
    if where in (PREFACE, OTHER_MATTERS):
        setattr(report, where, _append(getattr(report, where), paragraph.text))
        report.save(update_fields=[where, "updated_at"])
    else:
        section = report.sections.select_for_update().filter(key=where).first()
        if section is None:
            raise TransferError(_("报告中没有这一部分。"))
        section.text = _append(section.text, paragraph.text)
        section.version += 1
        section.updated_by = by
        section.save(update_fields=["text", "version", "updated_by", "updated_at"])
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    filing.record_contributor(report, by)
    UnplacedText.objects.filter(pk=paragraph.pk).delete()


@transaction.atomic
def discard_unplaced(*, paragraph: UnplacedText) -> None:
    """The filer read the paragraph and decided it is not part of the report (a stray header, say)."""
    check_editable(Report.objects.locked(paragraph.report))
    UnplacedText.objects.filter(pk=paragraph.pk).delete()
