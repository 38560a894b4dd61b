from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.filing.cleaning import ADDRESSEE, ATTACHMENTS
from reports.filing.models import Report
from reports.filing.tidying import CleaningMixin


class ReportDetailsForm(CleaningMixin, forms.ModelForm):
    cleaning = {"addressee": ADDRESSEE, "attachments": ATTACHMENTS}
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
        help_texts = {
            "preface": _("每段一行。"),
            "other_matters": _("每段一行；没有可不填。"),
            "addressee": _("报告中由平台在后面加上冒号。"),
            "attachments": _("每行一个附件名称；“附件：”和序号由平台加上。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        # static/js/editor.js keeps a copy of what is typed until the server has saved it.
        self.draft_key = f"portal-draft:{self.instance.pk}:details"
        self.helper.add_input(Submit("save", _("保存")))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("必须填写理由。")},
    )


class ConfirmForm(forms.Form):
    """A step that cannot be undone asks for a ticked box: it works without JavaScript, and a stray click or a
    double submit does nothing."""

    confirm = forms.BooleanField(
        label=_("我已了解，确认继续"), error_messages={"required": _("请先勾选确认，再继续。")}
    )
