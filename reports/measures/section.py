"""The measures section as the registry sees it: snapshot, loading, printing, checking, editing."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reports.filing.document import chinese_number
from reports.filing.editing import SectionEditor
from reports.filing.models import ReportSection, split_paragraphs
from reports.filing.sections import Answer, Block, Promise, SectionType, point_blocks, register, standard_blocks
from reports.measures import services
from reports.measures.forms import (
    MeasuresForms,
    PlannedChapter,
    PlannedIndicator,
    PlannedPoint,
    commitment_formset,
    template_forms,
)
from reports.measures.importing import IMPORTING
from reports.measures.models import Commitment

PREFETCH = ("chapters__points__indicators", "commitments")


def serialize(section: ReportSection) -> dict[str, Any]:
    chapters, where = [], {}
    for c, chapter in enumerate(section.chapters.all()):
        points = []
        for p, point in enumerate(chapter.points.all()):
            where[point.pk] = [c, p]
            indicators = [{"name": i.name, "value": i.value_text, "unit": i.unit} for i in point.indicators.all()]
            points.append({"heading": point.heading, "paragraphs": point.paragraphs, "indicators": indicators})
        chapters.append({"heading": chapter.heading, "points": points})
    commitments = [
        {"heading": c.heading, "text": split_paragraphs(c.text), "done": c.done, "point": where.get(c.point_id)}
        for c in section.commitments.all()
    ]
    return {"chapters": chapters, "commitments": commitments}


def _planned(content: dict[str, Any]) -> list[PlannedChapter]:
    return [
        PlannedChapter(
            None,
            chapter.get("heading", ""),
            [
                PlannedPoint(
                    None,
                    point.get("heading", ""),
                    "\n".join(point.get("paragraphs", [])),
                    [
                        PlannedIndicator(
                            None, i.get("name", ""), Decimal(i["value"]) if i.get("value") else None, i.get("unit", "")
                        )
                        for i in point.get("indicators", [])
                    ],
                )
                for point in chapter.get("points", [])
            ],
        )
        for chapter in content.get("chapters", [])
    ]


def load(section: ReportSection, content: dict[str, Any]) -> None:
    points = services.save_measures(section=section, chapters=_planned(content))
    saved = content.get("commitments", [])
    services.replace_commitments(
        section=section, promises=[Promise(c["heading"], "\n".join(c.get("text", []))) for c in saved]
    )
    marks = {}
    for commitment, data in zip(Commitment.objects.filter(section=section), saved, strict=True):
        where = data.get("point")
        marks[commitment.pk] = (data.get("done", False), points[where[0]][where[1]].pk if where else None)
    services.mark_commitments(section=section, marks=marks)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _points(content: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The points chapter by chapter, read with care: a published snapshot of an older portal may differ."""
    return [_dicts(chapter.get("points")) for chapter in _dicts(content.get("chapters"))]


def indicators(content: dict[str, Any]) -> list[dict[str, str]]:
    """The named figures of the points, with their units (empty or half-filled ones left out)."""
    found = []
    for chapter in _points(content):
        for point in chapter:
            for indicator in _dicts(point.get("indicators")):
                name, value = str(indicator.get("name") or ""), str(indicator.get("value") or "")
                if name and value:
                    found.append({"name": name, "value": value, "unit": str(indicator.get("unit") or "")})
    return found


def answers(content: dict[str, Any]) -> list[Answer]:
    """Last year's plans as this report answers them, where it started from last year's checklist."""
    points = _points(content)
    found = []
    for commitment in _dicts(content.get("commitments")):
        answered_by = ""
        where = commitment.get("point")
        if isinstance(where, list) and len(where) == 2:
            chapter, point = where
            if 0 <= chapter < len(points) and 0 <= point < len(points[chapter]):
                answered_by = str(points[chapter][point].get("heading") or "")
        text = commitment.get("text")
        found.append(
            Answer(
                str(commitment.get("heading") or ""),
                tuple(text) if isinstance(text, list) else (),
                bool(commitment.get("done")),
                answered_by,
            )
        )
    return found


def describe(content: dict[str, Any]) -> list[tuple[str, str]]:
    """The indicators under the point they belong to, and how each of last year's plans was answered."""
    points = _points(content)
    themed = any(chapter.get("heading") for chapter in _dicts(content.get("chapters")))
    facts = []
    for c, (chapter, chapter_points) in enumerate(zip(_dicts(content.get("chapters")), points, strict=True), 1):
        where = f"{chinese_number(c)}、{chapter.get('heading') or ''}" if themed else ""
        for p, point in enumerate(chapter_points, 1):
            label = f"{where}（{chinese_number(p)}）{point.get('heading') or ''}"
            for indicator in _dicts(point.get("indicators")):
                name = str(indicator.get("name") or _("（未命名）"))
                value = str(indicator.get("value") or "")
                shown = f"{value}{indicator.get('unit') or ''}" if value else _("未填写")
                facts.append((_("指标：%(point)s · %(name)s") % {"point": label, "name": name}, shown))
    for answer in answers(content):
        if answer.done:
            state = _("已落实") + (f"（{answer.answered_by}）" if answer.answered_by else "")
        else:
            state = _("对应要点：%(point)s") % {"point": answer.answered_by} if answer.answered_by else _("尚未说明")
        facts.append((_("上年度安排：%(task)s") % {"task": answer.heading}, state))
    return facts


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """What it prints (chapters, points), the indicators it publishes as figures, and last year's plans with what
    this year's report says of them (the public comparison shows them; the checklist says so to the filer)."""
    chapters = [
        {
            "heading": str(chapter.get("heading") or ""),
            "points": [
                {
                    "heading": str(point.get("heading") or ""),
                    "paragraphs": [str(p) for p in point.get("paragraphs") or [] if isinstance(p, str)],
                    "indicators": [
                        {
                            "name": str(i.get("name") or ""),
                            "value": str(i.get("value") or ""),
                            "unit": str(i.get("unit") or ""),
                        }
                        for i in _dicts(point.get("indicators"))
                    ],
                }
                for point in _dicts(chapter.get("points"))
            ],
        }
        for chapter in _dicts(content.get("chapters"))
    ]
    commitments = [
        {"heading": answer.heading, "text": list(answer.text), "done": answer.done, "answered_by": answer.answered_by}
        for answer in answers(content)
    ]
    return {"chapters": chapters, "commitments": commitments}


def outline(content: dict[str, Any]) -> list[str]:
    return [str(point.get("heading") or "") for chapter in _points(content) for point in chapter]


def item_count(content: dict[str, Any]) -> int:
    return sum(len(chapter) for chapter in _points(content))


def has_content(content: dict[str, Any]) -> bool:
    return any(chapter["points"] for chapter in content.get("chapters", []))


def has_data(content: dict[str, Any]) -> bool:
    return has_content(content) or any(chapter["heading"] for chapter in content.get("chapters", []))


def _point_blocks(chapter: dict[str, Any]) -> list[Block]:
    return [block for p in chapter["points"] for block in point_blocks(p["heading"], p["paragraphs"])]


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


def figure_in_text(indicator: dict[str, Any], text: str) -> bool:
    """Whether the body says the figure, as in 检查企业 19.2 万家 (spaces and full-width digits aside)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    unit = re.sub(r"\s+", "", unicodedata.normalize("NFKC", indicator["unit"]))
    return re.search(rf"(?<![\d.]){re.escape(indicator['value'])}(?![\d.]){re.escape(unit)}", text) is not None


def check(entry: dict[str, Any]) -> list[str]:
    content = entry["content"]
    chapters = content.get("chapters", [])
    themed = any(chapter["heading"] for chapter in chapters)
    findings = []
    for c, chapter in enumerate(chapters, 1):
        where = f"{chinese_number(c)}、{chapter['heading']}" if themed else ""
        if themed and not chapter["heading"]:
            findings.append(_("第%(n)s章没有标题：分为多章时，每章都要有标题。") % {"n": chinese_number(c)})
        if themed and not chapter["points"]:
            findings.append(_("“%(chapter)s”还没有要点。") % {"chapter": where})
        for p, point in enumerate(chapter["points"], 1):
            label = f"{where}（{chinese_number(p)}）{point['heading']}"
            if not point["paragraphs"]:
                findings.append(_("“%(point)s”还没有内容。") % {"point": label})
            findings += _indicator_findings(label, point)
    for commitment in content.get("commitments", []):
        if not commitment["done"] and not commitment["point"]:
            findings.append(_("上年度安排“%(task)s”尚未说明落实情况。") % {"task": commitment["heading"]})
    return findings


def _indicator_findings(label: str, point: dict[str, Any]) -> list[str]:
    findings = []
    text = "".join(point["paragraphs"])
    for indicator in point["indicators"]:
        name = indicator["name"] or _("（未命名）")
        if not indicator["name"]:
            findings.append(_("“%(point)s”有一个指标没有名称。") % {"point": label})
        if not indicator["value"]:
            findings.append(_("“%(point)s”的指标“%(name)s”还没有数值。") % {"point": label, "name": name})
        elif not figure_in_text(indicator, text):
            figure = f"{indicator['value']}{indicator['unit']}"
            findings.append(
                _("“%(point)s”的指标“%(name)s %(figure)s”在正文中没有出现，请核对数字。")
                % {"point": label, "name": name, "figure": figure}
            )
    return findings


def carry_over(section: ReportSection, previous: dict[str, Any] | None, promises: list[Promise]) -> None:
    """Last year's chapter and point headings, with nothing written under them; last year's plans as a checklist."""
    if previous:
        outline = {
            "chapters": [
                {"heading": c["heading"], "points": [{"heading": p["heading"]} for p in c["points"]]}
                for c in previous["content"].get("chapters", [])
            ]
        }
        services.save_measures(section=section, chapters=_planned(outline))
    services.replace_commitments(section=section, promises=promises)


class MeasuresEditor(SectionEditor):
    parts_template_name = "measures/edit_parts.html"
    aside_template_name = "measures/edit_aside.html"

    def build_parts(self, data: Any) -> list:
        chapters = list(self.section.chapters.all())
        self.tree = MeasuresForms(data, chapters)
        self.templates = template_forms()
        commitments = list(self.section.commitments.all())
        # The checklist exists only in a report started from last year's.
        self.commitment_forms = commitment_formset(data, commitments, chapters) if commitments else None
        by_id = {c.pk: c for c in commitments}
        self.commitment_pairs = [(form, by_id[_pk(form)]) for form in self.commitment_forms or [] if _pk(form) in by_id]
        answers: dict[int, list[str]] = {}
        for commitment in commitments:
            answers.setdefault(commitment.point_id, []).append(commitment.heading)
        for chapter in self.tree.nodes:
            for point in chapter.nodes:
                point.answers = answers.get(point.form.initial.get("id"), [])
        return [self.commitment_forms] if self.commitment_forms else []

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.tree.is_valid()])

    def forms(self) -> list:
        return [*super().forms(), *self.tree.forms()]

    def save_parts(self) -> None:
        services.save_measures(section=self.section, chapters=self.tree.planned())
        marks = {
            form.cleaned_data["id"]: (form.cleaned_data["done"], form.cleaned_data["point"])
            for form in self.commitment_forms or []
            if form.cleaned_data.get("id")
        }
        services.mark_commitments(section=self.section, marks=marks)


def _pk(form: Any) -> int | None:
    value = str(form["id"].value() or "")
    return int(value) if value.isdigit() else None


SECTION = register(
    SectionType(
        key="measures",
        default_heading=str(_("推进法治政府建设的主要举措和成效")),
        position=10,
        serialize=serialize,
        load=load,
        print_blocks=print_blocks,
        has_content=has_content,
        editor=MeasuresEditor,
        prefetch=PREFETCH,
        has_data=has_data,
        check=check,
        carry_over=carry_over,
        answers=answers,
        outline=outline,
        indicators=indicators,
        describe=describe,
        may_declare_nothing=False,
        importing=IMPORTING,
        empty_content=lambda: {"chapters": []},
        item_count=item_count,
        public_content=public_content,
    )
)
