"""The reviewer sees what the filer's page shows: the court-case counts and their computed rates, the duties facts,
the indicators, and the warnings the filer was given, read-only."""

from reports.duties.models import DutyFacts
from reports.filing.models import ReportState
from reports.measures import services as measures
from reports.measures.forms import PlannedChapter, PlannedIndicator, PlannedPoint
from reports.rulings.models import CourtCaseFigures
from reports.workflow import actions
from tests.factories import fill_required_sections


def test_the_review_page_shows_counts_rates_facts_indicators_and_contradictions(
    client, sx_draft, sx_filer, sx_reviewer
):
    from decimal import Decimal

    fill_required_sections(sx_draft)
    rulings = sx_draft.sections.get(key="rulings")
    CourtCaseFigures.objects.create(section=rulings, rulings_to_perform=3, rulings_performed=5, hearings=4)
    DutyFacts.objects.create(section=sx_draft.sections.get(key="duties"), study_sessions=6, law_list_published=True)
    point = PlannedPoint(
        None, "强化执法", "检查企业19.2万家。", [PlannedIndicator(None, "检查企业", Decimal("19.2"), "万家")]
    )
    measures.save_measures(section=sx_draft.sections.get(key="measures"), chapters=[PlannedChapter(None, "", [point])])
    actions.submit_report(report=sx_draft, by=sx_filer)
    client.force_login(sx_reviewer)
    page = client.get(f"/review/reports/{sx_draft.pk}/").content.decode()
    assert "核对情况" in page
    assert "法院生效裁判的履行：已履行" in page and "生效裁判履行率（系统计算）" in page and "166.7%" in page
    assert "（5 件）多于“法院生效裁判的履行：应履行”（3 件）" in page
    assert "领导班子集体学法（次）" in page and "已公布领导干部应知应会法律法规清单" in page
    assert "指标：（一）强化执法 · 检查企业" in page and "19.2万家" in page
    sx_draft.refresh_from_db()
    assert sx_draft.state == ReportState.SUBMITTED
