"""The plans section: next year's tasks as ordered points, which become next year's checklist."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.filing.cleaning import POINT_HEADING
from reports.filing.document import chinese_number
from reports.filing.editing import SectionEditor, inline_helper, mark_extra_forms, save_in_order
from reports.filing.models import ReportSection
from reports.filing.sections import (
    Block,
    ImportedChapter,
    Importing,
    Placed,
    Promise,
    SectionType,
    point_blocks,
    register,
    standard_blocks,
)
from reports.filing.tidying import CleaningMixin
from reports.plans.models import PlannedTask

PREFETCH = ("planned_tasks",)
FIELDS = ("heading", "body")


def serialize(section: ReportSection) -> dict[str, Any]:
    return {"points": [{"heading": t.heading, "paragraphs": t.paragraphs} for t in section.planned_tasks.all()]}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    PlannedTask.objects.bulk_create(
        PlannedTask(section=section, position=i, heading=p.get("heading", ""), body="\n".join(p.get("paragraphs", [])))
        for i, p in enumerate(content.get("points", []), 1)
    )


def has_content(content: dict[str, Any]) -> bool:
    return bool(content.get("points"))


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """All of it is printed."""
    points = [point for point in content.get("points") or [] if isinstance(point, dict)]
    return {
        "points": [
            {"heading": str(p.get("heading") or ""), "paragraphs": [str(t) for t in p.get("paragraphs") or []]}
            for p in points
        ]
    }


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    points = [block for p in entry["content"]["points"] for block in point_blocks(p["heading"], p["paragraphs"])]
    return standard_blocks(entry, *points)


def check(entry: dict[str, Any]) -> list[str]:
    return [
        _("“（%(n)s）%(heading)s”还没有内容。") % {"n": chinese_number(n), "heading": point["heading"]}
        for n, point in enumerate(entry["content"].get("points", []), 1)
        if not point["paragraphs"]
    ]


def promises(entry: dict[str, Any]) -> list[Promise]:
    """Each planned point, for next year's report to say what became of it; a plan without points, each paragraph."""
    points = [p for p in entry["content"].get("points", []) if p["heading"] or p["paragraphs"]]
    if points:
        return [Promise(p["heading"] or p["paragraphs"][0][:40], "\n".join(p["paragraphs"])) for p in points]
    return [Promise(paragraph[:40], paragraph) for paragraph in entry["text"]]


class PlannedTaskForm(CleaningMixin, forms.ModelForm):
    cleaning = {"heading": POINT_HEADING}

    class Meta:
        model = PlannedTask
        fields = list(FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "data-count": ""})}


PlannedTaskFormSet = inlineformset_factory(
    ReportSection, PlannedTask, form=PlannedTaskForm, extra=1, can_order=True, can_delete=True
)


class PlansEditor(SectionEditor):
    parts_template_name = "filing/formset_parts.html"

    def build_parts(self, data: Any) -> list:
        formset = PlannedTaskFormSet(data, instance=self.section, prefix="points")
        formset.helper = inline_helper()
        formset.add_label = gettext_lazy("添加一项安排")
        formset.numbering = "paren"
        return [mark_extra_forms(formset)]

    def save_parts(self) -> None:
        save_in_order(self.parts[0], FIELDS)


def place(chapter: ImportedChapter) -> Placed:
    points = [{"heading": p.heading, "paragraphs": p.paragraphs} for p in chapter.points]
    return Placed(list(chapter.intro), {"points": points}, kept_points=True)


SECTION = register(
    SectionType(
        key="plans",
        default_heading=str(_("下一年度推进法治政府建设的主要安排")),
        position=50,
        serialize=serialize,
        load=load,
        print_blocks=print_blocks,
        has_content=has_content,
        editor=PlansEditor,
        prefetch=PREFETCH,
        check=check,
        promises=promises,
        # A heading about next year's 安排 may name the year just as one about this year's 举措 does: tried first.
        importing=Importing(
            heading=re.compile(
                r"下一年度|下一步|明年|来年|新的一年|今后|(?:19|20)\d\d年.{0,24}?(?:安排|计划|打算|思路|设想)"
                r"|(?:工作|主要)(?:安排|计划|打算|思路)"
            ),
            rank=30,
            place=place,
        ),
        empty_content=lambda: {"points": []},
        public_content=public_content,
        item_count=lambda content: len(content.get("points", [])),
    )
)
