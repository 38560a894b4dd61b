"""What the filer's pages show beside the text, for the reviewer to check: each section's state and warnings (the
contradictions among the court-case counts, say) and the facts it holds that are not printed (the counts with
their computed rates, the duties facts, the indicators), read from the submitted snapshot through the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.filing.checks import ReportCheck, SectionCheck, check_report
from reports.filing.models import Report
from reports.filing.sections import find_section_type


@dataclass(frozen=True)
class SectionFacts:
    check: SectionCheck
    facts: list[tuple[str, str]]


@dataclass(frozen=True)
class Checking:
    report_check: ReportCheck
    sections: list[SectionFacts]


def checking(report: Report, snapshot: dict[str, Any]) -> Checking:
    report_check = check_report(report, snapshot)
    entries = {entry["key"]: entry for entry in snapshot["sections"]}
    sections = []
    for section_check in report_check.sections:
        section_type = find_section_type(section_check.key)
        content = entries[section_check.key]["content"]
        sections.append(SectionFacts(section_check, section_type.describe(content) if section_type else []))
    return Checking(report_check, sections)
