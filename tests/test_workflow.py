import datetime

import pytest
from django.db import IntegrityError

from reports.filing import services
from reports.filing.models import Report, ReportEvent, ReportSection, ReportState
from reports.rendering.models import PdfRendition
from reports.workflow import actions
from tests.factories import filer_of, fill_required_sections, submitted_report


def test_cycle_defaults_to_first_of_march_and_april_of_the_next_year(cycle):
    assert cycle.due_date == datetime.date(2025, 3, 1)
    assert cycle.publication_deadline == datetime.date(2025, 4, 1)
    assert [s.key for s in cycle.sections.all()] == ["measures", "shortcomings", "duties", "rulings", "plans"]


def test_new_report_has_default_title_signature_and_every_section(sx_draft):
    assert sx_draft.title == "关于2024年度法治政府建设情况的报告"
    assert sx_draft.signature == "山西省应急管理厅"
    assert sx_draft.state == ReportState.DRAFT
    assert sx_draft.sections.count() == 5


def test_the_database_allows_one_report_per_agency_per_cycle(sx_draft):
    with pytest.raises(IntegrityError):
        Report.objects.create(agency=sx_draft.agency, cycle=sx_draft.cycle, title="重复")


def test_starting_a_report_twice_returns_the_same_report(sx_draft):
    assert services.start_report(agency=sx_draft.agency, cycle=sx_draft.cycle) == sx_draft


def test_submit_is_refused_until_required_sections_are_filled(sx_draft, sx_filer):
    with pytest.raises(services.FilingError, match="尚未填写") as error:
        actions.submit_report(report=sx_draft, by=sx_filer)
    assert "履行法院生效裁判情况" in str(error.value)
    sx_draft.refresh_from_db()
    assert sx_draft.state == ReportState.DRAFT


def test_declaring_nothing_to_report_satisfies_a_required_section(sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    ReportSection.objects.filter(report=sx_draft, key="rulings").update(text="", nothing_to_report=True)
    actions.submit_report(report=sx_draft, by=sx_filer)
    sx_draft.refresh_from_db()
    assert sx_draft.state == ReportState.SUBMITTED


def test_submission_freezes_a_snapshot_that_later_edits_do_not_change(sx_draft, sx_filer, sx_reviewer):
    fill_required_sections(sx_draft)
    revision = actions.submit_report(report=sx_draft, by=sx_filer)
    actions.return_report(report=sx_draft, by=sx_reviewer, reason="请补充执法数据。")
    ReportSection.objects.filter(report=sx_draft, key="measures").update(text="修改后的内容")
    revision.refresh_from_db()
    measures = next(s for s in revision.content["sections"] if s["key"] == "measures")
    assert measures["text"] == ["推进法治政府建设的主要举措和成效：本年度按要求推进各项工作。"]


def test_a_double_clicked_submit_acts_once(sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    actions.submit_report(report=sx_draft, by=sx_filer)
    with pytest.raises(services.FilingError, match="已经报送"):
        actions.submit_report(report=sx_draft, by=sx_filer)
    assert sx_draft.revisions.count() == 1
    assert sx_draft.events.filter(action=ReportEvent.Action.SUBMIT).count() == 1


def test_returning_needs_a_reason_and_reopens_the_report(places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    with pytest.raises(services.FilingError, match="必须填写理由"):
        actions.return_report(report=report, by=sx_reviewer, reason="  ")
    actions.return_report(report=report, by=sx_reviewer, reason="第四部分缺少案件数量。")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.is_editable
    assert report.return_reason == "第四部分缺少案件数量。"


def test_resubmitting_after_a_return_takes_a_second_snapshot(places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    actions.submit_report(report=report, by=sx_filer)
    assert list(report.revisions.values_list("number", flat=True)) == [1, 2]


def test_a_draft_cannot_be_approved_or_published(sx_draft, sx_reviewer):
    with pytest.raises(services.FilingError, match="不能审核通过"):
        actions.approve_report(report=sx_draft, by=sx_reviewer)
    with pytest.raises(services.FilingError, match="不能公开发布"):
        actions.publish_report(report=sx_draft, by=sx_reviewer)


def test_publishing_points_the_public_at_the_approved_snapshot_and_asks_for_its_pdf(
    places, cycle, sx_filer, sx_reviewer, django_capture_on_commit_callbacks
):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    actions.approve_report(report=report, by=sx_reviewer)
    with django_capture_on_commit_callbacks() as callbacks:
        actions.publish_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert report.published_revision == report.revisions.get(number=1)
    assert PdfRendition.objects.get(report=report).content_hash == report.published_revision.content_hash
    assert [cb for cb in callbacks if cb.__module__ == "reports.rendering.services"], "the PDF is queued on commit"


def test_the_audit_trail_keeps_who_acted_after_the_user_is_removed(places, cycle, sx_filer, sx_reviewer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    sx_reviewer.delete()
    events = list(report.events.values_list("action", "actor_name", "reason"))
    assert events == [("submit", "sx-yjglt-filer", ""), ("return", "sx-sft-reviewer", "请补充。")]


def test_a_report_with_imported_text_still_unplaced_cannot_be_submitted(sx_draft, sx_filer):
    from reports.transfer.models import ReportImport, UnplacedText

    fill_required_sections(sx_draft)
    source = ReportImport.objects.create(
        report=sx_draft, file_name="草稿.docx", snapshot={}, summary={}, report_version=sx_draft.version
    )
    leftover = UnplacedText.objects.create(report=sx_draft, source=source, position=1, text="无法归类的一段文字。")
    with pytest.raises(services.FilingError, match="未归入任何部分的文字"):
        actions.submit_report(report=sx_draft, by=sx_filer)
    leftover.delete()
    actions.submit_report(report=sx_draft, by=sx_filer)
    sx_draft.refresh_from_db()
    assert sx_draft.state == ReportState.SUBMITTED


def test_a_province_sets_its_own_required_sections_for_its_agencies(places, cycle, sx_filer):
    from reports.agencies.models import Role
    from reports.filing.models import CycleSection
    from tests.factories import make_user

    national = list(CycleSection.objects.filter(cycle=cycle, region=None))
    CycleSection.objects.bulk_create(
        CycleSection(
            cycle=cycle,
            region=places.hebei,
            key=cs.key,
            position=cs.position,
            heading="2024年推进法治政府建设的主要安排" if cs.key == "plans" else cs.heading,
            required=cs.key != "rulings",
        )
        for cs in national
    )
    hebei_filer = make_user("hb-filer", places.hb_emergency, Role.FILER)
    hebei = fill_required_sections(services.start_report(agency=places.hb_emergency, cycle=cycle))
    assert hebei.sections.get(key="plans").heading == "2024年推进法治政府建设的主要安排"
    hebei.sections.filter(key="rulings").update(text="")
    actions.submit_report(report=hebei, by=hebei_filer)
    hebei.refresh_from_db()
    assert hebei.state == ReportState.SUBMITTED

    shanxi = fill_required_sections(services.start_report(agency=places.cz_emergency, cycle=cycle))
    shanxi.sections.filter(key="rulings").update(text="")
    with pytest.raises(services.FilingError, match="履行法院生效裁判情况"):
        actions.submit_report(report=shanxi, by=filer_of(places.cz_emergency))
