from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report
from reports.filing.punctuation_offer import OffersFullWidthPunctuation


class ReportDetailsForm(OffersFullWidthPunctuation, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = [
            "title",
            "addressee",
            "preface",
            "other_matters",
            "signature",
            "signed_on",
            "public_note",
            "attachments",
        ]
        widgets = {
            "preface": forms.Textarea(attrs={"rows": 4, "data-count": ""}),
            "other_matters": forms.Textarea(attrs={"rows": 3, "data-count": ""}),
            "attachments": forms.Textarea(attrs={"rows": 2}),
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"preface": _("每段一行。"), "other_matters": _("每段一行；没有可不填。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        # static/js/editor.js keeps a copy of what is typed until the server has saved it.
        self.helper.attrs = {"data-editor": "", "data-draft-key": f"portal-draft:{self.instance.pk}:details"}
        if self.is_bound:
            self.helper.attrs["data-unsaved"] = ""
        self.helper.add_input(Submit("save", _("保存")))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("必须填写理由。")},
    )
