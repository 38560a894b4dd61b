"""The administrator's view of the security log: search, then export what was found."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.audit import services, tables
from reports.audit.models import Kind


class SearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("事件"), choices=[("", _("全部")), *Kind.choices], required=False)
    who = forms.CharField(label=_("用户"), required=False)
    address = forms.GenericIPAddressField(label=_("来源地址"), required=False)
    text = forms.CharField(label=_("对象或内容"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def may_read_log(user) -> bool:
    return user.is_active and (user.is_superuser or user.administered_region is not None)


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    if not may_read_log(request.user):
        raise Http404
    form = SearchForm(request.GET or None)
    events = services.events_for(request.user)
    if form.is_bound and form.is_valid():
        events = services.search_events(events, **form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        services.record(
            kind=Kind.EXPORTED, actor=request.user, target=_("安全日志"), detail=f"{export}：{request.GET.urlencode()}"
        )
        name = f"security-log-{timezone.localdate():%Y%m%d}.{export}"
        if export == "csv":
            return tables.csv_response(name, services.HEADER, services.rows(events))
        return tables.xlsx_response(name, [(str(_("安全日志")), services.HEADER, services.rows(events))])
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
