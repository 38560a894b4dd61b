from django import forms
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report
from reports.filing.snapshot import ordered_sections
from reports.transfer.files import MAX_BYTES
from reports.transfer.services import OTHER_MATTERS, PREFACE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("报告文件"),
        help_text=_("Word（.docx）或文本（.txt）文件，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    keep_half_width = forms.BooleanField(
        label=_("保留文件中的半角标点"),
        required=False,
        help_text=_("平台默认把中文之间的半角“, : ; ( ) ? !”改为全角，并在结果中列出；勾选则照原样导入。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，不能导入。"))
        return upload


class PlaceForm(forms.Form):
    where = forms.ChoiceField(label=_("放入"), widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [
            (PREFACE, _("导语")),
            *((section.key, section.heading) for section in ordered_sections(report)),
            (OTHER_MATTERS, _("其他需要报告的情况")),
        ]
