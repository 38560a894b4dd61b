"""The measures section as the registry sees it: snapshot, loading, printing, editing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.forms import inlineformset_factory

from reports.filing.editing import SectionEditor, inline_helper
from reports.filing.models import ReportSection
from reports.filing.sections import Block, standard_blocks
from reports.measures.models import Chapter, Indicator, Point


def _chapters(section: ReportSection) -> list[Chapter]:
    points = Point.objects.prefetch_related("indicators")
    return list(section.chapters.prefetch_related(Prefetch("points", queryset=points)))


def serialize(section: ReportSection) -> dict[str, Any]:
    return {
        "chapters": [
            {
                "heading": chapter.heading,
                "points": [
                    {
                        "heading": point.heading,
                        "paragraphs": point.paragraphs,
                        "indicators": [
                            {"name": i.name, "value": i.value_text, "unit": i.unit} for i in point.indicators.all()
                        ],
                    }
                    for point in chapter.points.all()
                ],
            }
            for chapter in _chapters(section)
        ]
    }


def load(section: ReportSection, content: dict[str, Any]) -> None:
    for c, chapter_data in enumerate(content.get("chapters", []), 1):
        chapter = Chapter.objects.create(section=section, position=c, heading=chapter_data.get("heading", ""))
        for p, point_data in enumerate(chapter_data.get("points", []), 1):
            point = Point.objects.create(
                chapter=chapter,
                position=p,
                heading=point_data.get("heading", ""),
                body="\n".join(point_data.get("paragraphs", [])),
            )
            Indicator.objects.bulk_create(
                Indicator(point=point, position=i, name=d["name"], value=Decimal(d["value"]), unit=d.get("unit", ""))
                for i, d in enumerate(point_data.get("indicators", []), 1)
            )


def has_content(content: dict[str, Any]) -> bool:
    return any(chapter["points"] for chapter in content.get("chapters", []))


def _point_blocks(chapter: dict[str, Any]) -> list[Block]:
    return [Block("point", heading=p["heading"], paragraphs=tuple(p["paragraphs"])) for p in chapter["points"]]


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    """Themed chapters print as chapters of their own; a single untitled one prints under the section heading."""
    chapters = entry["content"].get("chapters", [])
    if any(chapter["heading"] for chapter in chapters):
        blocks: list[Block] = []
        if entry["text"]:
            blocks.append(Block("paragraph", paragraphs=tuple(entry["text"])))
        for chapter in chapters:
            blocks.append(Block("chapter", heading=chapter["heading"]))
            blocks.extend(_point_blocks(chapter))
        return blocks
    return standard_blocks(entry, *[b for chapter in chapters for b in _point_blocks(chapter)])


ChapterFormSet = inlineformset_factory(ReportSection, Chapter, fields=["position", "heading"], extra=1, can_delete=True)
PointFormSet = inlineformset_factory(Chapter, Point, fields=["position", "heading", "body"], extra=1, can_delete=True)


class MeasuresEditor(SectionEditor):
    parts_template_name = "measures/edit_parts.html"

    def build_parts(self, data: Any) -> list:
        if not self.section.chapters.exists():
            # Most reports have one untitled chapter; start with it so points can be added at once.
            Chapter.objects.create(section=self.section, position=1)
        self.chapter_formset = ChapterFormSet(data, instance=self.section, prefix="chapters")
        self.chapter_formset.helper = inline_helper()
        self.point_formsets = []
        for chapter in self.section.chapters.all():
            formset = PointFormSet(data, instance=chapter, prefix=f"points-{chapter.pk}")
            formset.helper = inline_helper()
            self.point_formsets.append((chapter, formset))
        return [self.chapter_formset, *[fs for _, fs in self.point_formsets]]

    def save_parts(self) -> None:
        # Points first: a chapter deleted in the same save takes its points with it.
        for _, formset in self.point_formsets:
            formset.save()
        self.chapter_formset.save()
