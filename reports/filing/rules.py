"""Who may do what to a report: the one place views, templates and tests ask.

Loaded by rules' autodiscovery; views call user.has_perm("filing.<perm>", report).
"""

import rules
from django.utils.translation import gettext as _

from reports.agencies.models import OwnReportApproval, ProvincePolicy, Region
from reports.filing.models import ReportContributor, ReportState


@rules.predicate
def is_agency_filer(user, report) -> bool:
    return report is not None and user.is_filer and report.agency_id == user.agency_id


@rules.predicate
def is_agency_signatory(user, report) -> bool:
    return report is not None and user.is_signatory and report.agency_id == user.agency_id


@rules.predicate
def is_jurisdiction_reviewer(user, report) -> bool:
    return report is not None and user.is_reviewer and user.agency.reviews(report.agency)


@rules.predicate
def is_readable_by_reviewers(user, report) -> bool:
    """Handed in at least once; a draft never submitted only where the province lets reviewers read those."""
    if report is None:
        return False
    if report.was_ever_submitted:
        return True
    return ProvincePolicy.objects.for_region(report.agency.region).reviewers_read_unsubmitted


@rules.predicate
def is_submitter(user, report) -> bool:
    """The person who handed the report in (a reviewer may also file their own department's report)."""
    return report is not None and report.submitted_by_id is not None and report.submitted_by_id == user.pk


@rules.predicate
def worked_on(user, report) -> bool:
    """Wrote in the report or handed it in, at any time (reports.filing.services.record_contributor)."""
    if report is None:
        return False
    return is_submitter(user, report) or ReportContributor.objects.filter(report=report, user_id=user.pk).exists()


@rules.predicate
def is_own_department_awaiting_the_level_above(user, report) -> bool:
    """A reviewer of the justice department whose own report only the department of the level above approves."""
    return (
        report is not None
        and user.agency_id == report.agency_id
        and report.own_report_approval() == OwnReportApproval.LEVEL_ABOVE
    )


@rules.predicate
def approved_first(user, report) -> bool:
    """Gave the first of the two approvals the version under review needs (ReportEvent FIRST_APPROVAL)."""
    return report is not None and report.first_approvals().filter(actor_id=user.pk).exists()


@rules.predicate
def is_region_administrator_reading_drafts(user, report) -> bool:
    """An administrator (管理员) reads a report of their own region, and only where the province lets
    administrators read drafts (ProvincePolicy.administrators_read_drafts); they never edit."""
    region = user.administered_region
    if report is None or region is None:
        return False
    if not Region.objects.within(region).filter(pk=report.agency.region_id).exists():
        return False
    return ProvincePolicy.objects.for_region(report.agency.region).administrators_read_drafts


@rules.predicate
def is_editable(user, report) -> bool:
    return report is not None and report.is_editable


@rules.predicate
def has_public_version(user, report) -> bool:
    return report is not None and report.is_public


def in_state(*states):
    @rules.predicate(name=f"in_state({','.join(states)})")
    def predicate(user, report) -> bool:
        return report is not None and report.state in states

    return predicate


is_agency_staff = is_agency_filer | is_agency_signatory
reviewer_may_read = is_jurisdiction_reviewer & is_readable_by_reviewers
under_review = in_state(ReportState.SUBMITTED, ReportState.IN_REVIEW)

rules.add_perm("filing.view_report", is_agency_staff | reviewer_may_read | is_region_administrator_reading_drafts)
rules.add_perm("filing.open_for_review", reviewer_may_read)
rules.add_perm("filing.edit_report", is_agency_filer & is_editable)
rules.add_perm("filing.submit_report", is_agency_filer & is_editable)
# Only a draft; whether it is empty (and so may go) is filing.services.may_delete_draft.
rules.add_perm("filing.delete_report", is_agency_filer & in_state(ReportState.DRAFT))
rules.add_perm("filing.sign_off_report", is_agency_signatory & in_state(ReportState.AWAITING_SIGN_OFF))
rules.add_perm("filing.start_review", is_jurisdiction_reviewer & in_state(ReportState.SUBMITTED))
rules.add_perm("filing.review_report", is_jurisdiction_reviewer & under_review)
# Separation of duties: who wrote in a report or handed it in may not approve it, and a justice department's own
# report is not approved by its own reviewers alone (the level above approves it, or a second reviewer confirms
# the first one's approval: workflow.actions.approve_report).
rules.add_perm(
    "filing.approve_report",
    is_jurisdiction_reviewer
    & under_review
    & ~worked_on
    & ~is_own_department_awaiting_the_level_above
    & ~approved_first,
)
# Four eyes: the one who submitted a report may not also make it public.
rules.add_perm("filing.publish_report", is_jurisdiction_reviewer & in_state(ReportState.APPROVED) & ~is_submitter)
# Always possible while a version is public, also while the agency corrects it.
rules.add_perm("filing.withdraw_report", is_jurisdiction_reviewer & has_public_version)
rules.add_perm(
    "filing.correct_report",
    (is_agency_filer | is_jurisdiction_reviewer) & in_state(ReportState.PUBLISHED, ReportState.WITHDRAWN),
)
rules.add_perm("filing.comment_report", reviewer_may_read | is_agency_filer)


def approval_refusal(user, report) -> str | None:
    """Why a reviewer who may review a report may not approve it, in words fit to show them; None if they may."""
    if worked_on(user, report):
        return _("您参与了这份报告的填写或报送，不能审核通过，请由其他审核人审核。")
    if is_own_department_awaiting_the_level_above(user, report):
        return _("本部门自己的报告须由上一级司法行政部门审核通过；本部门审核人可以提出意见或退回修改。")
    if approved_first(user, report):
        return _("您已初审通过这份报告，须由本部门另一名审核人复核。")
    return None
