"""The measures edit page: chapters → points → indicators as nested formsets, plus last year's checklist.

Why nested formsets rather than a JSON document edited in the browser: every field is an ordinary
Django field, rendered by crispy-forms and validated on the server one form at a time, so an error
shows beside the box it is about, and the page still saves without JavaScript. Each level's prefix
derives from its parent's (chapters-0-points-2-indicators), so a chapter or point added in the
browser brings its own nested formset. Moving or removing a form renames nothing: the order goes in
ORDER and a removal in DELETE, so every prefix stays what it was when the form was made. Rows carry
their database id; the editor resolves ids only among this section's rows, so a tampered or stale id
becomes a new row, never someone else's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from reports.filing.cleaning import CHAPTER_HEADING, POINT_HEADING
from reports.filing.document import chinese_number
from reports.filing.editing import DELETE, is_blank, kept_forms, ordered_forms
from reports.filing.tidying import CleaningMixin
from reports.measures.models import Chapter, Commitment

CHAPTER_FIELDS = ("heading",)
POINT_FIELDS = ("heading", "body")
INDICATOR_FIELDS = ("name", "value", "unit")
# The prefix of the forms the browser clones; formsets.js swaps in the formset's prefix and the index.
TEMPLATE_PREFIX = "__FS__"


class FigureField(forms.DecimalField):
    """A number as filers type it: full-width digits and thousands separators are fine; units are not."""

    default_error_messages = {
        "invalid": _("“数值”只填数字，如 19.2 或 6230；“%”“万家”等单位请填在“单位”栏。"),
    }

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "")
        return super().to_python(value)


def _hidden_id() -> forms.IntegerField:
    return forms.IntegerField(required=False, widget=forms.HiddenInput)


class ChapterForm(CleaningMixin, forms.Form):
    cleaning = {"heading": CHAPTER_HEADING}
    id = _hidden_id()
    heading = forms.CharField(
        label=_("章标题"),
        max_length=200,
        required=False,
        help_text=_("如“完善法治建设体制机制”。只有一章时可不填，要点直接排在本部分标题下。"),
    )


class PointForm(CleaningMixin, forms.Form):
    cleaning = {"heading": POINT_HEADING}
    id = _hidden_id()
    heading = forms.CharField(label=_("要点标题"), max_length=200, required=False)
    body = forms.CharField(
        label=_("内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-count": ""}),
        help_text=_("每段一行。"),
    )


def _small(placeholder: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": placeholder, **attrs})


class IndicatorForm(forms.Form):
    id = _hidden_id()
    name = forms.CharField(label=_("指标"), max_length=100, required=False, widget=_small(_("检查企业")))
    value = FigureField(
        label=_("数值"),
        max_digits=18,
        decimal_places=4,
        required=False,
        widget=_small("19.2", inputmode="decimal"),
    )
    unit = forms.CharField(label=_("单位"), max_length=20, required=False, widget=_small(_("万家")))


class CommitmentForm(forms.Form):
    id = _hidden_id()
    done = forms.BooleanField(
        label=_("已落实"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    point = forms.TypedChoiceField(label=_("对应要点"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, point_choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [("", _("（未指定）")), *point_choices]


ChapterFormSet = formset_factory(ChapterForm, extra=0, can_order=True, can_delete=True)
PointFormSet = formset_factory(PointForm, extra=0, can_order=True, can_delete=True)
IndicatorFormSet = formset_factory(IndicatorForm, extra=0, can_order=True, can_delete=True)
CommitmentFormSet = formset_factory(CommitmentForm, extra=0)


@dataclass
class Node:
    """A form of the tree and the formset of its children (a chapter's points, a point's indicators)."""

    form: forms.BaseForm
    extra: bool = False
    children: BaseFormSet | None = None
    nodes: list[Node] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)

    @property
    def is_deleted(self) -> bool:
        return bool(getattr(self.form, "cleaned_data", {}).get(DELETE))


@dataclass
class PlannedIndicator:
    id: int | None
    name: str
    value: Decimal | None
    unit: str


@dataclass
class PlannedPoint:
    id: int | None
    heading: str
    body: str
    indicators: list[PlannedIndicator]


@dataclass
class PlannedChapter:
    id: int | None
    heading: str
    points: list[PlannedPoint]


class MeasuresForms:
    """The chapters, points and indicators of one measures section, bound to a POST or to the saved rows.

    Unbound, the list of chapters and each list of points end with one blank form to type into without
    JavaScript (`extra`: the script removes it and adds forms on demand instead); an empty list's blank
    form stays, so a filer can start typing at once. Indicators get no blank row: with hundreds of points
    it would double the page, and adding an indicator is the one thing left to the script.
    """

    def __init__(self, data: Any, chapters: list[Chapter]) -> None:
        self.data = data
        initial = [{"id": c.pk, "heading": c.heading} for c in chapters]
        self.chapters = self._formset(ChapterFormSet, "chapters", initial, blank=1)
        self.nodes = []
        for c, form in enumerate(self.chapters.forms):
            points = list(chapters[c].points.all()) if c < len(chapters) else []
            initial = [{"id": p.pk, "heading": p.heading, "body": p.body} for p in points]
            node = Node(form, self._is_extra(self.chapters, c))
            node.children = self._formset(PointFormSet, f"{form.prefix}-points", initial, blank=1)
            for p, point_form in enumerate(node.children.forms):
                indicators = list(points[p].indicators.all()) if p < len(points) else []
                initial = [{"id": i.pk, "name": i.name, "value": i.value_text, "unit": i.unit} for i in indicators]
                point = Node(point_form, self._is_extra(node.children, p))
                point.children = self._formset(IndicatorFormSet, f"{point_form.prefix}-indicators", initial, blank=0)
                point.nodes = [Node(f) for f in point.children.forms]
                node.nodes.append(point)
            self.nodes.append(node)

    def _formset(self, formset_class: type[BaseFormSet], prefix: str, initial: list[dict], blank: int) -> BaseFormSet:
        # Bound, the rows are what was posted (ids included), never today's rows: those may have changed since.
        formset = formset_class(self.data, prefix=prefix, initial=None if self.data is not None else initial or None)
        formset.extra = blank
        return formset

    def _is_extra(self, formset: BaseFormSet, index: int) -> bool:
        return self.data is None and 0 < formset.initial_form_count() <= index

    def is_valid(self) -> bool:
        # What is being deleted need not be valid: a deleted chapter's points are not checked.
        results = [self.chapters.is_valid()]
        for chapter in self.nodes:
            if chapter.is_deleted:
                continue
            results.append(chapter.children.is_valid())
            results += [point.children.is_valid() for point in chapter.nodes if not point.is_deleted]
        return all(results)

    @property
    def non_form_errors(self) -> list[str]:
        formsets = [
            self.chapters,
            *[n.children for n in self.nodes],
            *[p.children for n in self.nodes for p in n.nodes],
        ]
        return [error for formset in formsets for error in formset.non_form_errors()]

    def forms(self) -> list[forms.BaseForm]:
        """Every chapter and point form, and the indicator forms (deleted ones included: they are skipped later)."""
        found: list[forms.BaseForm] = []
        for chapter in self.nodes:
            found.append(chapter.form)
            for point in chapter.nodes:
                found += [point.form, *point.children.forms]
        return found

    def planned(self) -> list[PlannedChapter]:
        """The tree as the filer left it: ordered, without deleted or blank rows (call after is_valid)."""
        by_form = {id(n.form): n for n in self.nodes}
        chapters = []
        for chapter_form in ordered_forms(self.chapters):
            node = by_form[id(chapter_form)]
            points_by_form = {id(p.form): p for p in node.nodes}
            points = []
            for point_form in ordered_forms(node.children):
                point = points_by_form[id(point_form)]
                indicators = [
                    PlannedIndicator(d.get("id"), d.get("name", ""), d.get("value"), d.get("unit", ""))
                    for d in (f.cleaned_data for f in kept_forms(point.children, INDICATOR_FIELDS))
                ]
                data = point_form.cleaned_data
                if indicators or not is_blank(point_form, POINT_FIELDS):
                    points.append(
                        PlannedPoint(data.get("id"), data.get("heading", ""), data.get("body", ""), indicators)
                    )
            data = chapter_form.cleaned_data
            if points or not is_blank(chapter_form, CHAPTER_FIELDS):
                chapters.append(PlannedChapter(data.get("id"), data.get("heading", ""), points))
        return chapters


def template_forms() -> dict[str, forms.BaseForm]:
    """The blank forms the browser clones to add a chapter, a point or an indicator."""
    return {
        name: formset_class(prefix=TEMPLATE_PREFIX).empty_form
        for name, formset_class in (
            ("chapter", ChapterFormSet),
            ("point", PointFormSet),
            ("indicator", IndicatorFormSet),
        )
    }


def point_labels(chapters: list[Chapter]) -> list[tuple[int, str]]:
    """Each point as a filer finds it in the document: 二、依法规范履行政府职能（一）全面从严依法决策."""
    themed = any(chapter.heading for chapter in chapters)
    labels = []
    for c, chapter in enumerate(chapters, 1):
        prefix = f"{chinese_number(c)}、{chapter.heading}" if themed else ""
        for p, point in enumerate(chapter.points.all(), 1):
            labels.append((point.pk, f"{prefix}（{chinese_number(p)}）{point.heading}"))
    return labels


def commitment_formset(data: Any, commitments: list[Commitment], chapters: list[Chapter]) -> BaseFormSet:
    return CommitmentFormSet(
        data,
        prefix="commitments",
        initial=None if data is not None else [{"id": c.pk, "done": c.done, "point": c.point_id} for c in commitments],
        form_kwargs={"point_choices": point_labels(chapters)},
    )
