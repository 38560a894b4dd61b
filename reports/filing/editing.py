"""The generic frame of a section's edit page; each section app adds its own forms.

Lists on these pages (points, items, indicators) are Django formsets with ORDER and DELETE
fields, so they post and save without JavaScript; static/js/formsets.js adds, removes and
reorders their forms in the page by writing those same fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BaseFormSet
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection
from reports.filing.punctuation_offer import OffersFullWidthPunctuation
from reports.filing.sections import get_section_type

ORDER, DELETE = "ORDER", "DELETE"


class SectionFrameForm(OffersFullWidthPunctuation, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportSection
        fields = ["heading", "text", "nothing_to_report", "folded"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "data-count": ""})}
        labels = {"text": _("概述（每段一行）")}
        help_texts = {
            "heading": _("留空则使用本年度规定的标题。"),
            "text": _("写在本部分标题下、各要点之前的段落；没有可不填。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["heading"].required = False
        self.helper = inline_helper()

    def clean_heading(self) -> str:
        heading = self.cleaned_data["heading"].strip()
        return heading or cycle_heading(self.instance)


def cycle_heading(section: ReportSection) -> str:
    """The heading the reporting cycle gives this section, or the registry's default."""
    report = section.report
    headings = {cs.key: cs.heading for cs in report.cycle_sections()}
    return headings.get(section.key) or get_section_type(section.key).default_heading


def inline_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def is_blank(form: forms.BaseForm, fields: Iterable[str]) -> bool:
    data = getattr(form, "cleaned_data", {})
    return all(data.get(name) in (None, "", False) for name in fields)


def ordered_forms(formset: BaseFormSet) -> list[forms.BaseForm]:
    """A valid formset's forms not marked for deletion, in the filer's order.

    Forms without an order (new ones typed without JavaScript) go last, in page order.
    """
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", {})
        if data.get(DELETE):
            continue
        order = data.get(ORDER)
        rows.append(((order is None, order or 0, index), form))
    return [form for _, form in sorted(rows, key=lambda row: row[0])]


def kept_forms(formset: BaseFormSet, fields: Iterable[str]) -> list[forms.BaseForm]:
    """The forms to save, in order. A form left entirely blank is not kept: clearing an item removes it."""
    fields = list(fields)
    return [form for form in ordered_forms(formset) if not is_blank(form, fields)]


def mark_extra_forms(formset: BaseFormSet) -> BaseFormSet:
    """Unbound, a list ends with one blank form to type into without JavaScript, which formsets.js removes.

    An empty list's blank form is not marked: it stays, so a filer can start typing at once.
    """
    initial = formset.initial_form_count()
    for index, form in enumerate(formset.forms):
        form.is_extra = not formset.is_bound and 0 < initial <= index
    return formset


def save_in_order(formset: BaseFormSet, fields: Iterable[str]) -> None:
    """Save an inline model formset: rows in the filer's order; deleted or emptied rows removed."""
    kept = kept_forms(formset, fields)
    for form in formset.initial_forms:
        if form not in kept and form.instance.pk:
            form.instance.delete()
    for position, form in enumerate(kept, 1):
        item = form.save(commit=False)
        item.position = position
        item.save()


class SectionEditor:
    """Binds the frame form and a section app's forms, validates and saves them together.

    Subclasses build their own parts in `build_parts` and may override `save_parts`.
    """

    template_name = "filing/section_edit.html"
    parts_template_name = ""
    aside_template_name = ""
    parts_legend = ""
    text_help = ""

    def __init__(self, section: ReportSection, data: Any = None) -> None:
        self.section = section
        self.data = data
        self.frame = SectionFrameForm(data, instance=section, prefix="frame")
        if self.text_help:
            self.frame.fields["text"].help_text = self.text_help
        self.parts: list[forms.BaseForm | BaseFormSet] = self.build_parts(data)

    def build_parts(self, data: Any) -> list[forms.BaseForm | BaseFormSet]:
        return []

    def is_valid(self) -> bool:
        results = [self.frame.is_valid(), *[part.is_valid() for part in self.parts]]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return self.data is not None and not self.is_valid()

    def save_parts(self) -> None:
        for part in self.parts:
            part.save()

    def save(self) -> None:
        self.frame.save()
        self.save_parts()

    def describe(self, content: dict[str, Any]) -> list[tuple[str, str]]:
        """Facts of the section that are not printed, as (label, value) for the conflict panel."""
        return []
