"""Writes of the measures section. They run inside filing's save_section (or load_snapshot) transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models

from reports.filing.models import ReportSection
from reports.filing.sections import Promise
from reports.measures.forms import PlannedChapter
from reports.measures.models import Chapter, Commitment, Indicator, Point

Row = TypeVar("Row", bound=models.Model)


class _Rows:
    """A table's existing rows of one section: each id may be taken once; the rest are deleted."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.existing = {row.pk: row for row in rows}
        self.taken: set[int] = set()
        self.new: list[models.Model] = []
        self.kept: list[models.Model] = []

    def take(self, pk: int | None, make: type[Row]) -> Row:
        if pk in self.existing and pk not in self.taken:
            self.taken.add(pk)
            row = self.existing[pk]
            self.kept.append(row)
        else:
            row = make()
            self.new.append(row)
        return row

    def write(self, model: type[models.Model], fields: list[str]) -> None:
        model.objects.bulk_create(self.new)
        model.objects.bulk_update(self.kept, fields)

    def delete_the_rest(self, model: type[models.Model]) -> None:
        gone = set(self.existing) - self.taken
        if gone:
            model.objects.filter(pk__in=gone).delete()


def save_measures(*, section: ReportSection, chapters: list[PlannedChapter]) -> list[list[Point]]:
    """Make the section's chapters, points and indicators what the filer left, in a fixed number of queries.

    Ids are looked up only among this section's rows, so an unknown id (stale, or not this section's)
    makes a new row. Returns the saved points, chapter by chapter.
    """
    chapter_rows = _Rows(Chapter.objects.filter(section=section))
    point_rows = _Rows(Point.objects.filter(chapter__section=section))
    indicator_rows = _Rows(Indicator.objects.filter(point__chapter__section=section))

    saved_chapters = []
    for position, planned in enumerate(chapters, 1):
        chapter = chapter_rows.take(planned.id, Chapter)
        chapter.section, chapter.position, chapter.heading = section, position, planned.heading
        saved_chapters.append(chapter)
    chapter_rows.write(Chapter, ["position", "heading"])

    saved_points: list[list[Point]] = []
    for chapter, planned_chapter in zip(saved_chapters, chapters, strict=True):
        points = []
        for position, planned in enumerate(planned_chapter.points, 1):
            point = point_rows.take(planned.id, Point)
            point.chapter, point.position, point.heading, point.body = chapter, position, planned.heading, planned.body
            points.append(point)
        saved_points.append(points)
    point_rows.write(Point, ["chapter", "position", "heading", "body"])

    for points, planned_chapter in zip(saved_points, chapters, strict=True):
        for point, planned_point in zip(points, planned_chapter.points, strict=True):
            for position, planned in enumerate(planned_point.indicators, 1):
                indicator = indicator_rows.take(planned.id, Indicator)
                indicator.point, indicator.position = point, position
                indicator.name, indicator.value, indicator.unit = planned.name, planned.value, planned.unit
    indicator_rows.write(Indicator, ["point", "position", "name", "value", "unit"])

    indicator_rows.delete_the_rest(Indicator)
    point_rows.delete_the_rest(Point)
    chapter_rows.delete_the_rest(Chapter)
    return saved_points


def mark_commitments(*, section: ReportSection, marks: dict[int, tuple[bool, int | None]]) -> None:
    """Record, for each of last year's tasks, whether it was done and which point reports on it."""
    points = set(Point.objects.filter(chapter__section=section).values_list("pk", flat=True))
    commitments = list(Commitment.objects.filter(section=section, pk__in=marks))
    for commitment in commitments:
        commitment.done, point = marks[commitment.pk]
        commitment.point_id = point if point in points else None
    Commitment.objects.bulk_update(commitments, ["done", "point"])


def replace_commitments(*, section: ReportSection, promises: list[Promise]) -> None:
    Commitment.objects.filter(section=section).delete()
    Commitment.objects.bulk_create(
        Commitment(section=section, position=i, heading=p.heading[:200], text=p.text) for i, p in enumerate(promises, 1)
    )
