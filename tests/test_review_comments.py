import pytest

from reports.filing import services
from reports.filing.models import ReportState
from reports.review import services as review
from reports.review.diff import diff_snapshots
from reports.workflow import actions
from tests.factories import report_in_state


@pytest.fixture
def under_review(places, cycle, sx_filer, sx_reviewer):
    return report_in_state(ReportState.IN_REVIEW, places.sx_emergency, cycle, sx_filer, sx_reviewer)


def test_a_comment_thread_survives_return_and_resubmission(under_review, sx_filer, sx_reviewer):
    comment = review.add_comment(
        report=under_review,
        by=sx_reviewer,
        section_key="rulings",
        point_label="行政复议",
        body="请写明行政复议案件数量。",
    )
    actions.return_report(report=under_review, by=sx_reviewer, reason="见意见。")
    review.reply_to_comment(comment=comment, by=sx_filer, body="已补充：作为被申请人的行政复议案件0件。")
    review.resolve_comment(comment=comment, by=sx_filer)
    actions.submit_report(report=under_review, by=sx_filer)
    threads = review.comment_threads(under_review)
    assert [(c.body, c.section_heading, c.is_open, c.revision_number) for c in threads] == [
        ("请写明行政复议案件数量。", "履行法院生效裁判情况", False, 1)
    ]
    assert [r.body for r in threads[0].replies.all()] == ["已补充：作为被申请人的行政复议案件0件。"]


def test_a_comment_needs_a_section_and_text(under_review, sx_reviewer):
    with pytest.raises(services.FilingError, match="请选择"):
        review.add_comment(report=under_review, by=sx_reviewer, section_key="nonexistent", body="意见")
    with pytest.raises(services.FilingError, match="不能为空"):
        review.add_comment(report=under_review, by=sx_reviewer, section_key="duties", body="  ")


def test_the_filer_sees_the_return_reason_and_comments_in_the_inbox(under_review, sx_filer, sx_reviewer):
    review.add_comment(report=under_review, by=sx_reviewer, section_key="duties", body="请补充述法情况。")
    actions.return_report(report=under_review, by=sx_reviewer, reason="第三部分过于简略。")
    notification = sx_filer.notifications.get(kind="returned")
    assert "第三部分过于简略。" in notification.body
    assert "【党政主要负责人履行推进法治建设第一责任人职责情况】请补充述法情况。" in notification.body


def test_a_reviewer_outside_the_jurisdiction_cannot_comment(client, under_review, cz_reviewer):
    client.force_login(cz_reviewer)
    response = client.post(
        f"/review/reports/{under_review.pk}/comments/", {"section_key": "duties", "body": "越权意见"}
    )
    assert response.status_code == 404
    assert not under_review.comments.exists()


def test_another_agencys_filer_cannot_resolve_a_comment(client, under_review, sx_reviewer, cz_filer):
    comment = review.add_comment(report=under_review, by=sx_reviewer, section_key="duties", body="意见")
    client.force_login(cz_filer)
    assert client.post(f"/review/comments/{comment.pk}/resolve/").status_code == 404
    comment.refresh_from_db()
    assert comment.is_open


def test_the_reviewer_sees_what_the_filer_changed_after_a_return(client, under_review, sx_filer, sx_reviewer):
    actions.return_report(report=under_review, by=sx_reviewer, reason="请补充。")
    under_review.sections.filter(key="duties").update(text="厅主要负责人定期听取法治工作汇报，全年4次。")
    actions.submit_report(report=under_review, by=sx_filer)
    first, second = under_review.revisions.order_by("number")
    changed = [d for d in diff_snapshots(first.content, second.content) if d.changed]
    assert [d.key for d in changed] == ["duties"]
    row = next(r for r in changed[0].rows if r.kind != "equal")
    assert "<ins>" in row.new and "全年4次" in row.new
    client.force_login(sx_reviewer)
    page = client.get(f"/review/reports/{under_review.pk}/").content.decode()
    assert "与上次报送比较" in page and "全年4次" in page


def test_the_diff_escapes_what_the_filer_typed():
    def snap(text):
        return {
            "sections": [
                {
                    "key": "duties",
                    "heading": "职责",
                    "folded": False,
                    "nothing_to_report": False,
                    "text": [text],
                    "content": {},
                }
            ]
        }

    diffs = diff_snapshots(snap("原文"), snap("<script>alert(1)</script>"))
    row = next(r for d in diffs for r in d.rows if r.kind != "equal")
    assert "<script>" not in row.new and "&lt;script&gt;" in row.new


def test_the_reviewer_can_compare_with_last_years_report(client, places, sx_filer, sx_reviewer):
    last_year = services.open_cycle(year=2023)
    this_year = services.open_cycle(year=2024)
    report_in_state(ReportState.PUBLISHED, places.sx_emergency, last_year, sx_filer, sx_reviewer)
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, this_year, sx_filer, sx_reviewer)
    report.sections.filter(key="plans").update(text="2025年，继续加强执法监督。")
    client.force_login(sx_reviewer)
    page = client.get(f"/review/reports/{report.pk}/").content.decode()
    assert "与上年度报告比较" in page
    assert "平台中没有该机关上一年度的报告" not in page
