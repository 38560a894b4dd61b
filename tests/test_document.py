import datetime

import pytest

from reports.filing.document import chinese_date, chinese_number, compose_document


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_headings_are_numbered_in_chinese(n, text):
    assert chinese_number(n) == text


def test_the_date_line_has_no_zero_padding():
    assert chinese_date(datetime.date(2023, 1, 3)) == "2023年1月3日"


def section(key, heading="", text=(), folded=False, **content):
    return {
        "key": key,
        "heading": heading,
        "folded": folded,
        "nothing_to_report": False,
        "text": list(text),
        "content": content,
    }


def snapshot(*sections):
    return {
        "agency_name": "某机关",
        "title": "关于2024年度法治政府建设情况的报告",
        "preface": ["导语。"],
        "sections": list(sections),
        "signature": "某机关",
        "signed_on": "2025-02-01",
        "public_note": "（此件公开发布）",
        "attachments": [],
    }


def measures(*chapters):
    return section(
        "measures",
        "主要举措和成效",
        chapters=[
            {
                "heading": heading,
                "points": [{"heading": p, "paragraphs": [p + "的内容。"], "indicators": []} for p in points],
            }
            for heading, points in chapters
        ],
    )


def test_a_single_untitled_chapter_prints_its_points_under_the_section_heading():
    doc = compose_document(snapshot(measures(("", ["强化组织领导", "加强执法监督"]))))
    assert [(b.kind, b.label, b.heading) for b in doc.blocks] == [
        ("chapter", "一、", "主要举措和成效"),
        ("point", "（一）", "强化组织领导"),
        ("point", "（二）", "加强执法监督"),
    ]


def test_themed_chapters_become_numbered_parts_of_their_own():
    doc = compose_document(
        snapshot(
            measures(
                ("完善法治建设体制机制", ["发挥党委领导核心作用"]), ("依法规范履行政府职能", ["全面从严依法决策"])
            ),
            section("plans", "2025年主要安排", points=[{"heading": "深入学习", "paragraphs": ["内容。"]}]),
        )
    )
    assert [c.label + c.heading for c in doc.chapters] == [
        "一、完善法治建设体制机制",
        "二、依法规范履行政府职能",
        "三、2025年主要安排",
    ]
    assert [b.label for b in doc.blocks if b.kind == "point"] == ["（一）", "（一）", "（一）"]


def test_a_folded_section_opens_the_next_chapter_without_a_heading_of_its_own():
    doc = compose_document(
        snapshot(
            section("shortcomings", "", folded=True, items=[{"shortcoming": "与要求还有差距。", "cause": ""}]),
            section("duties", "职责情况"),
            section("plans", "2025年主要安排", text=["我们将查漏补缺。"], points=[]),
        )
    )
    assert [(b.kind, b.heading, b.paragraphs) for b in doc.blocks] == [
        ("chapter", "2025年主要安排", ()),
        ("paragraph", "", ("与要求还有差距。",)),
        ("paragraph", "", ("我们将查漏补缺。",)),
    ]


def test_empty_sections_are_left_out_and_nothing_to_report_is_said():
    empty = section("rulings", "履行法院生效裁判情况")
    declared = {**section("duties", "职责情况"), "nothing_to_report": True}
    doc = compose_document(snapshot(empty, declared))
    assert [c.heading for c in doc.chapters] == ["职责情况"]
    assert "本年度无此项情况。" in doc.plain_text()


def test_a_draft_never_carries_the_public_note():
    assert "（此件公开发布）" in compose_document(snapshot()).plain_text()
    assert "（此件公开发布）" not in compose_document(snapshot(), is_draft=True).plain_text()
