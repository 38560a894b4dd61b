"""Every transition of the review workflow, allowed and forbidden, for every role."""

import pytest

from reports.agencies.models import Role
from reports.filing import services
from reports.filing.models import Report, ReportEvent, ReportState
from reports.workflow import actions
from tests.factories import fill_required_sections, make_user, report_in_state

S = ReportState
ALL_STATES = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.APPROVED, S.PUBLISHED, S.WITHDRAWN]

# permission → (states in which it is granted, the roles it is granted to)
EXPECTED = {
    "filing.edit_report": ({S.DRAFT, S.RETURNED}, {"filer"}),
    "filing.submit_report": ({S.DRAFT, S.RETURNED}, {"filer"}),
    "filing.start_review": ({S.SUBMITTED}, {"reviewer"}),
    "filing.review_report": ({S.SUBMITTED, S.IN_REVIEW}, {"reviewer"}),
    "filing.publish_report": ({S.APPROVED}, {"reviewer"}),
    "filing.withdraw_report": ({S.PUBLISHED}, {"reviewer"}),
    "filing.correct_report": ({S.PUBLISHED}, {"filer", "reviewer"}),
}


@pytest.fixture
def actors(places, sx_filer, sx_reviewer, cz_filer, cz_reviewer):
    return {
        "filer": sx_filer,
        "reviewer": sx_reviewer,
        "other agency's filer": cz_filer,
        "reviewer outside the jurisdiction": cz_reviewer,
        "signatory": make_user("sx-yjglt-head", places.sx_emergency, Role.SIGNATORY),
    }


@pytest.mark.parametrize("state", ALL_STATES)
def test_each_role_may_do_exactly_what_the_workflow_allows_in_each_state(places, cycle, actors, state):
    report = report_in_state(state, places.sx_emergency, cycle, actors["filer"], actors["reviewer"])
    assert report.state == state
    for perm, (states, roles) in EXPECTED.items():
        for role, user in actors.items():
            expected = state in states and role in roles
            assert user.has_perm(perm, report) is expected, f"{role} {perm} in {state}"


@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED, S.APPROVED, S.PUBLISHED, S.WITHDRAWN])
def test_a_report_not_under_review_cannot_be_returned_or_approved(places, cycle, sx_filer, sx_reviewer, state):
    report = report_in_state(state, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    with pytest.raises(services.FilingError, match="不能退回"):
        actions.return_report(report=report, by=sx_reviewer, reason="理由")
    with pytest.raises(services.FilingError, match="不能审核通过"):
        actions.approve_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == state


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.PUBLISHED, S.WITHDRAWN])
def test_only_an_approved_report_can_be_published(places, cycle, sx_filer, sx_reviewer, sx_second_reviewer, state):
    report = report_in_state(state, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    with pytest.raises(services.FilingError, match="不能公开发布"):
        actions.publish_report(report=report, by=sx_second_reviewer)


def test_the_review_goes_from_submitted_through_in_review_to_approved(places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(S.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.start_review(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert (report.state, report.reviewer) == (S.IN_REVIEW, sx_reviewer)
    actions.approve_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == S.APPROVED


def test_a_second_reviewer_acting_on_a_handled_report_is_told_and_nothing_changes(
    places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = report_in_state(S.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    stale_copy = Report.objects.get(pk=report.pk)
    actions.approve_report(report=report, by=sx_reviewer)
    with pytest.raises(services.FilingError, match="可能已有其他人处理"):
        actions.return_report(report=stale_copy, by=sx_second_reviewer, reason="另一位审核人的意见")
    report.refresh_from_db()
    assert report.state == S.APPROVED
    assert not report.events.filter(action=ReportEvent.Action.RETURN).exists()


def test_a_double_clicked_approve_acts_once(places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(S.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.approve_report(report=report, by=sx_reviewer)
    with pytest.raises(services.FilingError):
        actions.approve_report(report=report, by=sx_reviewer)
    assert report.events.filter(action=ReportEvent.Action.APPROVE).count() == 1


def test_the_submitter_cannot_publish_their_own_report(places, cycle, sx_reviewer, sx_second_reviewer):
    justice_filer = make_user("sx-sft-filer", places.sx_justice)
    report = report_in_state(S.SUBMITTED, places.sx_justice, cycle, justice_filer, sx_reviewer)
    report.submitted_by = sx_reviewer  # a reviewer who also filed their own department's report
    report.save(update_fields=["submitted_by"])
    actions.approve_report(report=report, by=sx_second_reviewer)
    with pytest.raises(services.FilingError, match="不能由报送人本人公开发布"):
        actions.publish_report(report=report, by=sx_reviewer)
    actions.publish_report(report=report, by=sx_second_reviewer)
    report.refresh_from_db()
    assert report.state == S.PUBLISHED


def test_withdrawing_needs_a_public_reason_and_hides_the_report(client, places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(S.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    with pytest.raises(services.FilingError, match="必须填写"):
        actions.withdraw_report(report=report, by=sx_reviewer, reason="")
    actions.withdraw_report(report=report, by=sx_reviewer, reason="数据有误，将更正后重新发布。")
    assert not Report.objects.published().filter(pk=report.pk).exists()


def test_a_correction_is_reviewed_again_and_republished_as_a_new_version_with_a_note(
    places, cycle, sx_filer, sx_reviewer
):
    report = report_in_state(S.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first_version = report.published_revision
    actions.start_correction(report=report, by=sx_filer)
    report.refresh_from_db()
    assert report.state == S.DRAFT and report.is_editable
    assert Report.objects.published().filter(pk=report.pk).exists(), "the public keeps the last version meanwhile"
    report.sections.filter(key="duties").update(text="更正后的第一责任人履职情况。")
    actions.submit_report(report=report, by=sx_filer)
    actions.approve_report(report=report, by=sx_reviewer)
    with pytest.raises(services.FilingError, match="更正说明"):
        actions.publish_report(report=report, by=sx_reviewer)
    actions.publish_report(report=report, by=sx_reviewer, change_note="更正了第三部分的表述。")
    report.refresh_from_db()
    versions = list(report.publications.values_list("number", "change_note"))
    assert versions == [(1, ""), (2, "更正了第三部分的表述。")]
    assert report.published_revision != first_version
    assert report.publications.get(number=1).revision == first_version


def test_with_sign_off_the_agency_head_submits_after_the_filer(places, cycle, sx_filer, sx_reviewer):
    cycle.requires_sign_off = True
    cycle.save()
    head = make_user("sx-yjglt-head", places.sx_emergency, Role.SIGNATORY)
    report = fill_required_sections(services.start_report(agency=places.sx_emergency, cycle=cycle))
    assert actions.submit_report(report=report, by=sx_filer) is None
    report.refresh_from_db()
    assert report.state == S.AWAITING_SIGN_OFF and not report.revisions.exists()
    assert not sx_filer.has_perm("filing.sign_off_report", report)
    assert head.has_perm("filing.sign_off_report", report)
    actions.sign_off_report(report=report, by=head)
    report.refresh_from_db()
    assert (report.state, report.submitted_by) == (S.SUBMITTED, head)
    assert report.revisions.count() == 1


def test_a_declined_sign_off_goes_back_to_the_filer_with_the_reason(places, cycle, sx_filer):
    cycle.requires_sign_off = True
    cycle.save()
    head = make_user("sx-yjglt-head", places.sx_emergency, Role.SIGNATORY)
    report = fill_required_sections(services.start_report(agency=places.sx_emergency, cycle=cycle))
    actions.submit_report(report=report, by=sx_filer)
    actions.decline_sign_off(report=report, by=head, reason="第二部分写得太简略。")
    report.refresh_from_db()
    assert report.state == S.RETURNED and report.return_reason == "第二部分写得太简略。"


def test_after_the_due_date_a_filer_can_still_submit_and_it_is_marked_late(places, cycle, sx_filer):
    cycle.due_date = cycle.due_date.replace(year=2020)
    cycle.save()
    report = fill_required_sections(services.start_report(agency=places.sx_emergency, cycle=cycle))
    actions.submit_report(report=report, by=sx_filer)
    report.refresh_from_db()
    assert report.state == S.SUBMITTED and report.submitted_late


def test_every_transition_is_in_the_audit_trail_with_who_and_why(
    places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = report_in_state(S.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.submit_report(report=report, by=sx_filer)
    actions.start_review(report=report, by=sx_second_reviewer)
    actions.approve_report(report=report, by=sx_second_reviewer)
    actions.publish_report(report=report, by=sx_reviewer)
    actions.withdraw_report(report=report, by=sx_reviewer, reason="撤回理由")
    trail = list(report.events.values_list("action", "actor_name", "reason"))
    assert trail == [
        ("submit", "sx-yjglt-filer", ""),
        ("return", "sx-sft-reviewer", "请补充执法数据。"),
        ("submit", "sx-yjglt-filer", ""),
        ("start_review", "sx-sft-reviewer-2", ""),
        ("approve", "sx-sft-reviewer-2", ""),
        ("publish", "sx-sft-reviewer", ""),
        ("withdraw", "sx-sft-reviewer", "撤回理由"),
    ]


def test_the_agency_head_signs_off_from_the_report_page(client, places, cycle, sx_filer):
    cycle.requires_sign_off = True
    cycle.save()
    head = make_user("sx-yjglt-head", places.sx_emergency, Role.SIGNATORY)
    report = fill_required_sections(services.start_report(agency=places.sx_emergency, cycle=cycle))
    actions.submit_report(report=report, by=sx_filer)
    client.force_login(sx_filer)
    response = client.post(f"/work/reports/{report.pk}/sign-off/", follow=True)
    assert "您无权" in response.content.decode()
    client.force_login(head)
    response = client.post(f"/work/reports/{report.pk}/sign-off/", follow=True)
    assert "已签发" in response.content.decode()
    report.refresh_from_db()
    assert report.state == S.SUBMITTED


def test_a_filer_starts_a_correction_of_their_published_report(client, places, cycle, sx_filer, cz_filer, sx_reviewer):
    report = report_in_state(S.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(cz_filer)
    assert client.post(f"/work/reports/{report.pk}/correct/").status_code == 404
    client.force_login(sx_filer)
    client.post(f"/work/reports/{report.pk}/correct/")
    report.refresh_from_db()
    assert report.state == S.DRAFT
