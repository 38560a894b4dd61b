import pytest

from reports.filing import services
from reports.filing.checks import check_section
from reports.filing.snapshot import section_entry
from reports.rulings.models import CourtCaseFigures, Rate, contradictions, rates
from reports.rulings.section import RulingsEditor
from tests.section_forms import frame


def post(section, counts, text=""):
    return {**frame(section, text=text), **{f"figures-{name}": value for name, value in counts.items()}}


def save(report, user, counts, text=""):
    section = report.sections.get(key="rulings")
    editor = RulingsEditor(section, post(section, counts, text))
    assert editor.is_valid(), editor.figures_form.errors
    services.save_section(editor=editor, by=user)
    section.refresh_from_db()
    return section


def test_rates_are_computed_from_the_counts():
    counts = {
        "defendant_concluded": 8,
        "defendant_lost": 1,
        "rulings_to_perform": 3,
        "rulings_performed": 3,
        "hearings": 4,
        "leader_appearances": 3,
    }
    shown = {rate.name: rate.text for rate in rates(counts)}
    assert shown == {
        "行政复议纠错率": "待填写",
        "行政诉讼败诉率": "12.5%",
        "生效裁判履行率": "100%",
        "负责人出庭应诉率": "75%",
    }


def test_a_rate_over_no_cases_says_so_rather_than_dividing_by_zero():
    rate = Rate("行政诉讼败诉率", 0, 0)
    assert rate.percent is None
    assert rate.text == "本年度无此类案件"


def test_counts_that_contradict_each_other_are_flagged():
    found = contradictions(
        {
            "defendant_concluded": 2,
            "defendant_lost": 3,
            "rulings_to_perform": 1,
            "rulings_performed": 2,
            "reconsideration_received": 1,
            "reconsideration_concluded": 2,
        }
    )
    assert found == [
        "“行政复议（本机关作为被申请人）：办结”（2 件）多于"
        "“行政复议（本机关作为被申请人）：收到复议申请”（1 件），请核对。如含上年结转的案件，请在正文中说明。",
        "“行政诉讼（本机关作为被告）：败诉”（3 件）多于“行政诉讼（本机关作为被告）：审结”（2 件），请核对。",
        "“法院生效裁判的履行：已履行”（2 件）多于“法院生效裁判的履行：应履行”（1 件），请核对。",
    ]


def test_a_blank_count_contradicts_nothing():
    assert contradictions({"rulings_to_perform": None, "rulings_performed": 2}) == []


def test_contradictory_counts_are_saved_as_typed_and_flagged_not_corrected(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, {"rulings_to_perform": "1", "rulings_performed": "2"}, text="履行情况。")
    figures = CourtCaseFigures.objects.get(section=section)
    assert (figures.rulings_to_perform, figures.rulings_performed) == (1, 2)
    findings = check_section(section_entry(section), required=True).findings
    assert any("多于“法院生效裁判的履行：应履行”" in finding for finding in findings)


def test_none_this_year_is_zero_and_not_filled_is_blank(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, {"reconsideration_received": "0", "defendant_new": ""})
    figures = CourtCaseFigures.objects.get(section=section)
    assert figures.reconsideration_received == 0
    assert figures.defendant_new is None
    findings = check_section(section_entry(section), required=True).findings
    blank = next(f for f in findings if f.startswith("以下数字尚未填写"))
    assert "行政诉讼（本机关作为被告）：新收案件" in blank
    assert "收到复议申请" not in blank


def test_figures_without_text_are_in_progress_and_still_missing_for_submission(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, {"reconsideration_received": "0"})
    result = check_section(section_entry(section), required=True)
    assert result.state == "in_progress"
    assert result.is_missing


def test_a_negative_or_non_numeric_count_gets_a_chinese_message(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    section = sx_draft.sections.get(key="rulings")
    response = client.post(
        f"/work/reports/{sx_draft.pk}/sections/rulings/",
        post(section, {"defendant_new": "三", "hearings": "-1"}, text="我厅作为被告的案件三件。"),
    )
    page = response.content.decode()
    assert "请填写件数（整数，如 0、3）" in page
    assert "件数不能为负数" in page
    assert "我厅作为被告的案件三件。" in page
    assert not CourtCaseFigures.objects.filter(section=section).exists()


def test_opening_the_page_writes_nothing(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    response = client.get(f"/work/reports/{sx_draft.pk}/sections/rulings/")
    assert response.status_code == 200
    assert "行政诉讼败诉率" in response.content.decode()
    assert not CourtCaseFigures.objects.exists()


@pytest.mark.parametrize("field", CourtCaseFigures.FIELDS)
def test_every_count_has_a_place_on_the_page(client, sx_draft, sx_filer, field):
    client.force_login(sx_filer)
    assert f'name="figures-{field}"' in client.get(f"/work/reports/{sx_draft.pk}/sections/rulings/").content.decode()
