"""Every write to a report goes through here: one transaction each, one error type for users."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from reports.agencies.models import Agency, User
from reports.filing.editing import SectionEditor
from reports.filing.models import (
    CycleSection,
    Report,
    ReportEvent,
    ReportingCycle,
    ReportRevision,
    ReportSection,
    ReportState,
    default_due_date,
    default_publication_deadline,
)
from reports.filing.sections import get_section_type, section_types
from reports.filing.snapshot import content_hash, snapshot_of
from reports.rendering.services import request_pdf


class FilingError(Exception):
    """A request the portal refuses, with a message fit to show the user."""


class SectionConflict(FilingError):
    """Someone else saved the section after this user opened it."""


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
    report, created = Report.objects.get_or_create(
        agency=agency, cycle=cycle, defaults={"title": default_title(cycle.year), "signature": agency.name}
    )
    if created:
        ReportSection.objects.bulk_create(
            ReportSection(report=report, key=cs.key, heading=cs.heading) for cs in cycle.sections.all()
        )
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("agency", "cycle").get(pk=report.pk)


def _record(report: Report, action: str, by: User, reason: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, actor=by, actor_name=str(by), reason=reason)


@transaction.atomic
def save_section(*, editor: SectionEditor, by: User) -> None:
    """Save a section if nobody saved it since the user opened it; drafts save even when incomplete."""
    report = _locked(editor.section.report)
    if not report.is_editable:
        raise FilingError(_("报告当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()})
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
    report = _locked(form.instance)
    if not report.is_editable:
        raise FilingError(_("报告当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()})
    if report.version != form.cleaned_data["version"]:
        raise SectionConflict(_("在您编辑期间，其他人已保存了报告信息。您的内容尚未保存，请对照最新内容后再保存。"))
    details = form.save(commit=False)
    details.version = report.version + 1
    details.save(update_fields=[*form.Meta.fields, "version", "updated_at"])
    return details


def missing_sections(report: Report) -> list[str]:
    """Headings of required sections that have neither content nor a 'nothing to report' declaration."""
    required = {cs.key: cs.heading for cs in report.cycle.sections.all() if cs.required}
    missing = []
    for section in report.sections.all():
        if section.key not in required or section.nothing_to_report or section.folded:
            continue
        section_type = get_section_type(section.key)
        if not section.paragraphs and not section_type.has_content(section_type.serialize(section)):
            missing.append(required[section.key])
    return missing


@transaction.atomic
def submit_report(*, report: Report, by: User) -> ReportRevision:
    report = _locked(report)
    if report.state == ReportState.SUBMITTED:
        raise FilingError(_("该报告已经报送，无需重复报送。"))
    missing = missing_sections(report)
    if missing:
        raise FilingError(_("以下必填部分尚未填写：%(parts)s。") % {"parts": "、".join(missing)})
    try:
        report.submit()
    except TransitionNotAllowed:
        raise FilingError(_("报告当前状态为“%(state)s”，不能报送。") % {"state": report.get_state_display()}) from None
    snapshot = snapshot_of(report)
    number = report.revisions.count() + 1
    revision = ReportRevision.objects.create(
        report=report, number=number, content=snapshot, content_hash=content_hash(snapshot), created_by=by
    )
    report.submitted_at = timezone.now()
    report.return_reason = ""
    report.save()
    _record(report, ReportEvent.Action.SUBMIT, by)
    return revision


@transaction.atomic
def return_report(*, report: Report, by: User, reason: str) -> Report:
    if not reason.strip():
        raise FilingError(_("退回修改时必须填写理由。"))
    report = _locked(report)
    try:
        report.return_for_revision()
    except TransitionNotAllowed:
        raise FilingError(_("报告当前状态为“%(state)s”，不能退回。") % {"state": report.get_state_display()}) from None
    report.return_reason = reason.strip()
    report.save()
    _record(report, ReportEvent.Action.RETURN, by, reason.strip())
    return report


@transaction.atomic
def approve_report(*, report: Report, by: User) -> Report:
    report = _locked(report)
    try:
        report.approve()
    except TransitionNotAllowed:
        raise FilingError(
            _("报告当前状态为“%(state)s”，不能审核通过。") % {"state": report.get_state_display()}
        ) from None
    report.save()
    _record(report, ReportEvent.Action.APPROVE, by)
    return report


@transaction.atomic
def publish_report(*, report: Report, by: User) -> Report:
    report = _locked(report)
    try:
        report.publish()
    except TransitionNotAllowed:
        raise FilingError(
            _("报告当前状态为“%(state)s”，不能公开发布。") % {"state": report.get_state_display()}
        ) from None
    report.published_revision = report.revisions.order_by("-number").first()
    report.published_at = timezone.now()
    report.save()
    _record(report, ReportEvent.Action.PUBLISH, by)
    request_pdf(revision=report.published_revision)
    return report


@transaction.atomic
def publish_archived_report(*, report: Report, published_at: datetime.datetime, by: User | None = None) -> Report:
    """Publish a past year's report that was already public before the portal existed."""
    report = _locked(report)
    try:
        report.publish_archived()
    except TransitionNotAllowed:
        raise FilingError(
            _("报告当前状态为“%(state)s”，不能作为往年报告发布。") % {"state": report.get_state_display()}
        ) from None
    snapshot = snapshot_of(report)
    revision = ReportRevision.objects.create(
        report=report,
        number=report.revisions.count() + 1,
        content=snapshot,
        content_hash=content_hash(snapshot),
        created_by=by,
    )
    report.published_revision = revision
    report.submitted_at = report.published_at = published_at
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.PUBLISH,
        actor=by,
        actor_name=str(by) if by else _("往年报告导入"),
        reason=_("往年已公开的报告"),
    )
    request_pdf(revision=revision)
    return report
