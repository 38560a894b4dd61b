"""The province-wide view for the provincial 司法厅 and its rule-of-law office (and any justice department or
administrator for their own region): progress by city and county, court-ruling figures, every agency, .xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.agencies.models import Region, User
from reports.audit import tables
from reports.audit.models import Kind
from reports.audit.services import record
from reports.filing.models import ReportingCycle
from reports.oversight import progress


def region_overseen(user: User) -> Region | None:
    """The region whose progress a person may follow: a justice department's reviewers their department's region,
    an administrator theirs. Reading it changes nothing: who reviews a report stays as it is."""
    if user.is_reviewer:
        return user.agency.region
    return user.administered_region


def _cycle(request: HttpRequest) -> ReportingCycle:
    year = request.GET.get("year")
    if year and year.isdigit():
        return get_object_or_404(ReportingCycle, year=int(year))
    cycle = ReportingCycle.objects.current_or_latest()
    if cycle is None:
        raise Http404
    return cycle


@login_required
def province(request: HttpRequest) -> HttpResponse:
    region = region_overseen(request.user)
    if region is None:
        raise Http404
    cycle = _cycle(request)
    view = progress.province_view(region, cycle)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, view)
    return render(
        request,
        "oversight/province.html",
        {
            "view": view,
            "stages": progress.STAGES,
            "cycles": ReportingCycle.objects.all(),
            "agencies_url": f"{reverse('oversight:agencies')}?year={cycle.year}",
        },
    )


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    region = region_overseen(request.user)
    if region is None:
        raise Http404
    cycle = _cycle(request)
    within = request.GET.get("region", "")
    rows = progress.agency_rows(region, cycle)
    if within:
        division = get_object_or_404(Region.objects.within(region), code=within)
        rows = rows.filter(region__in=Region.objects.within(division))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for agency in page:
        agency.stage = progress.stage_label(agency.report_state)
    return render(request, "oversight/agencies.html", {"page": page, "cycle": cycle, "region_code": within})


def _xlsx(request: HttpRequest, view: progress.ProvinceView) -> HttpResponse:
    record(kind=Kind.EXPORTED, actor=request.user, target=_("%(year)s年度全省进度") % {"year": view.cycle.year})
    stage_labels = [str(label) for _key, label in progress.STAGES]
    by_region = [
        [
            row.region.code,
            row.region.name,
            row.tally.agencies,
            *[n for _key, n in row.tally.stage_counts()],
            row.tally.late,
            row.tally.submitted_late,
        ]
        for row in view.rows
    ]
    header = ["行政区划代码", "地区", "机关数", *stage_labels, "逾期未报送", "逾期报送"]
    agencies = (
        [
            a.region.code,
            a.region.name,
            a.name,
            a.get_kind_display(),
            progress.stage_label(a.report_state),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
        ]
        for a in progress.agency_rows(view.region, view.cycle).iterator(chunk_size=2000)
    )
    figures = [[block["title"], label, n] for block in view.figures for label, n in block["counts"]] + [
        [block["title"], name, text] for block in view.figures for name, text in block["rates"]
    ]
    return tables.xlsx_response(
        f"province-{view.region.code}-{view.cycle.year}.xlsx",
        [
            (_("进度"), header, by_region),
            (_("机关"), ["行政区划代码", "地区", "机关", "类别", "状态", "报送时间"], agencies),
            (_("案件数字"), ["类别", "项目", "数值"], figures),
        ],
    )
