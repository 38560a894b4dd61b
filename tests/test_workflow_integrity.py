"""The workflow holds together: a public version can always be withdrawn, a withdrawn report is corrected and
republished, nobody approves what they wrote, a justice department's own report needs an approval beyond its own
reviewers, and reviewers read drafts never submitted only where the province allows it."""

import pytest
from django.contrib.messages import get_messages

from reports.agencies.models import OwnReportApproval, ProvincePolicy, Role
from reports.filing import services
from reports.filing.errors import FilingError
from reports.filing.models import Report, ReportEvent, ReportState
from reports.notifications.models import Notification
from reports.publication import compliance
from reports.workflow import actions
from tests.factories import fill_required_sections, make_user, report_in_state
from tests.publishing import publish
from tests.section_forms import frame

S = ReportState


def _in_correction(state, report, filer, reviewer):
    """Walk a published report's correction to `state`."""
    actions.start_correction(report=report, by=filer)
    report.sections.filter(key="duties").update(text="更正中的职责情况。")
    steps = {
        S.DRAFT: [],
        S.SUBMITTED: ["submit"],
        S.IN_REVIEW: ["submit", "start"],
        S.RETURNED: ["submit", "return"],
        S.APPROVED: ["submit", "approve"],
    }[state]
    for step in steps:
        {
            "submit": lambda: actions.submit_report(report=report, by=filer),
            "start": lambda: actions.start_review(report=report, by=reviewer),
            "return": lambda: actions.return_report(report=report, by=reviewer, reason="请再改。"),
            "approve": lambda: actions.approve_report(report=report, by=reviewer),
        }[step]()
    report.refresh_from_db()
    assert report.state == state
    return report


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.APPROVED])
def test_a_public_version_can_be_withdrawn_while_its_correction_is_under_way(
    client, places, cycle, sx_filer, sx_reviewer, state
):
    report = report_in_state(S.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    report = _in_correction(state, report, sx_filer, sx_reviewer)
    assert client.get("/published/2024/sx-yjglt/").status_code == 200
    assert sx_reviewer.has_perm("filing.withdraw_report", report)
    actions.withdraw_report(report=report, by=sx_reviewer, reason="原公开版本数据有误，正在更正。")
    report.refresh_from_db()
    assert report.state == state, "the correction goes on"
    assert report.is_withdrawn and not Report.objects.published().filter(pk=report.pk).exists()
    page = client.get("/published/2024/sx-yjglt/")
    assert page.status_code == 410 and "原公开版本数据有误" in page.content.decode()
    assert client.get("/api/v1/reports/2024/sx-yjglt/").status_code == 410
    with pytest.raises(FilingError, match="没有公开的版本"):
        actions.withdraw_report(report=report, by=sx_reviewer, reason="再撤一次。")


def test_withdrawal_during_a_correction_asked_through_the_review_page_is_done(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = report_in_state(S.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.start_correction(report=report, by=sx_filer)
    client.force_login(sx_reviewer)
    assert "撤回已公开的报告" in client.get(f"/review/reports/{report.pk}/").content.decode()
    response = client.post(f"/review/reports/{report.pk}/withdraw/", {"reason": "数据有误。"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["报告已撤回，公开页面将显示撤回说明。"]
    report.refresh_from_db()
    assert report.is_withdrawn and report.state == S.DRAFT


def test_a_withdrawn_report_is_corrected_reviewed_and_republished_as_a_new_version(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = report_in_state(S.WITHDRAWN, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert compliance.agency_rows(cycle, None, "").get(agency=places.sx_emergency).first_published_at is None
    client.force_login(sx_filer)
    assert "更正后重新发布" in client.get(f"/work/reports/{report.pk}/").content.decode()
    client.post(f"/work/reports/{report.pk}/correct/")
    report.refresh_from_db()
    assert report.state == S.DRAFT and report.is_editable
    assert client.get("/published/2024/sx-yjglt/").status_code == 410, "still withdrawn while it is corrected"
    report.sections.filter(key="duties").update(text="更正后重新公开的职责情况。")
    publish(report, sx_filer, sx_reviewer, change_note="更正了职责情况的数据后重新公开。")
    assert report.state == S.PUBLISHED and not report.is_withdrawn
    assert list(report.publications.values_list("number", "change_note")) == [
        (1, ""),
        (2, "更正了职责情况的数据后重新公开。"),
    ]
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "更正后重新公开的职责情况。" in page and "更正了职责情况的数据后重新公开。" in page
    row = compliance.agency_rows(cycle, None, "").get(agency=places.sx_emergency)
    assert row.first_published_at == report.publications.get(number=1).published_at and not row.withdrawn


def test_republishing_a_withdrawn_report_needs_a_change_note(places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(S.WITHDRAWN, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.start_correction(report=report, by=sx_filer)
    actions.submit_report(report=report, by=sx_filer)
    actions.approve_report(report=report, by=sx_reviewer)
    with pytest.raises(FilingError, match="更正说明"):
        actions.publish_report(report=report, by=sx_reviewer)


def test_who_wrote_in_a_report_may_not_approve_it_even_after_becoming_a_reviewer(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    writer = make_user("sx-sft-writer", places.sx_justice)
    report = services.start_report(agency=places.sx_justice, cycle=cycle)
    fill_required_sections(report)
    section = report.sections.get(key="duties")
    client.force_login(writer)
    client.post(f"/work/reports/{report.pk}/sections/duties/", frame(section, text="厅主要负责人听取汇报4次。"))
    section.refresh_from_db()
    assert section.text == "厅主要负责人听取汇报4次。"
    actions.submit_report(report=report, by=make_user("sx-sft-filer", places.sx_justice))
    report.refresh_from_db()
    writer.role = Role.REVIEWER
    writer.save()
    assert writer.has_perm("filing.review_report", report)
    assert not writer.has_perm("filing.approve_report", report)
    with pytest.raises(FilingError, match="参与了这份报告的填写或报送"):
        actions.approve_report(report=report, by=writer)
    client.force_login(writer)
    page = client.get(f"/review/reports/{report.pk}/").content.decode()
    assert "参与了这份报告的填写或报送" in page and "退回修改" in page


def test_who_handed_a_report_in_may_not_approve_it(places, cycle, sx_reviewer):
    justice_filer = make_user("cz-sfj-filer", places.cz_justice)
    report = report_in_state(S.SUBMITTED, places.cz_justice, cycle, justice_filer, sx_reviewer)
    justice_filer.role, justice_filer.agency = Role.REVIEWER, places.sx_justice
    justice_filer.save()
    with pytest.raises(FilingError, match="参与了这份报告的填写或报送"):
        actions.approve_report(report=report, by=justice_filer)


def test_a_city_justice_bureaus_own_report_is_approved_by_the_provincial_department(
    client, places, cycle, cz_reviewer, sx_reviewer
):
    """The default: the justice department of the level above approves; the bureau's own reviewers may comment
    and return it, and the provincial reviewers hear of it and find it in their workspace."""
    filer = make_user("cz-sfj-filer", places.cz_justice)
    report = report_in_state(S.SUBMITTED, places.cz_justice, cycle, filer, cz_reviewer)
    assert Notification.objects.filter(report=report, recipient=sx_reviewer, kind="submitted").exists()
    with pytest.raises(FilingError, match="上一级司法行政部门"):
        actions.approve_report(report=report, by=cz_reviewer)
    assert cz_reviewer.has_perm("filing.review_report", report)
    client.force_login(sx_reviewer)
    assert "长治市司法局" in client.get("/review/2024/").content.decode()
    actions.approve_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == S.APPROVED
    actions.publish_report(report=report, by=cz_reviewer)


def test_where_the_province_chose_a_second_reviewer_two_of_the_bureaus_reviewers_approve_its_report(
    client, places, cycle, cz_reviewer, sx_reviewer
):
    ProvincePolicy.objects.create(province=places.shanxi, own_report_approval=OwnReportApproval.SECOND_REVIEWER)
    second = make_user("cz-sfj-reviewer-2", places.cz_justice, Role.REVIEWER)
    report = report_in_state(
        S.SUBMITTED, places.cz_justice, cycle, make_user("cz-sfj-filer", places.cz_justice), cz_reviewer
    )
    assert not sx_reviewer.has_perm("filing.view_report", report), "the level above is not asked"
    client.force_login(cz_reviewer)
    response = client.post(f"/review/reports/{report.pk}/approve/")
    assert ["须由本部门另一名审核人复核" in str(m) for m in get_messages(response.wsgi_request)] == [True]
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW
    assert report.events.filter(action=ReportEvent.Action.FIRST_APPROVAL, actor=cz_reviewer).exists()
    assert Notification.objects.filter(report=report, recipient=second, kind="second_approval").exists()
    assert not cz_reviewer.has_perm("filing.approve_report", report)
    with pytest.raises(FilingError, match="另一名审核人复核"):
        actions.approve_report(report=report, by=cz_reviewer)
    client.force_login(second)
    assert "复核通过" in client.get(f"/review/reports/{report.pk}/").content.decode()
    actions.approve_report(report=report, by=second)
    report.refresh_from_db()
    assert report.state == S.APPROVED


def test_a_first_approval_does_not_carry_over_to_a_resubmission(places, cycle, cz_reviewer):
    ProvincePolicy.objects.create(province=places.shanxi, own_report_approval=OwnReportApproval.SECOND_REVIEWER)
    second = make_user("cz-sfj-reviewer-2", places.cz_justice, Role.REVIEWER)
    filer = make_user("cz-sfj-filer", places.cz_justice)
    report = report_in_state(S.SUBMITTED, places.cz_justice, cycle, filer, cz_reviewer)
    actions.approve_report(report=report, by=cz_reviewer)
    actions.return_report(report=report, by=second, reason="请补充。")
    actions.submit_report(report=report, by=filer)
    actions.approve_report(report=report, by=second)
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW, "the earlier first approval was of the earlier version"


def test_a_provincial_departments_own_report_needs_a_second_reviewer(places, cycle, sx_reviewer, sx_second_reviewer):
    report = report_in_state(
        S.SUBMITTED, places.sx_justice, cycle, make_user("sx-sft-filer", places.sx_justice), sx_reviewer
    )
    actions.approve_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW
    actions.approve_report(report=report, by=sx_second_reviewer)
    report.refresh_from_db()
    assert report.state == S.APPROVED


def test_reviewers_read_a_draft_never_submitted_only_where_the_province_allows_it(
    client, places, cycle, sx_draft, sx_filer, sx_reviewer
):
    client.force_login(sx_reviewer)
    for url in (
        f"/work/reports/{sx_draft.pk}/",
        f"/review/reports/{sx_draft.pk}/",
        f"/work/reports/{sx_draft.pk}/preview/",
    ):
        assert client.get(url).status_code == 404, url
    assert f'href="/review/reports/{sx_draft.pk}/"' not in client.get("/review/2024/").content.decode()
    ProvincePolicy.objects.create(province=places.shanxi, reviewers_read_unsubmitted=True)
    assert client.get(f"/review/reports/{sx_draft.pk}/").status_code == 200
    assert f'href="/review/reports/{sx_draft.pk}/"' in client.get("/review/2024/").content.decode()


def test_a_returned_report_stays_readable_to_its_reviewers(client, places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(S.RETURNED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_reviewer)
    assert client.get(f"/review/reports/{report.pk}/").status_code == 200
