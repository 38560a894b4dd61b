"""The workflow: every move of a report from one state to the next, and what follows from it.

Each action locks the report, asks the permission rules (reports.filing.rules) whether this person may make
this move now, owns its transaction, moves the state and records the event, then explicitly asks for what
follows: the PDF of a published version, the public entry, the notifications. Nothing below this floor moves
a report's state.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from reports.agencies.models import Agency, User
from reports.filing.checks import missing_sections
from reports.filing.errors import FilingError
from reports.filing.models import Publication, Report, ReportEvent, ReportRevision, ReportState
from reports.filing.rules import is_submitter
from reports.filing.services import add_missing_sections
from reports.filing.snapshot import freeze_revision
from reports.notifications.models import Notification
from reports.notifications.services import notify
from reports.publication.services import refresh_search_entry
from reports.rendering.services import request_pdf
from reports.transfer.errors import TransferError
from reports.transfer.models import ReportImport, has_unplaced_text
from reports.transfer.services import import_report_file, published_at


def _move(report: Report, by: User, *, move: str, perm: str, verb: str) -> None:
    """Make one move of the locked report, or tell the user plainly why not: someone else may have acted first
    (the report is no longer in a state that allows it), or this person may not make it."""
    if not can_proceed(getattr(report, move)):
        raise FilingError(
            _("操作未执行：报告当前状态为“%(state)s”，不能%(verb)s。可能已有其他人处理了这份报告，请刷新页面查看。")
            % {"state": report.get_state_display(), "verb": verb}
        )
    if not by.has_perm(perm, report):
        if perm == "filing.publish_report" and is_submitter(by, report):
            raise FilingError(_("报告不能由报送人本人公开发布，请由其他审核人发布。"))
        raise FilingError(
            _("您无权对处于“%(state)s”状态的这份报告执行此操作。") % {"state": report.get_state_display()}
        )
    getattr(report, move)()


def _required(reason: str, missing: str) -> str:
    """The reason a user gave, or a refusal saying it is needed (before anything is locked or moved)."""
    if not reason.strip():
        raise FilingError(missing)
    return reason.strip()


def _record(report: Report, action: str, by: User | None, reason: str = "", actor_name: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, actor=by, actor_name=actor_name or str(by), reason=reason)


def _tell_filers(report: Report, kind: str, **context) -> None:
    notify(recipients=User.objects.filers_of(report.agency), report=report, kind=kind, context=context)


def _hand_in(report: Report, by: User) -> ReportRevision:
    """The moment of submission: freeze the content and tell the reviewers (in their inbox and daily digest)."""
    revision = freeze_revision(report, by=by)
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.return_reason = ""
    report.save()
    _record(report, ReportEvent.Action.SUBMIT, by)
    notify(
        recipients=User.objects.reviewers_of(report.agency),
        report=report,
        kind=Notification.Kind.SUBMITTED,
        email=False,
    )
    return revision


def _check_complete(report: Report) -> None:
    add_missing_sections(report)  # so that a section the cycle gained since is checked too
    missing = missing_sections(report)
    if missing:
        raise FilingError(_("以下必填部分尚未填写：%(parts)s。") % {"parts": "、".join(missing)})
    if has_unplaced_text(report):
        raise FilingError(_("导入的文件中还有未归入任何部分的文字，请先放入相应部分或删除，再报送。"))


@transaction.atomic
def submit_report(*, report: Report, by: User) -> ReportRevision | None:
    """Submit for review, or, where the cycle asks for it, send to the agency head for sign-off first."""
    report = Report.objects.locked(report)
    if report.is_under_review or report.state == ReportState.AWAITING_SIGN_OFF:
        raise FilingError(_("该报告已经报送，无需重复报送。"))
    if report.cycle.requires_sign_off:
        _move(report, by, move="request_sign_off", perm="filing.submit_report", verb=_("提请签发"))
        _check_complete(report)
        report.save()
        _record(report, ReportEvent.Action.REQUEST_SIGN_OFF, by)
        notify(
            recipients=User.objects.signatories_of(report.agency),
            report=report,
            kind=Notification.Kind.SIGN_OFF_REQUESTED,
        )
        return None
    _move(report, by, move="submit", perm="filing.submit_report", verb=_("报送"))
    _check_complete(report)
    return _hand_in(report, by)


@transaction.atomic
def sign_off_report(*, report: Report, by: User) -> ReportRevision:
    report = Report.objects.locked(report)
    _move(report, by, move="sign_off", perm="filing.sign_off_report", verb=_("签发"))
    _record(report, ReportEvent.Action.SIGN_OFF, by)
    return _hand_in(report, by)


@transaction.atomic
def decline_sign_off(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("不予签发时必须填写理由。"))
    report = Report.objects.locked(report)
    _move(report, by, move="decline_sign_off", perm="filing.sign_off_report", verb=_("退回"))
    report.return_reason = reason
    report.save()
    _record(report, ReportEvent.Action.DECLINE_SIGN_OFF, by, reason)
    _tell_filers(report, Notification.Kind.SIGN_OFF_DECLINED, reason=reason)
    return report


@transaction.atomic
def start_review(*, report: Report, by: User) -> Report:
    report = Report.objects.locked(report)
    if report.state == ReportState.IN_REVIEW and report.reviewer_id == by.pk:
        return report
    _move(report, by, move="start_review", perm="filing.start_review", verb=_("开始审核"))
    report.reviewer = by
    report.save()
    _record(report, ReportEvent.Action.START_REVIEW, by)
    return report


@transaction.atomic
def return_report(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("退回修改时必须填写理由。"))
    report = Report.objects.locked(report)
    _move(report, by, move="return_for_revision", perm="filing.review_report", verb=_("退回"))
    report.return_reason = reason
    report.save()
    _record(report, ReportEvent.Action.RETURN, by, reason)
    open_comments = list(report.comments.filter(resolved_at__isnull=True, parent__isnull=True).order_by("created_at"))
    _tell_filers(report, Notification.Kind.RETURNED, reason=reason, comments=open_comments)
    return report


@transaction.atomic
def approve_report(*, report: Report, by: User) -> Report:
    report = Report.objects.locked(report)
    _move(report, by, move="approve", perm="filing.review_report", verb=_("审核通过"))
    report.approved_at = timezone.now()
    report.reviewer = report.reviewer or by
    report.save()
    _record(report, ReportEvent.Action.APPROVE, by)
    _tell_filers(report, Notification.Kind.APPROVED)
    return report


def _make_public(report: Report, by: User | None, change_note: str, published_at: datetime.datetime) -> Publication:
    """The last submitted version becomes the public one: a new numbered publication, its PDF on its way, and
    the public entry brought in step, all in the caller's transaction."""
    revision = report.latest_revision()
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
    report = Report.objects.locked(report)
    _move(report, by, move="publish", perm="filing.publish_report", verb=_("公开发布"))
    if report.publications.exists() and not change_note.strip():
        raise FilingError(_("这是对已公开报告的更正，请填写向公众说明的更正说明。"))
    _make_public(report, by, change_note.strip(), timezone.now())
    _record(report, ReportEvent.Action.PUBLISH, by, change_note.strip())
    _tell_filers(report, Notification.Kind.PUBLISHED)
    return report


@transaction.atomic
def withdraw_report(*, report: Report, by: User, reason: str) -> Report:
    reason = _required(reason, _("撤回已公开的报告时必须填写向公众说明的理由。"))
    report = Report.objects.locked(report)
    _move(report, by, move="withdraw", perm="filing.withdraw_report", verb=_("撤回"))
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
    report = Report.objects.locked(report)
    _move(report, by, move="start_correction", perm="filing.correct_report", verb=_("发起更正"))
    report.save()
    _record(report, ReportEvent.Action.START_CORRECTION, by)
    return report


@transaction.atomic
def publish_archived_report(*, report: Report, published_at: datetime.datetime, by: User | None = None) -> Report:
    """Publish a past year's report that was already public before the portal existed. An operator's action
    (`import_report --publish`), so it is not asked of the permission rules."""
    report = Report.objects.locked(report)
    if not can_proceed(report.publish_archived):
        raise FilingError(_("只有草稿状态的报告才能作为往年报告直接发布。"))
    report.publish_archived()
    freeze_revision(report, by=by)
    report.submitted_at = published_at
    _make_public(report, by, "", published_at)
    _record(report, ReportEvent.Action.PUBLISH, by, _("往年已公开的报告"), actor_name=str(by or _("往年报告导入")))
    return report


@transaction.atomic
def import_archived_report(
    *, agency: Agency, year: int, data: bytes, file_name: str, replace: bool, by: User | None = None
) -> tuple[Report, ReportImport]:
    """Bring a past year's report in from its file and publish it as it was made public, or change nothing."""
    report, record = import_report_file(
        agency=agency, year=year, data=data, file_name=file_name, replace=replace, by=by, to_publish=True
    )
    try:
        publish_archived_report(report=report, published_at=published_at(record.snapshot), by=by)
    except FilingError as error:
        raise TransferError(str(error)) from None
    report.refresh_from_db()
    return report, record
