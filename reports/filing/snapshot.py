"""Freeze a report into a plain dict, and build a report's sections from one.

The same dict shape is the snapshot taken at each submission, the demo fixtures and
what an import produces.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects

from reports.agencies.models import User
from reports.filing.models import Report, ReportRevision, ReportSection, split_paragraphs
from reports.filing.sections import all_prefetches, get_section_type


def snapshot_of(report: Report) -> dict[str, Any]:
    sections = [section_entry(section) for section in ordered_sections(report)]
    return {
        "agency_name": report.agency.name,
        "agency_code": report.agency.code,
        "year": report.cycle.year,
        "title": report.title,
        "addressee": report.addressee,
        "preface": split_paragraphs(report.preface),
        "sections": sections,
        "other_matters": split_paragraphs(report.other_matters),
        "signature": report.signature,
        "signed_on": report.signed_on.isoformat() if report.signed_on else None,
        "public_note": report.public_note,
        "attachments": report.attachment_titles,
    }


def freeze_revision(report: Report, *, by: User | None) -> ReportRevision:
    """Freeze the report as it stands into its next numbered revision (at each submission)."""
    snapshot = snapshot_of(report)
    return ReportRevision.objects.create(
        report=report,
        number=report.revisions.count() + 1,
        content=snapshot,
        content_hash=content_hash(snapshot),
        created_by=by,
    )


def content_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def section_entry(section: ReportSection) -> dict[str, Any]:
    return {
        "key": section.key,
        "heading": section.heading,
        "folded": section.folded,
        "nothing_to_report": section.nothing_to_report,
        "text": section.paragraphs,
        "content": get_section_type(section.key).serialize(section),
    }


def ordered_sections(report: Report) -> list[ReportSection]:
    """The report's sections in the cycle's order (sections the cycle dropped come last), with their content
    prefetched, so that a report costs the same few queries however long it is. A section left without a
    heading takes the cycle's."""
    cycle_sections = {cs.key: cs for cs in report.cycle_sections()}
    sections = list(report.sections.all())
    prefetch_related_objects(sections, *all_prefetches())
    for section in sections:
        if not section.heading and section.key in cycle_sections:
            section.heading = cycle_sections[section.key].heading
    order = {key: cs.position for key, cs in cycle_sections.items()}
    return sorted(sections, key=lambda s: (order.get(s.key, 1000), s.pk))


@transaction.atomic
def load_snapshot(report: Report, snapshot: dict[str, Any]) -> None:
    """Replace the report's content with a snapshot's (used by the demo and by imports)."""
    report.title = snapshot["title"]
    report.addressee = snapshot.get("addressee", "")
    report.preface = "\n".join(snapshot.get("preface", []))
    report.other_matters = "\n".join(snapshot.get("other_matters", []))
    report.signature = snapshot.get("signature", "")
    report.signed_on = snapshot.get("signed_on")
    report.public_note = snapshot.get("public_note", "")
    report.attachments = "\n".join(snapshot.get("attachments", []))
    report.save()
    report.sections.all().delete()
    for entry in snapshot["sections"]:
        section = ReportSection.objects.create(
            report=report,
            key=entry["key"],
            heading=entry.get("heading", ""),
            text="\n".join(entry.get("text", [])),
            folded=entry.get("folded", False),
            nothing_to_report=entry.get("nothing_to_report", False),
        )
        get_section_type(entry["key"]).load(section, entry.get("content", {}))
