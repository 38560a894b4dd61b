"""The query parameters of the comparison and the compliance board, validated (a bad value is a 400)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportingCycle
from reports.publication.places import RegionField, places

ON_TIME, LATE, MISSING = "on_time", "late", "missing"


class CompareForm(forms.Form):
    """Which two of an agency's published years to compare: `to` defaults to the latest, `from` to the year
    before `to`."""

    def __init__(self, data, *, years: list[int]) -> None:
        super().__init__(data)
        self.published_years = sorted(years, reverse=True)
        choices = [("", "")] + [(year, _("%(year)s年度") % {"year": year}) for year in self.published_years]
        self.fields["from"] = forms.TypedChoiceField(label=_("对照年度"), choices=choices, coerce=int, required=False)
        self.fields["to"] = forms.TypedChoiceField(label=_("本年度"), choices=choices, coerce=int, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or not self.published_years:
            return data
        later = data.get("to") or self.published_years[0]
        earlier = data.get("from") or next((y for y in self.published_years if y < later), None)
        if earlier is None or earlier >= later:
            raise forms.ValidationError(_("请选择两个不同的年度，对照年度应早于本年度。"))
        data["from"], data["to"] = earlier, later
        return data

    def years(self) -> tuple[int, int]:
        return self.cleaned_data["from"], self.cleaned_data["to"]


class BoardForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    region = RegionField(label=_("地区"), required=False)
    status = forms.ChoiceField(
        label=_("公开情况"),
        required=False,
        choices=[("", _("全部")), (ON_TIME, _("按时公开")), (LATE, _("逾期公开")), (MISSING, _("未公开"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = places().cycles
        self.fields["year"].choices = [("", "")] + [(year, year) for year in self.cycles]

    def cycle(self) -> ReportingCycle | None:
        """The chosen year's cycle; by default the latest whose deadline has passed."""
        year = self.cleaned_data.get("year")
        if year:
            return self.cycles[year]
        closed = ReportingCycle.objects.last_closed()
        # The kept one, its provinces' terms read with it.
        return self.cycles.get(closed.year, closed) if closed is not None else None

    def error_text(self) -> str:
        return "；".join(f"{self.fields[name].label}：{' '.join(errors)}" for name, errors in self.errors.items())
