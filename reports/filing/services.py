"""Every write to a report goes through here: one transaction each, one error type for users."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from reports.agencies.models import Agency, User
from reports.filing.checks import missing_sections
from reports.filing.editing import SectionEditor
from reports.filing.models import (
    CycleSection,
    Publication,
    Report,
    ReportEvent,
    ReportingCycle,
    ReportRevision,
    ReportSection,
    ReportState,
    default_due_date,
    default_publication_deadline,
)
from reports.filing.sections import section_types
from reports.filing.snapshot import content_hash, snapshot_of
from reports.notifications.models import Notification
from reports.notifications.recipients import filers_of, reviewers_of, signatories_of
from reports.notifications.services import notify
from reports.publication.services import refresh_search_entry
from reports.rendering.services import request_pdf
from reports.transfer.models import has_unplaced_text


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
    missing = [cs for cs in CycleSection.objects.for_agency(report.cycle, report.agency) if cs.key not in present]
    ReportSection.objects.bulk_create(
        [ReportSection(report=report, key=cs.key, heading=cs.heading) for cs in missing], ignore_conflicts=True
    )
    return [cs.key for cs in missing]


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("agency", "cycle").get(pk=report.pk)


def _record(report: Report, action: str, by: User | None, reason: str = "") -> None:
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


def _transition(report: Report, move: str, verb: str) -> None:
    """Move a locked report, or tell the user plainly why not (someone else may have acted first)."""
    try:
        getattr(report, move)()
    except TransitionNotAllowed:
        raise FilingError(
            _("操作未执行：报告当前状态为“%(state)s”，不能%(verb)s。可能已有其他人处理了这份报告，请刷新页面查看。")
            % {"state": report.get_state_display(), "verb": verb}
        ) from None


def _required(reason: str, missing: str) -> str:
    """The reason a user gave, or a refusal saying it is needed (before anything is locked or moved)."""
    if not reason.strip():
        raise FilingError(missing)
    return reason.strip()


def _tell_filers(report: Report, kind: str, **context) -> None:
    notify(recipients=filers_of(report.agency), report=report, kind=kind, context=context)


def _take_snapshot(report: Report, by: User) -> ReportRevision:
    snapshot = snapshot_of(report)
    return ReportRevision.objects.create(
        report=report,
        number=report.revisions.count() + 1,
        content=snapshot,
        content_hash=content_hash(snapshot),
        created_by=by,
    )


def _hand_in(report: Report, by: User) -> ReportRevision:
    """The moment of submission: freeze the content and tell the reviewers (in their inbox and daily digest)."""
    revision = _take_snapshot(report, by)
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.return_reason = ""
    report.save()
    _record(report, ReportEvent.Action.SUBMIT, by)
    notify(recipients=reviewers_of(report.agency), report=report, kind=Notification.Kind.SUBMITTED, email=False)
    return revision


@transaction.atomic
def submit_report(*, report: Report, by: User) -> ReportRevision | None:
    """Submit for review, or, where the cycle asks for it, send to the agency head for sign-off first."""
    report = _locked(report)
    if report.state in (ReportState.SUBMITTED, ReportState.IN_REVIEW, ReportState.AWAITING_SIGN_OFF):
        raise FilingError(_("该报告已经报送，无需重复报送。"))
    add_missing_sections(report)  # so that a section the cycle gained since is checked too
    missing = missing_sections(report)
    if missing:
        raise FilingError(_("以下必填部分尚未填写：%(parts)s。") % {"parts": "、".join(missing)})
    if has_unplaced_text(report):
        raise FilingError(_("导入的文件中还有未归入任何部分的文字，请先放入相应部分或删除，再报送。"))
    if report.cycle.requires_sign_off:
        _transition(report, "request_sign_off", _("提请签发"))
        report.save()
        _record(report, ReportEvent.Action.REQUEST_SIGN_OFF, by)
        notify(recipients=signatories_of(report.agency), report=report, kind=Notification.Kind.SIGN_OFF_REQUESTED)
        return None
    _transition(report, "submit", _("报送"))
    return _hand_in(report, by)


@transaction.atomic
def sign_off_report(*, report: Report, by: User) -> ReportRevision:
    report = _locked(report)
    _transition(report, "sign_off", _("签发"))
    _record(report, ReportEvent.Action.SIGN_OFF, by)
    return _hand_in(report, by)


@transaction.atomic
def decline_sign_off(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("不予签发时必须填写理由。"))
    report = _locked(report)
    _transition(report, "decline_sign_off", _("退回"))
    report.return_reason = reason
    report.save()
    _record(report, ReportEvent.Action.DECLINE_SIGN_OFF, by, reason)
    _tell_filers(report, Notification.Kind.SIGN_OFF_DECLINED, reason=reason)
    return report


@transaction.atomic
def start_review(*, report: Report, by: User) -> Report:
    report = _locked(report)
    if report.state == ReportState.IN_REVIEW and report.reviewer_id == by.pk:
        return report
    _transition(report, "start_review", _("开始审核"))
    report.reviewer = by
    report.save()
    _record(report, ReportEvent.Action.START_REVIEW, by)
    return report


@transaction.atomic
def return_report(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("退回修改时必须填写理由。"))
    report = _locked(report)
    _transition(report, "return_for_revision", _("退回"))
    report.return_reason = reason
    report.save()
    _record(report, ReportEvent.Action.RETURN, by, reason)
    open_comments = list(report.comments.filter(resolved_at__isnull=True, parent__isnull=True).order_by("created_at"))
    _tell_filers(report, Notification.Kind.RETURNED, reason=reason, comments=open_comments)
    return report


@transaction.atomic
def approve_report(*, report: Report, by: User) -> Report:
    report = _locked(report)
    _transition(report, "approve", _("审核通过"))
    report.approved_at = timezone.now()
    report.reviewer = report.reviewer or by
    report.save()
    _record(report, ReportEvent.Action.APPROVE, by)
    _tell_filers(report, Notification.Kind.APPROVED)
    return report


def _publish(report: Report, by: User | None, change_note: str, published_at: datetime.datetime) -> Publication:
    revision = report.revisions.order_by("-number").first()
    publication = Publication.objects.create(
        report=report,
        number=report.publications.count() + 1,
        revision=revision,
        published_at=published_at,
        published_by=by,
        change_note=change_note,
    )
    report.published_revision = revision
    report.published_at = published_at
    report.withdrawn_at = None
    report.withdrawal_reason = ""
    report.save()
    request_pdf(revision=revision)
    refresh_search_entry(report)
    return publication


@transaction.atomic
def publish_report(*, report: Report, by: User, change_note: str = "") -> Report:
    """Publish the approved version. The one who submitted it may not publish it; a correction says what changed."""
    report = _locked(report)
    _transition(report, "publish", _("公开发布"))
    # Raising below rolls the transaction back, state included.
    if report.submitted_by_id == by.pk:
        raise FilingError(_("报告不能由报送人本人公开发布，请由其他审核人发布。"))
    if report.publications.exists() and not change_note.strip():
        raise FilingError(_("这是对已公开报告的更正，请填写向公众说明的更正说明。"))
    _publish(report, by, change_note.strip(), timezone.now())
    _record(report, ReportEvent.Action.PUBLISH, by, change_note.strip())
    _tell_filers(report, Notification.Kind.PUBLISHED)
    return report


@transaction.atomic
def withdraw_report(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("撤回已公开的报告时必须填写向公众说明的理由。"))
    report = _locked(report)
    _transition(report, "withdraw", _("撤回"))
    report.withdrawn_at = timezone.now()
    report.withdrawal_reason = reason
    report.save()
    refresh_search_entry(report)
    _record(report, ReportEvent.Action.WITHDRAW, by, reason)
    _tell_filers(report, Notification.Kind.WITHDRAWN, reason=reason)
    return report


@transaction.atomic
def start_correction(*, report: Report, by: User) -> Report:
    """Reopen a published report for correction; it goes through review again and is republished with a note."""
    report = _locked(report)
    _transition(report, "start_correction", _("发起更正"))
    report.save()
    _record(report, ReportEvent.Action.START_CORRECTION, by)
    return report


@transaction.atomic
def publish_archived_report(*, report: Report, published_at: datetime.datetime, by: User | None = None) -> Report:
    """Publish a past year's report that was already public before the portal existed."""
    report = _locked(report)
    _transition(report, "publish_archived", _("作为往年报告发布"))
    _take_snapshot(report, by)
    report.submitted_at = published_at
    _publish(report, by, "", published_at)
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.PUBLISH,
        actor=by,
        actor_name=str(by) if by else _("往年报告导入"),
        reason=_("往年已公开的报告"),
    )
    return report
