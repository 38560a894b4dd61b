from reports.filing import services
from reports.filing.checks import check_section
from reports.filing.snapshot import section_entry
from reports.shortcomings.models import Shortcoming
from reports.shortcomings.section import ShortcomingsEditor
from tests.section_forms import items_post

FIELDS = ("description", "cause")


def save(report, user, rows, **frame_args):
    section = report.sections.get(key="shortcomings")
    editor = ShortcomingsEditor(section, items_post(section, "items", rows, FIELDS, **frame_args))
    assert editor.is_valid(), editor.parts[0].errors
    services.save_section(editor=editor, by=user)
    section.refresh_from_db()
    return section


def listed(section):
    return [(s.position, s.description, s.cause) for s in Shortcoming.objects.filter(section=section)]


def test_items_are_saved_in_the_filers_order_and_blank_ones_are_dropped(sx_draft, sx_filer):
    section = save(
        sx_draft,
        sx_filer,
        [
            {"description": "监管执法还不够严格。", "cause": "部门联合监管机制不完善。", "order": 2},
            {"description": "运用法治思维的能力还需加强。", "cause": "", "order": 1},
            {"description": "", "cause": "", "order": 3},
        ],
    )
    assert listed(section) == [
        (1, "运用法治思维的能力还需加强。", ""),
        (2, "监管执法还不够严格。", "部门联合监管机制不完善。"),
    ]


def test_removing_and_reordering_saved_items(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, [{"description": "甲。"}, {"description": "乙。"}, {"description": "丙。"}])
    first, second, third = Shortcoming.objects.filter(section=section)
    section = save(
        sx_draft,
        sx_filer,
        [
            {"id": first.pk, "description": "甲。", "order": 2},
            {"id": second.pk, "description": "乙。", "delete": True},
            {"id": third.pk, "description": "丙。", "order": 1},
        ],
        version=section.version,
    )
    assert listed(section) == [(1, "丙。", ""), (2, "甲。", "")]


def test_an_item_with_only_a_cause_saves_and_is_pointed_out(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, [{"description": "", "cause": "人员不足。"}])
    findings = check_section(section_entry(section), required=True).findings
    assert "第1项只写了原因，没有写不足。" in findings


def test_no_cause_anywhere_is_a_hint_not_an_error(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, [{"description": "监管执法还不够严格。"}])
    result = check_section(section_entry(section), required=True)
    assert not result.is_missing
    assert result.findings == ("各项都没有单独写明原因；如原因已写在不足之中，可忽略此提示。",)
