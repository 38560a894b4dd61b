"""What a filer sees at a glance: each section and whether it is filled."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report
from reports.filing.sections import get_section_type
from reports.filing.snapshot import ordered_sections


@dataclass(frozen=True)
class SectionStatus:
    key: str
    heading: str
    required: bool
    state: str
    label: str


EMPTY, FILLED, NOTHING, FOLDED = "empty", "filled", "nothing", "folded"
LABELS = {EMPTY: _("未填写"), FILLED: _("已填写"), NOTHING: _("本年度无此项"), FOLDED: _("并入下一部分")}


def section_overview(report: Report) -> list[SectionStatus]:
    required = {cs.key: cs.required for cs in report.cycle.sections.all()}
    statuses = []
    for section in ordered_sections(report):
        section_type = get_section_type(section.key)
        if section.nothing_to_report:
            state = NOTHING
        elif section.paragraphs or section_type.has_content(section_type.serialize(section)):
            state = FOLDED if section.folded else FILLED
        else:
            state = EMPTY
        statuses.append(
            SectionStatus(
                section.key,
                section.heading or section_type.default_heading,
                required.get(section.key, False),
                state,
                str(LABELS[state]),
            )
        )
    return statuses
