from decimal import Decimal

import pytest

from reports.filing import services
from reports.filing.checks import check_section
from reports.filing.snapshot import section_entry
from reports.measures.models import Chapter, Indicator, Point
from reports.measures.section import MeasuresEditor, figure_in_text, serialize
from tests.section_forms import measures_post


def url(report):
    return f"/work/reports/{report.pk}/sections/measures/"


def save(report, user, chapters, **frame_args):
    section = report.sections.get(key="measures")
    editor = MeasuresEditor(section, measures_post(section, chapters, **frame_args))
    assert editor.is_valid(), [editor.frame.errors, editor.tree.non_form_errors]
    services.save_section(editor=editor, by=user)
    section.refresh_from_db()
    return section


def outline(section):
    return [
        (
            chapter.heading,
            [(p.heading, [(i.name, i.value_text, i.unit) for i in p.indicators.all()]) for p in chapter.points.all()],
        )
        for chapter in section.chapters.all()
    ]


CHANGZHI = [
    {
        "heading": "完善法治建设体制机制",
        "points": [
            {
                "heading": "发挥党委领导核心作用",
                "body": "第一,加强党对法治建设的领导。\n第三,中心组组织集中学法17次。",
                "indicators": [{"name": "集中学法", "value": "17", "unit": "次"}],
            },
            {
                "heading": "夯实法治安全制度基础",
                "body": "共7类293项职权。",
                "indicators": [{"name": "职权", "value": "293", "unit": "项"}],
            },
        ],
    },
    {
        "heading": "依法规范履行政府职能",
        "points": [{"heading": "全面从严依法决策", "body": "严格执行重大行政决策程序规定。"}],
    },
]


def test_chapters_points_and_indicators_are_saved_as_the_filer_ordered_them(sx_draft, sx_filer):
    chapters = [{**CHANGZHI[0], "order": 2}, {**CHANGZHI[1], "order": 1}]
    section = save(sx_draft, sx_filer, chapters)
    assert outline(section) == [
        ("依法规范履行政府职能", [("全面从严依法决策", [])]),
        (
            "完善法治建设体制机制",
            [("发挥党委领导核心作用", [("集中学法", "17", "次")]), ("夯实法治安全制度基础", [("职权", "293", "项")])],
        ),
    ]
    point = Point.objects.get(heading="发挥党委领导核心作用")
    assert point.paragraphs == ["第一,加强党对法治建设的领导。", "第三,中心组组织集中学法17次。"]


def test_a_second_save_keeps_rows_reorders_them_and_deletes_what_was_removed(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, CHANGZHI)
    first, second = section.chapters.all()
    lead, base = first.points.all()
    study = lead.indicators.get()
    chapters = [
        {
            "id": first.pk,
            "heading": "完善法治建设体制机制",
            "points": [
                {
                    "id": lead.pk,
                    "heading": "发挥党委领导核心作用",
                    "body": "改写后的内容。",
                    "order": 2,
                    "indicators": [
                        {"id": study.pk, "name": "集中学法", "value": "18", "unit": "次"},
                        {"name": "述法", "value": "1", "unit": "次"},
                    ],
                },
                {"id": base.pk, "heading": "夯实法治安全制度基础", "body": "共7类293项职权。", "order": 1},
            ],
        },
        {
            "id": second.pk,
            "heading": "依法规范履行政府职能",
            "delete": True,
            "points": [{"heading": "全面从严依法决策"}],
        },
    ]
    section = save(sx_draft, sx_filer, chapters, version=section.version)
    assert outline(section) == [
        (
            "完善法治建设体制机制",
            [("夯实法治安全制度基础", []), ("发挥党委领导核心作用", [("集中学法", "18", "次"), ("述法", "1", "次")])],
        ),
    ]
    assert Point.objects.get(heading="发挥党委领导核心作用").pk == lead.pk
    assert Indicator.objects.get(name="集中学法").pk == study.pk
    assert not Chapter.objects.filter(pk=second.pk).exists()


def test_a_point_or_indicator_left_blank_is_not_kept_and_a_blank_chapter_with_points_is(sx_draft, sx_filer):
    chapters = [
        {
            "heading": "",
            "points": [
                {"heading": "强化组织领导", "body": "内容。", "indicators": [{"name": "", "value": "", "unit": ""}]},
                {"heading": "", "body": ""},
            ],
        },
        {"heading": "", "points": []},
    ]
    section = save(sx_draft, sx_filer, chapters)
    assert outline(section) == [("", [("强化组织领导", [])])]


def test_an_id_that_is_not_this_sections_makes_a_new_row_and_leaves_the_other_report_alone(
    sx_draft, cz_draft, sx_filer, cz_filer
):
    theirs = save(cz_draft, cz_filer, CHANGZHI)
    their_point = Point.objects.filter(chapter__section=theirs).first()
    save(
        sx_draft,
        sx_filer,
        [{"heading": "", "points": [{"id": their_point.pk, "heading": "强化组织领导", "body": "内容。"}]}],
    )
    their_point.refresh_from_db()
    assert their_point.heading == "发挥党委领导核心作用"
    assert Point.objects.filter(chapter__section__report=sx_draft, heading="强化组织领导").exists()


def test_an_invalid_figure_gets_a_chinese_message_and_the_page_keeps_everything_typed(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    section = sx_draft.sections.get(key="measures")
    chapters = [
        {
            "heading": "",
            "points": [
                {
                    "heading": "加强监管执法",
                    "body": "检查企业 19.2 万家。",
                    "indicators": [{"name": "检查企业", "value": "19.2万", "unit": "万家"}],
                },
            ],
        }
    ]
    response = client.post(url(sx_draft), measures_post(section, chapters))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“数值”只填数字" in page
    assert "检查企业 19.2 万家。" in page and "19.2万" in page
    assert not Point.objects.filter(chapter__section=section).exists()


def test_figures_typed_with_full_width_digits_or_separators_are_read_as_numbers(sx_draft, sx_filer):
    chapters = [
        {
            "heading": "",
            "points": [
                {
                    "heading": "监管执法",
                    "body": "挂牌督办6,230项。",
                    "indicators": [
                        {"name": "挂牌督办", "value": "6,230", "unit": "项"},
                        {"name": "整改率", "value": "９６.２", "unit": "%"},
                    ],
                }
            ],
        }
    ]
    save(sx_draft, sx_filer, chapters)
    assert [i.value for i in Indicator.objects.order_by("position")] == [Decimal("6230"), Decimal("96.2")]


def test_a_deleted_chapter_does_not_need_to_be_valid(sx_draft, sx_filer):
    chapters = [
        {"heading": "", "points": [{"heading": "强化组织领导", "body": "内容。"}]},
        {
            "heading": "作废的一章",
            "delete": True,
            "points": [{"heading": "x", "indicators": [{"name": "x", "value": "abc"}]}],
        },
    ]
    section = save(sx_draft, sx_filer, chapters)
    assert outline(section) == [("", [("强化组织领导", [])])]


def test_an_incomplete_section_saves_and_its_findings_say_what_is_left(sx_draft, sx_filer):
    chapters = [
        {
            "heading": "完善法治建设体制机制",
            "points": [
                {
                    "heading": "发挥党委领导核心作用",
                    "body": "中心组组织集中学法16次。",
                    "indicators": [
                        {"name": "集中学法", "value": "17", "unit": "次"},
                        {"name": "述法", "value": "", "unit": "次"},
                    ],
                },
                {"heading": "夯实法治安全制度基础", "body": ""},
            ],
        },
        {"heading": "", "points": [{"heading": "全面从严依法决策", "body": "内容。"}]},
    ]
    section = save(sx_draft, sx_filer, chapters)
    result = check_section(section_entry(section), required=True)
    assert result.state == "in_progress"
    assert result.findings == (
        "“一、完善法治建设体制机制（一）发挥党委领导核心作用”的指标“集中学法 17次”在正文中没有出现，请核对数字。",
        "“一、完善法治建设体制机制（一）发挥党委领导核心作用”的指标“述法”还没有数值。",
        "“一、完善法治建设体制机制（二）夯实法治安全制度基础”还没有内容。",
        "第二章没有标题：分为多章时，每章都要有标题。",
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("检查企业 19.2 万家", True),
        ("检查企业19.2万家", True),
        ("检查企业 119.2 万家", False),
        ("检查企业 19.25 万家", False),
    ],
)
def test_a_figure_is_found_in_the_text_only_as_that_number_with_its_unit(text, found):
    assert figure_in_text({"name": "检查企业", "value": "19.2", "unit": "万家"}, text) is found


def make_points(section, count):
    chapter = Chapter.objects.create(section=section, position=1, heading="完善法治建设体制机制")
    points = Point.objects.bulk_create(
        Point(chapter=chapter, position=i, heading=f"要点{i}", body="内容。") for i in range(1, count + 1)
    )
    Indicator.objects.bulk_create(
        Indicator(point=point, position=1, name="检查企业", value=Decimal("19.2"), unit="万家") for point in points
    )


@pytest.mark.parametrize("points", [10, 200])
def test_the_edit_page_runs_the_same_few_queries_however_many_points(
    client, sx_draft, sx_filer, django_assert_max_num_queries, points
):
    make_points(sx_draft.sections.get(key="measures"), points)
    client.force_login(sx_filer)
    with django_assert_max_num_queries(16):
        response = client.get(url(sx_draft))
    assert response.status_code == 200
    assert f'name="chapters-0-points-{points - 1}-heading"' in response.content.decode()


def test_serializing_a_saved_section_gives_back_what_was_saved(sx_draft, sx_filer):
    section = save(sx_draft, sx_filer, CHANGZHI)
    content = serialize(section)
    assert content["chapters"][0]["points"][0]["indicators"] == [{"name": "集中学法", "value": "17", "unit": "次"}]
    assert content["commitments"] == []


def test_a_long_section_posts_and_saves_in_one_go(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="measures")
    chapters = [
        {
            "heading": f"第{c}章",
            "points": [
                {
                    "heading": f"要点{p}",
                    "body": "检查企业 19.2 万家。",
                    "indicators": [{"name": "检查企业", "value": "19.2", "unit": "万家"}],
                }
                for p in range(50)
            ],
        }
        for c in range(4)
    ]
    client.force_login(sx_filer)
    response = client.post(url(sx_draft), measures_post(section, chapters))
    assert response.status_code == 302
    assert Indicator.objects.filter(point__chapter__section=section).count() == 200
