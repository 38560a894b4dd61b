from __future__ import annotations

from typing import Any

from django import forms

from reports.duties.models import DutyFacts
from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks


def serialize(section: ReportSection) -> dict[str, Any]:
    facts = DutyFacts.objects.filter(section=section).first()
    return {name: getattr(facts, name) if facts else None for name in DutyFacts.FIELDS}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    DutyFacts.objects.create(section=section, **{name: content.get(name) for name in DutyFacts.FIELDS})


def has_content(content: dict[str, Any]) -> bool:
    # The facts are checked by reviewers but not printed; the printed part is the text.
    return False


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    return standard_blocks(entry)


class DutyFactsForm(forms.ModelForm):
    class Meta:
        model = DutyFacts
        fields = DutyFacts.FIELDS


class DutiesEditor(SectionEditor):
    parts_template_name = "filing/form_parts.html"

    def build_parts(self, data: Any) -> list:
        facts, _ = DutyFacts.objects.get_or_create(section=self.section)
        form = DutyFactsForm(data, instance=facts, prefix="facts")
        form.helper = inline_helper()
        return [form]
