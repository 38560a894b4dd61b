from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency, ProvincePolicy, Region, Role, User
from reports.console.models import BulkImport
from reports.filing.sections import section_types

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "code", "region", "kind"]

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.within(region).order_by("code")
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"


class RetireForm(forms.Form):
    merged_into = forms.ModelChoiceField(label=_("并入机关"), queryset=Agency.objects.none())

    def __init__(self, *args, agency: Agency, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = Agency.objects.within(region).active().exclude(pk=agency.pk)


class StaffForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "agency", "role", "region", "is_active"]
        labels = {"username": _("用户名"), "email": _("电子邮箱"), "is_active": _("在用")}
        help_texts = {"username": _("登录用的名称：字母、数字或 . @ + - _"), "is_active": ""}

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.within(region).active().select_related("region")
        self.fields["agency"].required = False
        self.fields["region"].queryset = Region.objects.within(region).order_by("code")
        self.fields["region"].help_text = _("仅管理员填写：其管理的地区。")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("该电子邮箱已被其他账号使用。"))
        return email

    def clean(self):
        data = super().clean()
        role, agency, region = data.get("role"), data.get("agency"), data.get("region")
        if role == Role.ADMINISTRATOR:
            if not (region or agency):
                self.add_error("region", _("管理员须指定管理的地区。"))
        else:
            data["region"] = None
            if not agency:
                self.add_error("agency", _("填报人、审核人和签发人须属于一个机关。"))
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ProvincePolicy
        fields = ["administrators_read_drafts", "reviewers_read_unsubmitted", "own_report_approval"]


class CycleSettingsForm(forms.Form):
    due_date = forms.DateField(label=_("报送截止日期"), widget=DATE)
    publication_deadline = forms.DateField(label=_("公开截止日期"), widget=DATE)
    requires_sign_off = forms.BooleanField(label=_("报送前须经机关负责人签发"), required=False)
    own_sections = forms.BooleanField(
        label=_("使用本省的报告部分设置"), required=False, help_text=_("不勾选则使用全国通用的报告部分。")
    )


class SectionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    included = forms.BooleanField(
        label=_("包含"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    heading = forms.CharField(
        label=_("标题"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    required = forms.BooleanField(
        label=_("必填"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each row's boxes say which section they are for, to a screen reader too.
        heading = self.initial.get("heading", "")
        self.fields["included"].widget.attrs["aria-label"] = _("包含“%(h)s”") % {"h": heading}
        self.fields["heading"].widget.attrs["aria-label"] = _("“%(h)s”的标题") % {"h": heading}
        self.fields["required"].widget.attrs["aria-label"] = _("“%(h)s”必填") % {"h": heading}


SectionFormSet = forms.formset_factory(SectionForm, extra=0)


def section_initial(rows) -> list[dict]:
    """One line per registered section: as the province (or, failing it, the nation) set it."""
    by_key = {row.key: row for row in rows}
    initial = []
    for section in section_types():
        row = by_key.get(section.key)
        initial.append(
            {
                "key": section.key,
                "included": row is not None,
                "heading": row.heading if row else section.default_heading,
                "required": row.required if row else True,
            }
        )
    order = {row.key: row.position for row in rows}
    return sorted(initial, key=lambda line: order.get(line["key"], 1000))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=BulkImport.Kind.choices)
    file = forms.FileField(label=_("表格文件（.xlsx 或 .csv）"))
