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

from reports.filing.cleaning import CHAPTER_HEADING
from reports.filing.models import ReportSection
from reports.filing.sections import get_section_type
from reports.filing.tidying import CleaningMixin

ORDER, DELETE = "ORDER", "DELETE"
KEEP_CONTENT, DECLARE_NOTHING = "keep", "nothing"


class SectionFrameForm(CleaningMixin, forms.ModelForm):
    cleaning = {"heading": CHAPTER_HEADING}
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Asked only when "nothing to report" is ticked on a section that still holds text (see services.save_section).
    declaration = forms.ChoiceField(
        label=_("本部分勾选了“本年度无此项内容”，但仍填有内容。请选择以哪一个为准："),
        required=False,
        choices=[
            (KEEP_CONTENT, _("保留已填写的内容，取消勾选“本年度无此项内容”")),
            (DECLARE_NOTHING, _("本年度确无此项内容：清空本部分已填写的正文和条目，报告中印“本年度无此项情况。”")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReportSection
        fields = ["heading", "text", "nothing_to_report", "folded"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "data-count": ""})}
        labels = {"text": _("概述（每段一行）")}
        help_texts = {
            "heading": _("留空则使用本年度规定的标题。"),
            "text": _("写在本部分标题下、各要点之前的段落；没有可不填。"),
            "nothing_to_report": _(
                "勾选后，报告中本部分只印“本年度无此项情况。”。本部分如仍填有内容，保存时会请您选择以哪一个为准。"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["heading"].required = False
        # A part no report may lack is not offered the box; one ticked by an import is shown, to be unticked.
        if not get_section_type(self.instance.key).may_declare_nothing:
            if self.instance.nothing_to_report:
                self.fields["nothing_to_report"].help_text = _("本部分是年度报告必须写明的内容，请取消勾选并填写。")
            else:
                del self.fields["nothing_to_report"]
        self.helper = inline_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("declaration") == KEEP_CONTENT:
            data["nothing_to_report"] = False
        return data

    @property
    def declares_nothing(self) -> bool:
        return bool(self.cleaned_data.get("nothing_to_report"))

    @property
    def clears_content(self) -> bool:
        return self.declares_nothing and self.cleaned_data.get("declaration") == DECLARE_NOTHING

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
        # Set when saving found "nothing to report" ticked beside text: the page then asks which stands.
        self.undecided = False
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

    def forms(self) -> list[forms.BaseForm]:
        """Every form of the page, the forms of its lists included (for the cleaning rules' notice)."""
        found: list[forms.BaseForm] = [self.frame]
        for part in self.parts:
            found += list(part.forms) if isinstance(part, BaseFormSet) else [part]
        return found

    def save_parts(self) -> None:
        for part in self.parts:
            part.save()

    def save(self) -> None:
        self.frame.save()
        self.save_parts()
