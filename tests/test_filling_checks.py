import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.filing import services
from reports.filing.checks import check_report, missing_sections
from reports.filing.models import CycleSection, ReportSection, ReportState
from reports.filing.snapshot import snapshot_of
from reports.workflow import actions
from tests.factories import fill_required_sections

ALL = [
    "推进法治政府建设的主要举措和成效",
    "推进法治政府建设存在的不足和原因",
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "履行法院生效裁判情况",
    "下一年度推进法治政府建设的主要安排",
]


def test_a_new_report_misses_every_required_section_in_the_cycles_order(sx_draft):
    assert missing_sections(sx_draft) == ALL
    assert {s.state for s in check_report(sx_draft).sections} == {"empty"}


def test_a_section_the_cycle_does_not_require_is_never_missing(sx_draft, cycle):
    CycleSection.objects.filter(cycle=cycle, key="rulings").update(required=False)
    assert "履行法院生效裁判情况" not in missing_sections(sx_draft)


def test_the_cycles_order_is_the_order_of_the_checks_and_of_the_snapshot(sx_draft, cycle):
    CycleSection.objects.filter(cycle=cycle, key="plans").update(position=0)
    assert missing_sections(sx_draft)[0] == "下一年度推进法治政府建设的主要安排"
    assert snapshot_of(sx_draft)["sections"][0]["key"] == "plans"
    assert check_report(sx_draft).sections[0].key == "plans"


def test_a_section_left_without_a_heading_takes_the_cycles(sx_draft, cycle):
    CycleSection.objects.filter(cycle=cycle, key="rulings").update(heading="履行法院生效裁判和出庭应诉情况")
    ReportSection.objects.filter(report=sx_draft, key="rulings").update(heading="", text="本年度无行政诉讼案件。")
    entry = next(s for s in snapshot_of(sx_draft)["sections"] if s["key"] == "rulings")
    assert entry["heading"] == "履行法院生效裁判和出庭应诉情况"


def test_nothing_to_report_satisfies_a_required_section_and_text_beside_it_is_pointed_out(sx_draft):
    ReportSection.objects.filter(report=sx_draft, key="rulings").update(nothing_to_report=True)
    ReportSection.objects.filter(report=sx_draft, key="duties").update(nothing_to_report=True, text="仍有正文。")
    sections = {s.key: s for s in check_report(sx_draft).sections}
    assert sections["rulings"].state == "nothing" and not sections["rulings"].is_missing
    assert sections["duties"].state == "undecided"
    assert sections["duties"].findings[0].startswith("已勾选“本年度无此项内容”，但本部分仍填有内容")


def test_a_folded_section_still_needs_something_to_fold(sx_draft):
    ReportSection.objects.filter(report=sx_draft, key="shortcomings").update(folded=True)
    shortcomings = next(s for s in check_report(sx_draft).sections if s.key == "shortcomings")
    assert shortcomings.is_missing


def test_warnings_never_stop_a_submission_only_missing_sections_do(sx_draft, sx_filer):
    with pytest.raises(services.FilingError, match="尚未填写"):
        actions.submit_report(report=sx_draft, by=sx_filer)
    fill_required_sections(sx_draft)
    check = check_report(sx_draft)
    assert check.missing == [] and check.warning_count > 0
    actions.submit_report(report=sx_draft, by=sx_filer)
    sx_draft.refresh_from_db()
    assert sx_draft.state == ReportState.SUBMITTED


def test_a_section_the_cycle_gained_after_the_report_was_started_is_added_and_must_be_filled(
    client, sx_draft, sx_filer
):
    # The cycle did not ask for court rulings when the report was started.
    rulings = CycleSection.objects.get(cycle=sx_draft.cycle, key="rulings")
    rulings.delete()
    ReportSection.objects.filter(report=sx_draft, key="rulings").delete()
    fill_required_sections(sx_draft)
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    assert 'data-key="rulings"' not in page
    # Then the cycle asks for it (in the admin, or the province's console), and the report shows it to be filled.
    rulings.pk = None
    rulings.save()
    assert services.apply_cycle_sections(cycle=sx_draft.cycle) == 1
    page = client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    assert 'data-key="rulings" data-state="empty"' in page
    with pytest.raises(services.FilingError, match="履行法院生效裁判情况"):
        actions.submit_report(report=sx_draft, by=sx_filer)
    assert sx_draft.sections.count() == len(ALL)


def test_a_section_row_missing_for_any_reason_is_added_before_submission_is_checked(sx_draft, sx_filer):
    ReportSection.objects.filter(report=sx_draft, key="rulings").delete()
    fill_required_sections(sx_draft)
    with pytest.raises(services.FilingError, match="履行法院生效裁判情况"):
        actions.submit_report(report=sx_draft, by=sx_filer)


def _writes(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_reading_a_report_writes_nothing(client, sx_draft, sx_filer, sx_reviewer):
    """A GET never writes, not even to add a section row that is missing."""
    ReportSection.objects.filter(report=sx_draft, key="rulings").delete()
    client.force_login(sx_filer)
    for url in ("/work/", f"/work/reports/{sx_draft.pk}/", f"/work/reports/{sx_draft.pk}/preview/"):
        assert _writes(client, url) == [], url
    assert not sx_draft.sections.filter(key="rulings").exists()
    services.add_missing_sections(sx_draft)
    fill_required_sections(sx_draft)
    actions.submit_report(report=sx_draft, by=sx_filer)
    client.force_login(sx_reviewer)
    for url in ("/review/", f"/review/reports/{sx_draft.pk}/", f"/work/reports/{sx_draft.pk}/"):
        assert _writes(client, url) == [], url


def test_the_check_before_submitting_asks_for_the_signature_and_the_date(client, sx_draft, sx_filer):
    # As the provincial sample: no signature, no date; the required sections filled.
    fill_required_sections(sx_draft)
    type(sx_draft).objects.filter(pk=sx_draft.pk).update(signature="", signed_on=None)
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    card = page[page.index('id="check-before-submit"') :]
    card = card[: card.index("</form>")]
    assert "落款（机关名称）未填写。" in card and "成文日期未填写。" in card
    assert "报送审核</button>" in card and "disabled" not in card  # a reminder: the filer may still submit
    type(sx_draft).objects.filter(pk=sx_draft.pk).update(signature="山西省应急管理厅", signed_on="2024-01-20")
    page = client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    assert "data-check-details" not in page
