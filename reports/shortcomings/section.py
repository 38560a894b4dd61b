"""The shortcomings section: ordered items, each a shortcoming and its cause."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.filing.editing import SectionEditor, inline_helper, mark_extra_forms, save_in_order
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks
from reports.shortcomings.models import Shortcoming

PREFETCH = ("shortcomings",)
FIELDS = ("description", "cause")


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


def check(entry: dict[str, Any]) -> list[str]:
    items = entry["content"].get("items", [])
    findings = [
        _("第%(n)s项只写了原因，没有写不足。") % {"n": n} for n, item in enumerate(items, 1) if not item["shortcoming"]
    ]
    if items and not any(item["cause"] for item in items):
        findings.append(_("各项都没有单独写明原因；如原因已写在不足之中，可忽略此提示。"))
    return findings


class ShortcomingForm(forms.ModelForm):
    class Meta:
        model = Shortcoming
        fields = list(FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "data-count": ""}),
            "cause": forms.Textarea(attrs={"rows": 2, "data-count": ""}),
        }


ShortcomingFormSet = inlineformset_factory(
    ReportSection, Shortcoming, form=ShortcomingForm, extra=1, can_order=True, can_delete=True
)


class ShortcomingsEditor(SectionEditor):
    parts_template_name = "filing/formset_parts.html"

    def build_parts(self, data: Any) -> list:
        formset = ShortcomingFormSet(data, instance=self.section, prefix="items")
        formset.helper = inline_helper()
        formset.add_label = gettext_lazy("添加一项不足")
        formset.numbering = "ordinal"
        return [mark_extra_forms(formset)]

    def save_parts(self) -> None:
        save_in_order(self.parts[0], FIELDS)
