from __future__ import annotations

from typing import Any

from django import forms

from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks
from reports.rulings.models import CourtCaseFigures


def serialize(section: ReportSection) -> dict[str, Any]:
    figures = CourtCaseFigures.objects.filter(section=section).first()
    return {name: getattr(figures, name) if figures else None for name in CourtCaseFigures.FIELDS}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    CourtCaseFigures.objects.create(section=section, **{n: content.get(n) for n in CourtCaseFigures.FIELDS})


def has_content(content: dict[str, Any]) -> bool:
    # The figures are structured data beside the text; the printed part is the text.
    return False


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    return standard_blocks(entry)


class CourtCaseFiguresForm(forms.ModelForm):
    class Meta:
        model = CourtCaseFigures
        fields = CourtCaseFigures.FIELDS


class RulingsEditor(SectionEditor):
    parts_template_name = "filing/form_parts.html"

    def build_parts(self, data: Any) -> list:
        figures, _ = CourtCaseFigures.objects.get_or_create(section=self.section)
        form = CourtCaseFiguresForm(data, instance=figures, prefix="figures")
        form.helper = inline_helper()
        return [form]
