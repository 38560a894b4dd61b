"""The generic frame of a section's edit page; each section app adds its own forms."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BaseFormSet
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection


class SectionFrameForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportSection
        fields = ["heading", "text", "nothing_to_report"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("概述（每段一行）")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def inline_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class SectionEditor:
    """Binds the frame form and a section app's forms, validates and saves them together.

    Subclasses build their own parts in `build_parts` and may override `save_parts`.
    """

    template_name = "filing/section_edit.html"
    parts_template_name = ""

    def __init__(self, section: ReportSection, data: Any = None) -> None:
        self.section = section
        self.data = data
        self.frame = SectionFrameForm(data, instance=section, prefix="frame")
        self.parts: list[forms.Form | BaseFormSet] = self.build_parts(data)

    def build_parts(self, data: Any) -> list[forms.Form | BaseFormSet]:
        return []

    @property
    def submitted_version(self) -> int | None:
        return self.frame.cleaned_data.get("version") if hasattr(self.frame, "cleaned_data") else None

    def is_valid(self) -> bool:
        results = [self.frame.is_valid(), *[part.is_valid() for part in self.parts]]
        return all(results)

    def save_parts(self) -> None:
        for part in self.parts:
            part.save()

    def save(self) -> None:
        self.frame.save()
        self.save_parts()
