import datetime

import pytest

from reports.demo.services import sample_snapshot
from reports.filing import services
from reports.filing.carry_over import can_carry_over, start_from_last_year
from reports.filing.checks import check_report
from reports.filing.snapshot import load_snapshot, section_entry
from reports.measures.models import Commitment, Point
from reports.measures.section import MeasuresEditor
from reports.workflow import actions
from tests.section_forms import frame

SHANXI = "2023-shanxi-emergency-management-department.json"
CHANGZHI = "2022-changzhi-emergency-management-bureau.json"


def last_years(agency, file_name, year=2023):
    report = services.start_report(agency=agency, cycle=services.open_cycle(year=year))
    load_snapshot(report, sample_snapshot(file_name))
    actions.publish_archived_report(report=report, published_at=datetime.datetime(2024, 3, 28, tzinfo=datetime.UTC))
    return report


def test_a_new_report_takes_last_years_headings_without_their_text(places, sx_draft, sx_filer):
    last_years(places.sx_emergency, SHANXI)
    start_from_last_year(report=sx_draft, by=sx_filer)
    measures = section_entry(sx_draft.sections.get(key="measures"))["content"]
    points = measures["chapters"][0]["points"]
    assert [p["heading"] for p in points][:3] == ["强化组织领导", "加强重点行业领域监管执法", "加大执法综合统筹力度"]
    assert all(p["paragraphs"] == [] and p["indicators"] == [] for p in points)
    assert section_entry(sx_draft.sections.get(key="plans"))["content"] == {"points": []}


def test_last_years_plans_become_this_years_checklist(places, sx_draft, sx_filer):
    last_years(places.sx_emergency, SHANXI)
    promises = start_from_last_year(report=sx_draft, by=sx_filer)
    assert len(promises) == 5
    checklist = list(Commitment.objects.filter(section__report=sx_draft).values_list("heading", "done"))
    assert checklist[0] == ("加强政策研究和立法工作", False)
    assert Commitment.objects.first().text.startswith("以习近平新时代中国特色社会主义思想为指引")


def test_themed_chapters_and_a_folded_section_carry_over(places, cz_draft, cz_filer):
    last_years(places.cz_emergency, CHANGZHI)
    start_from_last_year(report=cz_draft, by=cz_filer)
    measures = section_entry(cz_draft.sections.get(key="measures"))["content"]
    assert [c["heading"] for c in measures["chapters"]] == [
        "完善法治建设体制机制",
        "依法规范履行政府职能",
        "坚持严格规范公正文明执法",
        "扎实开展应急管理普法宣传培训",
    ]
    assert cz_draft.sections.get(key="shortcomings").folded


def test_a_report_already_written_in_is_never_overwritten(places, sx_draft, sx_filer):
    last_years(places.sx_emergency, SHANXI)
    sx_draft.sections.filter(key="duties").update(text="已经写好的内容。")
    assert not can_carry_over(sx_draft)
    with pytest.raises(services.FilingError, match="已经有填写的内容"):
        start_from_last_year(report=sx_draft, by=sx_filer)
    assert not Point.objects.filter(chapter__section__report=sx_draft).exists()


def test_without_last_years_report_there_is_nothing_to_start_from(sx_draft, sx_filer):
    with pytest.raises(services.FilingError, match="没有找到本机关2023年度的报告"):
        start_from_last_year(report=sx_draft, by=sx_filer)


def test_the_filer_marks_a_task_done_and_links_the_point_that_reports_on_it(places, sx_draft, sx_filer):
    last_years(places.sx_emergency, SHANXI)
    start_from_last_year(report=sx_draft, by=sx_filer)
    section = sx_draft.sections.get(key="measures")
    editor = MeasuresEditor(section)
    point = Point.objects.get(chapter__section=section, heading="强化组织领导")
    commitments = list(Commitment.objects.filter(section=section))
    data = {**frame(section), "commitments-TOTAL_FORMS": str(len(commitments)), "commitments-INITIAL_FORMS": "0"}
    data |= _tree_as_posted(editor)
    for i, commitment in enumerate(commitments):
        data[f"commitments-{i}-id"] = str(commitment.pk)
    data["commitments-0-done"] = "on"
    data["commitments-1-point"] = str(point.pk)
    editor = MeasuresEditor(section, data)
    assert editor.is_valid()
    services.save_section(editor=editor, by=sx_filer)
    first, second, *_ = Commitment.objects.filter(section=section)
    assert (first.done, first.point) == (True, None)
    assert (second.done, second.point) == (False, point)
    findings = next(s for s in check_report(sx_draft).sections if s.key == "measures").findings
    assert "上年度安排“加强政策研究和立法工作”尚未说明落实情况。" not in findings
    assert "上年度安排“推进法治建设和普法工作”尚未说明落实情况。" not in findings
    assert "上年度安排“加强执法综合工作”尚未说明落实情况。" in findings


def _tree_as_posted(editor):
    """The chapters and points exactly as the unbound page shows them (no extra blank forms)."""
    data = {"chapters-TOTAL_FORMS": str(len(editor.tree.nodes) - 1), "chapters-INITIAL_FORMS": "0"}
    for c, chapter in enumerate(editor.tree.nodes[:-1]):
        data[f"chapters-{c}-id"] = str(chapter.form.initial["id"])
        data[f"chapters-{c}-heading"] = chapter.form.initial["heading"]
        points = [p for p in chapter.nodes if not p.extra]
        data[f"chapters-{c}-points-TOTAL_FORMS"] = str(len(points))
        data[f"chapters-{c}-points-INITIAL_FORMS"] = "0"
        for p, point in enumerate(points):
            for name in ("id", "heading", "body"):
                data[f"chapters-{c}-points-{p}-{name}"] = str(point.form.initial[name])
            data[f"chapters-{c}-points-{p}-indicators-TOTAL_FORMS"] = "0"
            data[f"chapters-{c}-points-{p}-indicators-INITIAL_FORMS"] = "0"
    return data


def test_the_overview_offers_to_start_from_last_year_only_while_the_report_is_empty(client, places, sx_draft, sx_filer):
    last_years(places.sx_emergency, SHANXI)
    client.force_login(sx_filer)
    assert "从2023年度报告开始" in client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    response = client.post(f"/work/reports/{sx_draft.pk}/start-from-last-year/", follow=True)
    page = response.content.decode()
    assert "把其中的 5 项工作安排列为本年度的对照清单" in page
    assert "从2023年度报告开始" not in page
