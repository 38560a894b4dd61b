from __future__ import annotations

from typing import Any

from django.forms import inlineformset_factory

from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks
from reports.plans.models import PlannedTask


def serialize(section: ReportSection) -> dict[str, Any]:
    return {"points": [{"heading": t.heading, "paragraphs": t.paragraphs} for t in section.planned_tasks.all()]}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    PlannedTask.objects.bulk_create(
        PlannedTask(section=section, position=i, heading=p.get("heading", ""), body="\n".join(p.get("paragraphs", [])))
        for i, p in enumerate(content.get("points", []), 1)
    )


def has_content(content: dict[str, Any]) -> bool:
    return bool(content.get("points"))


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    points = [
        Block("point", heading=p["heading"], paragraphs=tuple(p["paragraphs"])) for p in entry["content"]["points"]
    ]
    return standard_blocks(entry, *points)


PlannedTaskFormSet = inlineformset_factory(
    ReportSection, PlannedTask, fields=["position", "heading", "body"], extra=1, can_delete=True
)


class PlansEditor(SectionEditor):
    parts_template_name = "filing/formset_parts.html"

    def build_parts(self, data: Any) -> list:
        formset = PlannedTaskFormSet(data, instance=self.section, prefix="points")
        formset.helper = inline_helper()
        return [formset]
