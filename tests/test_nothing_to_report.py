"""“本年度无此项内容” never hides what was written: saving it beside text asks which stands, the check list stops
the submission until the filer chooses, and the parts no report may lack do not offer the box."""

import pytest

from reports.filing.checks import check_report
from reports.filing.document import compose_document
from reports.filing.errors import FilingError
from reports.filing.models import ReportSection
from reports.filing.snapshot import snapshot_of
from reports.shortcomings.models import Shortcoming
from reports.workflow import actions
from tests.factories import fill_required_sections
from tests.section_forms import items_post, measures_post

LONG = "全面推行行政执法三项制度，" * 400


def _url(report, key):
    return f"/work/reports/{report.pk}/sections/{key}/"


def test_ticking_the_box_on_a_section_with_points_still_prints_every_point(sx_draft):
    fill_required_sections(sx_draft)
    snapshot = snapshot_of(sx_draft)
    measures = next(entry for entry in snapshot["sections"] if entry["key"] == "measures")
    measures["text"] = []
    measures["nothing_to_report"] = True
    measures["content"] = {"chapters": [{"heading": "", "points": [{"heading": "强化组织领导", "paragraphs": [LONG]}]}]}
    text = compose_document(snapshot).plain_text()
    assert LONG in text
    assert "本年度无此项情况" not in text


def test_saving_the_box_beside_text_asks_which_stands_and_saves_nothing_yet(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="shortcomings")
    client.force_login(sx_filer)
    rows = [{"description": "部分干部运用法治方式的能力还不足。", "cause": "学习培训不够。"}]
    data = items_post(section, "items", rows, ("description", "cause"), text="概述一段。", nothing_to_report=True)
    response = client.post(_url(sx_draft, "shortcomings"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请选择以哪一个为准" in page
    assert "部分干部运用法治方式的能力还不足。" in page and "概述一段。" in page
    section.refresh_from_db()
    assert (section.text, section.nothing_to_report, Shortcoming.objects.count()) == ("", False, 0)


def test_choosing_to_keep_the_content_unticks_the_box(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="shortcomings")
    client.force_login(sx_filer)
    rows = [{"description": "能力还不足。", "cause": ""}]
    data = items_post(section, "items", rows, ("description", "cause"), text="概述。", nothing_to_report=True)
    client.post(_url(sx_draft, "shortcomings"), {**data, "frame-declaration": "keep"})
    section.refresh_from_db()
    assert (section.text, section.nothing_to_report) == ("概述。", False)
    assert list(Shortcoming.objects.values_list("description", flat=True)) == ["能力还不足。"]


def test_choosing_nothing_to_report_empties_the_section_and_prints_the_declaration(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="shortcomings")
    client.force_login(sx_filer)
    rows = [{"description": "能力还不足。", "cause": ""}]
    data = items_post(section, "items", rows, ("description", "cause"), text="概述。", nothing_to_report=True)
    client.post(_url(sx_draft, "shortcomings"), {**data, "frame-declaration": "nothing"})
    section.refresh_from_db()
    assert (section.text, section.nothing_to_report, Shortcoming.objects.count()) == ("", True, 0)
    assert "本年度无此项情况。" in compose_document(snapshot_of(sx_draft)).plain_text()


def test_declaring_nothing_on_rulings_keeps_the_counts_that_are_not_printed(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="rulings")
    client.force_login(sx_filer)
    data = {
        "frame-heading": section.heading,
        "frame-text": "本年度没有案件。",
        "frame-version": str(section.version),
        "frame-nothing_to_report": "on",
        "frame-declaration": "nothing",
        "figures-hearings": "0",
    }
    client.post(_url(sx_draft, "rulings"), data)
    section.refresh_from_db()
    assert (section.text, section.nothing_to_report, section.court_figures.hearings) == ("", True, 0)


def test_a_section_holding_both_stops_the_submission_until_the_filer_chooses(sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    ReportSection.objects.filter(report=sx_draft, key="plans").update(nothing_to_report=True)
    check = check_report(sx_draft)
    plans = next(s for s in check.sections if s.key == "plans")
    assert plans.state == "undecided"
    assert "选择之前不能报送" in plans.findings[0]
    with pytest.raises(FilingError, match="勾选了“本年度无此项内容”，却仍填有内容"):
        actions.submit_report(report=sx_draft, by=sx_filer)
    ReportSection.objects.filter(report=sx_draft, key="plans").update(nothing_to_report=False)
    actions.submit_report(report=sx_draft, by=sx_filer)


@pytest.mark.parametrize("key", ["measures", "duties"])
def test_the_parts_no_report_may_lack_do_not_offer_the_box(client, sx_draft, sx_filer, key):
    client.force_login(sx_filer)
    assert "本年度无此项内容" not in client.get(_url(sx_draft, key)).content.decode()
    assert "本年度无此项内容" in client.get(_url(sx_draft, "rulings")).content.decode()


def test_a_part_no_report_may_lack_declared_empty_by_an_import_is_missing_and_can_be_unticked(
    client, sx_draft, sx_filer
):
    ReportSection.objects.filter(report=sx_draft, key="measures").update(nothing_to_report=True)
    measures = next(s for s in check_report(sx_draft).sections if s.key == "measures")
    assert measures.is_missing
    assert "不能声明“本年度无此项内容”" in measures.findings[0]
    client.force_login(sx_filer)
    page = client.get(_url(sx_draft, "measures")).content.decode()
    assert "请取消勾选并填写" in page
    section = sx_draft.sections.get(key="measures")
    chapters = [{"heading": "", "points": [{"heading": "强化组织领导", "body": "研究审定工作要点。"}]}]
    client.post(_url(sx_draft, "measures"), measures_post(section, chapters))
    section.refresh_from_db()
    assert section.nothing_to_report is False
