"""The principal responsible persons' section: printed text, plus facts reviewers check."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.duties.models import DutyFacts
from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, Importing, SectionType, as_text, register, standard_blocks

PREFETCH = ("duty_facts",)
YES_NO = [("unknown", gettext_lazy("未填写")), ("true", gettext_lazy("是")), ("false", gettext_lazy("否"))]


def _facts(section: ReportSection) -> DutyFacts | None:
    try:
        return section.duty_facts
    except DutyFacts.DoesNotExist:
        return None


def serialize(section: ReportSection) -> dict[str, Any]:
    facts = _facts(section)
    return {name: getattr(facts, name) if facts else None for name in DutyFacts.FIELDS}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    DutyFacts.objects.create(section=section, **{name: content.get(name) for name in DutyFacts.FIELDS})


def has_content(content: dict[str, Any]) -> bool:
    # The facts are checked by reviewers but not printed; the printed part is the text.
    return False


def has_data(content: dict[str, Any]) -> bool:
    return any(content.get(name) is not None for name in DutyFacts.FIELDS)


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    return standard_blocks(entry)


def check(entry: dict[str, Any]) -> list[str]:
    content = entry["content"]
    findings = [] if entry["text"] else [_("还没有正文：这些情况需要写成文字，报告中才会出现。")]
    unfilled = [str(DutyFacts._meta.get_field(n).verbose_name) for n in DutyFacts.FIELDS if content.get(n) is None]
    if unfilled:
        findings.append(_("审核时会核对以下情况，尚未填写：%(facts)s。") % {"facts": "、".join(unfilled)})
    return findings


class YesNoRadios(forms.RadioSelect):
    """是 / 否 / 未填写 as radio buttons, read and written like Django's NullBooleanSelect."""

    format_value = forms.NullBooleanSelect.format_value
    value_from_datadict = forms.NullBooleanSelect.value_from_datadict


def _yes_no(label: str) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=YesNoRadios(choices=YES_NO))


class DutyFactsForm(forms.ModelForm):
    class Meta:
        model = DutyFacts
        fields = DutyFacts.FIELDS
        widgets = {
            "leaders_heard_reports": forms.NumberInput(attrs={"min": 0, "placeholder": gettext_lazy("未填")}),
            "study_sessions": forms.NumberInput(attrs={"min": 0, "placeholder": gettext_lazy("未填")}),
        }
        error_messages = {
            name: {"invalid": gettext_lazy("请填写次数（整数，如 0、4）；不清楚可先留空。")}
            for name in ("leaders_heard_reports", "study_sessions")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year_end_accountability_done", "law_list_published"):
            self.fields[name] = _yes_no(DutyFacts._meta.get_field(name).verbose_name)
        self.helper = inline_helper()


class DutiesEditor(SectionEditor):
    parts_template_name = "filing/form_parts.html"
    parts_legend = gettext_lazy("审核时核对的情况（不印入报告）")
    text_help = gettext_lazy("报告中印出的正文：主要负责人履行推进法治建设第一责任人职责的情况。每段一行。")

    def build_parts(self, data: Any) -> list:
        form = DutyFactsForm(data, instance=_facts(self.section) or DutyFacts(section=self.section), prefix="facts")
        return [form]

    def describe(self, content: dict[str, Any]) -> list[tuple[str, str]]:
        return [(str(DutyFacts._meta.get_field(n).verbose_name), _shown(content.get(n))) for n in DutyFacts.FIELDS]


def _shown(value: Any) -> str:
    if value is None:
        return _("未填写")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


SECTION = register(
    SectionType(
        key="duties",
        default_heading=str(_("党政主要负责人履行推进法治建设第一责任人职责情况")),
        position=30,
        serialize=serialize,
        load=load,
        print_blocks=print_blocks,
        has_content=has_content,
        editor=DutiesEditor,
        prefetch=PREFETCH,
        has_data=has_data,
        check=check,
        # Tried before the others: 党政主要负责人履行…职责情况 is about duties although it ends in 情况.
        importing=Importing(heading=re.compile(r"第一责任人|主要负责人|党政主要负责同志"), rank=10, place=as_text),
    )
)
