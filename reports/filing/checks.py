"""What a report still needs, section by section: shown while editing, listed before submitting.

Nothing here stops a draft from being saved. Only `missing_sections` stops a submission: a required
section that prints nothing and was not declared "nothing to report". Everything else is a finding,
a message the filer reads and may act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.filing.models import Report
from reports.filing.sections import get_section_type
from reports.filing.snapshot import snapshot_of

EMPTY, IN_PROGRESS, COMPLETE, NOTHING = "empty", "in_progress", "complete", "nothing"
LABELS = {
    EMPTY: gettext_lazy("未填写"),
    IN_PROGRESS: gettext_lazy("填写中"),
    COMPLETE: gettext_lazy("已完成"),
    NOTHING: gettext_lazy("本年度无此项"),
}


@dataclass(frozen=True)
class SectionCheck:
    key: str
    heading: str
    required: bool
    state: str
    prints: bool
    folded: bool
    findings: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def is_missing(self) -> bool:
        """A required section that would print nothing and was not declared empty this year."""
        return self.required and not self.prints and self.state != NOTHING


@dataclass(frozen=True)
class ReportCheck:
    sections: list[SectionCheck]
    details: tuple[str, ...]

    @property
    def missing(self) -> list[str]:
        return [s.heading for s in self.sections if s.is_missing]

    @property
    def warning_count(self) -> int:
        return len(self.details) + sum(len(s.findings) for s in self.sections)

    @property
    def is_clear(self) -> bool:
        return not self.missing and not self.warning_count


def check_section(entry: dict[str, Any], *, required: bool) -> SectionCheck:
    section_type = get_section_type(entry["key"])
    content = entry["content"]
    prints = bool(entry["text"]) or section_type.has_content(content)
    started = prints or section_type.is_started(content)
    findings = tuple(section_type.check(entry)) if started else ()
    if entry["nothing_to_report"]:
        state = NOTHING
        findings = (_("已勾选“本年度无此项内容”，但本部分仍填有内容，报告中将印出这些内容。"),) if prints else ()
    elif not started:
        state = EMPTY
    elif prints and not findings:
        state = COMPLETE
    else:
        state = IN_PROGRESS
    if entry["folded"] and not prints and state != NOTHING:
        findings = (*findings, _("已设为“并入下一部分开头”，但还没有可以并入的内容。"))
    return SectionCheck(entry["key"], entry["heading"], required, state, prints, entry["folded"], findings)


def _details_findings(snapshot: dict[str, Any]) -> tuple[str, ...]:
    findings = []
    if not snapshot["title"].strip():
        findings.append(_("报告标题未填写。"))
    if not snapshot["signature"]:
        findings.append(_("落款（机关名称）未填写。"))
    if not snapshot["signed_on"]:
        findings.append(_("成文日期未填写。"))
    return tuple(findings)


def check_report(report: Report, snapshot: dict[str, Any] | None = None) -> ReportCheck:
    snapshot = snapshot or snapshot_of(report)
    required = {cs.key: cs.required for cs in report.cycle_sections()}
    sections = [check_section(entry, required=required.get(entry["key"], False)) for entry in snapshot["sections"]]
    return ReportCheck(sections, _details_findings(snapshot))


def missing_sections(report: Report) -> list[str]:
    """Headings of required sections that print nothing and are not declared 'nothing to report'.

    submit_report refuses a report while this list is not empty.
    """
    return check_report(report).missing
