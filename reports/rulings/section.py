"""The court-rulings section: printed text, plus counts from which the rates are computed."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, Counts, Importing, SectionType, as_text, register, standard_blocks
from reports.rulings.models import (
    BOUNDS,
    GROUPS,
    PUBLIC_LABELS,
    RATES,
    CourtCaseFigures,
    Rate,
    contradictions,
    label_of,
    rates,
    unfilled,
)

PREFETCH = ("court_figures",)


def _figures(section: ReportSection) -> CourtCaseFigures | None:
    try:
        return section.court_figures
    except CourtCaseFigures.DoesNotExist:
        return None


def serialize(section: ReportSection) -> dict[str, Any]:
    figures = _figures(section)
    return {name: getattr(figures, name) if figures else None for name in CourtCaseFigures.FIELDS}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    CourtCaseFigures.objects.create(section=section, **{n: content.get(n) for n in CourtCaseFigures.FIELDS})


def has_content(content: dict[str, Any]) -> bool:
    # The figures are structured data beside the text; the printed part is the text.
    return False


def has_data(content: dict[str, Any]) -> bool:
    return any(content.get(name) is not None for name in CourtCaseFigures.FIELDS)


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    return standard_blocks(entry)


def check(entry: dict[str, Any]) -> list[str]:
    content = entry["content"]
    findings = [] if entry["text"] else [_("还没有正文：案件情况需要写成文字，报告中才会出现。")]
    findings += contradictions(content)
    blank = unfilled(content)
    if blank:
        findings.append(_("以下数字尚未填写（本年度没有的请填 0）：%(counts)s。") % {"counts": "、".join(blank)})
    return findings


class CourtCaseFiguresForm(forms.ModelForm):
    class Meta:
        model = CourtCaseFigures
        fields = CourtCaseFigures.FIELDS
        widgets = {
            name: forms.NumberInput(
                attrs={"min": 0, "placeholder": gettext_lazy("未填"), "class": "form-control count-input"}
            )
            for name in CourtCaseFigures.FIELDS
        }
        error_messages = {
            name: {
                "invalid": gettext_lazy("请填写件数（整数，如 0、3）；本年度没有的填 0，不清楚的先留空。"),
                "min_value": gettext_lazy("件数不能为负数。"),
            }
            for name in CourtCaseFigures.FIELDS
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(group.title, [self[name] for name in group.fields]) for group in GROUPS]

    def browser_rules(self) -> dict[str, Any]:
        """The same bounds and rates for static/js/rulings.js, so the page flags them while the filer types."""
        return {
            "bounds": [
                {
                    "part": self[b.part].html_name,
                    "whole": self[b.whole].html_name,
                    "message": _("多于“%(whole)s”，请核对。") % {"whole": label_of(b.whole)} + str(b.note),
                }
                for b in BOUNDS
            ],
            "rates": [
                {
                    "name": str(r.name),
                    "numerator": self[r.numerator].html_name,
                    "denominator": self[r.denominator].html_name,
                }
                for r in RATES
            ],
            # The rate's wording when it cannot be computed, the same as Rate.text gives.
            "no_cases": Rate("", None, 0).text,
            "not_filled": Rate("", None, None).text,
        }


class RulingsEditor(SectionEditor):
    parts_template_name = "rulings/edit_parts.html"
    text_help = gettext_lazy(
        "报告中印出的正文，如“2023年，我厅作为行政复议被申请人的案件0件……”。下方的数字供审核核对，不印入报告。"
    )

    def build_parts(self, data: Any) -> list:
        figures = _figures(self.section) or CourtCaseFigures(section=self.section)
        self.figures_form = CourtCaseFiguresForm(data, instance=figures, prefix="figures")
        self.rates = rates(figures.counts())
        return [self.figures_form]

    def describe(self, content: dict[str, Any]) -> list[tuple[str, str]]:
        shown = [
            (label_of(n), _("未填写") if content.get(n) is None else str(content[n])) for n in CourtCaseFigures.FIELDS
        ]
        return shown + [(rate.name, rate.text) for rate in rates(content)]


def published_counts(content: dict[str, Any]) -> dict[str, int]:
    """The counts that were filled in (blank is not 0), read with care: older snapshots may differ."""
    return {k: v for k, v in content.items() if k in PUBLIC_LABELS and isinstance(v, int) and not isinstance(v, bool)}


COUNTS = Counts(
    read=published_counts,
    labels=PUBLIC_LABELS,
    title=str(_("行政复议和行政诉讼")),
    unit=str(_("件")),
    charts=(
        (str(_("行政复议和行政诉讼")), ("reconsideration_received", "defendant_new", "defendant_lost")),
        (str(_("法院生效裁判的履行")), ("rulings_to_perform", "rulings_performed")),
        (str(_("负责人出庭应诉")), ("hearings", "leader_appearances")),
    ),
    # Shown for an agency's peers: the cases, the cases lost, and whether rulings and hearings were met.
    peers=("reconsideration_received", "defendant_new", "defendant_lost", "rulings_performed", "leader_appearances"),
)

SECTION = register(
    SectionType(
        key="rulings",
        default_heading=str(_("履行法院生效裁判情况")),
        position=40,
        serialize=serialize,
        load=load,
        print_blocks=print_blocks,
        has_content=has_content,
        editor=RulingsEditor,
        prefetch=PREFETCH,
        has_data=has_data,
        check=check,
        counts=COUNTS,
        importing=Importing(
            heading=re.compile(r"法院|裁判|诉讼|出庭|应诉|复议(?!.*(?:改革|体制))"), rank=20, place=as_text
        ),
    )
)
