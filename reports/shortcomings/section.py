from __future__ import annotations

from typing import Any

from django.forms import inlineformset_factory

from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks
from reports.shortcomings.models import Shortcoming


def serialize(section: ReportSection) -> dict[str, Any]:
    return {"items": [{"shortcoming": s.description, "cause": s.cause} for s in section.shortcomings.all()]}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    Shortcoming.objects.bulk_create(
        Shortcoming(section=section, position=i, description=item["shortcoming"], cause=item.get("cause", ""))
        for i, item in enumerate(content.get("items", []), 1)
    )


def has_content(content: dict[str, Any]) -> bool:
    return bool(content.get("items"))


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    paragraphs = ["".join(filter(None, [i["shortcoming"], i["cause"]])) for i in entry["content"]["items"]]
    return standard_blocks(entry, Block("paragraph", paragraphs=tuple(paragraphs)))


ShortcomingFormSet = inlineformset_factory(
    ReportSection, Shortcoming, fields=["position", "description", "cause"], extra=1, can_delete=True
)


class ShortcomingsEditor(SectionEditor):
    parts_template_name = "filing/formset_parts.html"

    def build_parts(self, data: Any) -> list:
        formset = ShortcomingFormSet(data, instance=self.section, prefix="items")
        formset.helper = inline_helper()
        return [formset]
