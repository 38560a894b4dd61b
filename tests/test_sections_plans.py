from reports.filing import services
from reports.filing.checks import check_section
from reports.filing.sections import Promise
from reports.filing.snapshot import section_entry
from reports.plans.models import PlannedTask
from reports.plans.section import PlansEditor, promises
from tests.section_forms import items_post

FIELDS = ("heading", "body")


def save(report, user, rows, **frame_args):
    section = report.sections.get(key="plans")
    editor = PlansEditor(section, items_post(section, "points", rows, FIELDS, **frame_args))
    assert editor.is_valid(), editor.parts[0].errors
    services.save_section(editor=editor, by=user)
    section.refresh_from_db()
    return section


def test_planned_tasks_are_saved_in_the_filers_order(sx_draft, sx_filer):
    section = save(
        sx_draft,
        sx_filer,
        [
            {"heading": "推进法治建设和普法工作", "body": "建立部门普法责任清单。", "order": 2},
            {"heading": "加强政策研究和立法工作", "body": "起草好省政府1号文件。", "order": 1},
        ],
        text="主要做好以下几方面工作：",
    )
    assert [t.heading for t in PlannedTask.objects.filter(section=section)] == [
        "加强政策研究和立法工作",
        "推进法治建设和普法工作",
    ]


def test_a_task_without_a_body_is_pointed_out(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, [{"heading": "强化法律事务工作", "body": ""}])
    assert check_section(section_entry(section), required=True).findings == ("“（一）强化法律事务工作”还没有内容。",)


def test_each_planned_task_is_a_promise_for_next_years_report():
    entry = {
        "text": ["主要做好以下几方面工作："],
        "content": {
            "points": [
                {"heading": "加强执法综合工作", "paragraphs": ["编制统一执法目录。"]},
                {"heading": "", "paragraphs": ["做好机关法律事务工作，积极发挥法律顾问、公职律师作用。"]},
            ]
        },
    }
    assert promises(entry) == [
        Promise("加强执法综合工作", "编制统一执法目录。"),
        Promise(
            "做好机关法律事务工作，积极发挥法律顾问、公职律师作用。",
            "做好机关法律事务工作，积极发挥法律顾问、公职律师作用。",
        ),
    ]


def test_a_plan_written_as_paragraphs_promises_each_paragraph():
    entry = {"text": ["深入学习贯彻习近平法治思想。", "健全依法行政制度体系。"], "content": {"points": []}}
    assert [p.heading for p in promises(entry)] == ["深入学习贯彻习近平法治思想。", "健全依法行政制度体系。"]
