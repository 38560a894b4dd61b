"""Who may do what to a report: the one place views, templates and tests ask.

Loaded by rules' autodiscovery; views call user.has_perm("filing.<perm>", report).
"""

import rules

from reports.agencies.models import Role
from reports.filing.models import ReportState


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
def is_submitter(user, report) -> bool:
    """The person who handed the report in (a reviewer may also file their own department's report)."""
    return report is not None and report.submitted_by_id is not None and report.submitted_by_id == user.pk


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMINISTRATOR)


@rules.predicate
def is_editable(user, report) -> bool:
    return report is not None and report.is_editable


def in_state(*states):
    @rules.predicate(name=f"in_state({','.join(states)})")
    def predicate(user, report) -> bool:
        return report is not None and report.state in states

    return predicate


is_agency_staff = is_agency_filer | is_agency_signatory

rules.add_perm("filing.view_report", is_agency_staff | is_jurisdiction_reviewer | is_administrator)
rules.add_perm("filing.open_for_review", is_jurisdiction_reviewer)
rules.add_perm("filing.edit_report", is_agency_filer & is_editable)
rules.add_perm("filing.submit_report", is_agency_filer & is_editable)
rules.add_perm("filing.sign_off_report", is_agency_signatory & in_state(ReportState.AWAITING_SIGN_OFF))
rules.add_perm("filing.start_review", is_jurisdiction_reviewer & in_state(ReportState.SUBMITTED))
rules.add_perm(
    "filing.review_report", is_jurisdiction_reviewer & in_state(ReportState.SUBMITTED, ReportState.IN_REVIEW)
)
# Four eyes: the one who submitted a report may not also make it public.
rules.add_perm("filing.publish_report", is_jurisdiction_reviewer & in_state(ReportState.APPROVED) & ~is_submitter)
rules.add_perm("filing.withdraw_report", is_jurisdiction_reviewer & in_state(ReportState.PUBLISHED))
rules.add_perm("filing.correct_report", (is_agency_filer | is_jurisdiction_reviewer) & in_state(ReportState.PUBLISHED))
rules.add_perm("filing.comment_report", is_jurisdiction_reviewer | is_agency_filer)
