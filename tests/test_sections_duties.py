from reports.duties.models import DutyFacts
from reports.duties.section import DutiesEditor
from reports.filing import services
from reports.filing.checks import check_section
from reports.filing.snapshot import section_entry
from tests.section_forms import frame


def save(report, user, facts, text=""):
    section = report.sections.get(key="duties")
    data = {**frame(section, text=text), **{f"facts-{name}": value for name, value in facts.items()}}
    editor = DutiesEditor(section, data)
    assert editor.is_valid()
    services.save_section(editor=editor, by=user)
    section.refresh_from_db()
    return section


def test_the_facts_reviewers_check_are_saved_as_yes_no_or_not_stated(sx_draft, sx_filer):
    section = save(
        sx_draft,
        sx_filer,
        {"leaders_heard_reports": "4", "study_sessions": "0", "year_end_accountability_done": "true"},
        text="厅主要负责人定期听取法治工作情况汇报。",
    )
    facts = DutyFacts.objects.get(section=section)
    assert (facts.leaders_heard_reports, facts.study_sessions) == (4, 0)
    assert facts.year_end_accountability_done is True
    assert facts.law_list_published is None


def test_facts_not_stated_are_listed_but_the_text_alone_completes_nothing_else(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, {"law_list_published": "false"}, text="认真履行第一责任人职责。")
    result = check_section(section_entry(section), required=True)
    assert result.state == "in_progress"
    assert not result.is_missing
    assert result.findings == (
        "审核时会核对以下情况，尚未填写：主要负责人听取法治建设工作汇报（次）、领导班子集体学法（次）、主要负责人已开展年终述法。",
    )


def test_facts_without_text_print_nothing_and_say_so(sx_draft, sx_filer):
    section = save(
        sx_draft,
        sx_filer,
        {
            "leaders_heard_reports": "2",
            "study_sessions": "6",
            "year_end_accountability_done": "true",
            "law_list_published": "true",
        },
    )
    result = check_section(section_entry(section), required=True)
    assert result.is_missing
    assert result.findings == ("还没有正文：这些情况需要写成文字，报告中才会出现。",)


def test_a_count_typed_in_words_gets_a_chinese_message(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    section = sx_draft.sections.get(key="duties")
    response = client.post(
        f"/work/reports/{sx_draft.pk}/sections/duties/",
        {**frame(section, text="正文。"), "facts-study_sessions": "十七"},
    )
    assert "请填写次数（整数，如 0、4）" in response.content.decode()
    assert not DutyFacts.objects.exists()
