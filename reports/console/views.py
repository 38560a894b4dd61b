"""The provincial administrator's console: the region's agencies and staff, bulk import and export, the
province's policy and cycle settings, lockouts. Scoped to the administrator's region; views are thin."""

from __future__ import annotations

from functools import wraps

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.accounts.services import unlock
from reports.agencies.models import Agency, ProvincePolicy, Region, Role, User
from reports.audit import tables
from reports.audit.models import Kind
from reports.audit.services import record
from reports.console import bulk, services
from reports.console.forms import (
    AgencyForm,
    CycleSettingsForm,
    PolicyForm,
    RetireForm,
    SectionFormSet,
    StaffForm,
    UploadForm,
    section_initial,
)
from reports.console.models import BulkImport
from reports.console.services import ConsoleError
from reports.filing.models import CycleSection, ReportingCycle


def administrator(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.administered_region is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _agencies(request: HttpRequest):
    return Agency.objects.within(request.user.administered_region)


def _staff(request: HttpRequest):
    region = request.user.administered_region
    return User.objects.filter(Q(agency__in=_agencies(request)) | Q(region__in=Region.objects.within(region)))


def _export(request: HttpRequest, name: str, header: list[str], rows) -> HttpResponse:
    fmt = request.GET.get("format")
    record(kind=Kind.EXPORTED, actor=request.user, target=name, detail=fmt)
    file_name = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return tables.csv_response(file_name, header, rows)
    return tables.xlsx_response(file_name, [(name, header, rows)])


@administrator
def home(request: HttpRequest) -> HttpResponse:
    region = request.user.administered_region
    limit = settings.AXES_FAILURE_LIMIT
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=limit,
        username__in=_staff(request).values("username"),
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )
    return render(
        request,
        "console/home.html",
        {
            "region": region,
            "is_province": region.parent_id is None,
            "regions": Region.objects.within(region).count(),
            "agencies": _agencies(request).active().count(),
            "staff": _staff(request).filter(is_active=True).count(),
            "locked": locked,
            "cycles": ReportingCycle.objects.all(),
        },
    )


@administrator
@require_POST
def load_regions(request: HttpRequest) -> HttpResponse:
    loaded = services.load_own_regions(by=request.user)
    messages.success(
        request,
        _("已按 GB/T 2260 导入本省行政区划：新增 %(c)s 个，更新 %(r)s 个，未变 %(u)s 个。")
        % {"c": loaded.created, "r": loaded.renamed, "u": loaded.unchanged},
    )
    return redirect("console:home")


@administrator
@require_POST
def unlock_account(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    if not _staff(request).filter(username=username).exists():
        raise Http404
    unlock(username=username, by=request.user)
    messages.success(request, _("已解除“%(u)s”的登录锁定。") % {"u": username})
    return redirect(request.POST.get("back") or "console:home")


@administrator
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = _agencies(request).select_related("region", "merged_into")
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, _("机关"), bulk.AGENCY_EXPORT_HEADER, bulk.agency_rows(agencies))
    q = request.GET.get("q", "").strip()
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(region__name__icontains=q))
    page = Paginator(agencies.order_by("region__code", "kind", "name"), 50).get_page(request.GET.get("page"))
    rows = [(agency, Agency.objects.reviewing(agency)) for agency in page]
    return render(request, "console/agencies.html", {"page": page, "rows": rows, "q": q})


@administrator
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agency = get_object_or_404(_agencies(request), pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency, region=request.user.administered_region)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_agency(form=form, by=request.user)
        except ConsoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": saved.name})
            return redirect("console:agencies")
    retire = RetireForm(agency=agency, region=request.user.administered_region) if agency else None
    return render(request, "console/agency_form.html", {"form": form, "agency": agency, "retire_form": retire})


@administrator
@require_POST
def agency_retire(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(_agencies(request).active(), pk=pk)
    form = RetireForm(request.POST, agency=agency, region=request.user.administered_region)
    if not form.is_valid():
        messages.error(request, _("请选择并入的机关。"))
        return redirect("console:agency", pk=pk)
    try:
        n = services.retire_agency(agency=agency, merged_into=form.cleaned_data["merged_into"], by=request.user)
    except ConsoleError as error:
        messages.error(request, str(error))
        return redirect("console:agency", pk=pk)
    messages.success(
        request, _("“%(name)s”已撤并，已公开的报告仍然公开；停用账号 %(n)s 个。") % {"name": agency.name, "n": n}
    )
    return redirect("console:agencies")


@administrator
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request).select_related("agency", "region")
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, _("人员"), bulk.STAFF_EXPORT_HEADER, bulk.staff_rows(staff))
    q = request.GET.get("q", "").strip()
    if q:
        staff = staff.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(agency__name__icontains=q))
    if request.GET.get("role") in Role.values:
        staff = staff.filter(role=request.GET["role"])
    page = Paginator(staff.order_by("agency__region__code", "agency__name", "username"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "console/staff.html", {"page": page, "q": q, "roles": Role.choices})


def _password_page(request: HttpRequest, user: User, password: str, created: bool) -> HttpResponse:
    return render(request, "console/password.html", {"account": user, "password": password, "created": created})


@administrator
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = get_object_or_404(_staff(request), pk=pk) if pk else None
    form = StaffForm(request.POST or None, instance=user, region=request.user.administered_region)
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                account = services.create_staff(form=form, by=request.user)
                # The one-time password is shown once, in this answer, and kept nowhere.
                return _password_page(request, account.user, account.password, created=True)
            services.update_staff(form=form, by=request.user)
        except ConsoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存账号“%(u)s”。") % {"u": user.username})
            return redirect("console:staff")
    return render(request, "console/staff_form.html", {"form": form, "account": user})


@administrator
@require_POST
def staff_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_staff(request), pk=pk)
    try:
        password = services.reset_staff_password(user=user, by=request.user)
    except ConsoleError as error:
        messages.error(request, str(error))
        return redirect("console:staff_edit", pk=pk)
    return _password_page(request, user, password, created=False)


@administrator
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = bulk.upload(
                data=upload.read(), file_name=upload.name, kind=form.cleaned_data["kind"], by=request.user
            )
        except ConsoleError as error:
            messages.error(request, str(error))
        else:
            return redirect("console:import_preview", pk=batch.pk)
    return render(request, "console/import.html", {"form": form})


@administrator
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(BulkImport, pk=pk, created_by=request.user)
    checked = bulk.check(batch, request.user)
    columns = bulk.COLUMNS[batch.kind]
    return render(request, "console/import_preview.html", {"batch": batch, "checked": checked, "columns": columns})


@administrator
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(BulkImport, pk=pk, created_by=request.user)
    try:
        if batch.kind == BulkImport.Kind.AGENCIES:
            count = bulk.import_agencies(batch=batch, by=request.user)
        else:
            credentials = bulk.import_staff(batch=batch, by=request.user)
    except ConsoleError as error:
        messages.error(request, str(error))
        return redirect("console:import_preview", pk=pk)
    if batch.kind == BulkImport.Kind.AGENCIES:
        messages.success(request, _("已导入 %(n)s 个机关。") % {"n": count})
        return redirect("console:agencies")
    # The one-time passwords go to the administrator once, as this download, and are kept nowhere.
    record(kind=Kind.EXPORTED, actor=request.user, target=_("一次性密码表"), detail=batch.file_name)
    return tables.xlsx_response(
        f"one-time-passwords-{timezone.localdate():%Y%m%d}.xlsx",
        [(_("一次性密码"), bulk.CREDENTIAL_HEADER, bulk.credential_rows(credentials))],
    )


@administrator
def policy(request: HttpRequest) -> HttpResponse:
    region = request.user.administered_region
    if region.parent_id is not None:
        raise Http404
    current = ProvincePolicy.objects.for_region(region)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_policy(form=form, by=request.user)
        messages.success(request, _("省级设置已保存。"))
        return redirect("console:home")
    return render(request, "console/policy.html", {"form": form})


@administrator
def cycle_settings(request: HttpRequest, year: int) -> HttpResponse:
    province = request.user.administered_region
    if province.parent_id is not None:
        raise Http404
    cycle = get_object_or_404(ReportingCycle, year=year)
    terms = cycle.terms_for(province)
    own_rows = list(CycleSection.objects.filter(cycle=cycle, region=province).order_by("position"))
    rows = own_rows or list(CycleSection.objects.filter(cycle=cycle, region__isnull=True).order_by("position"))
    form = CycleSettingsForm(
        request.POST or None,
        initial={
            "due_date": terms.due_date,
            "publication_deadline": terms.publication_deadline,
            "requires_sign_off": terms.requires_sign_off,
            "own_sections": bool(own_rows),
        },
    )
    sections = SectionFormSet(request.POST or None, initial=section_initial(rows), prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        chosen = None
        if form.cleaned_data["own_sections"]:
            chosen = [
                {"key": s["key"], "heading": s["heading"], "required": s["required"]}
                for s in sections.cleaned_data
                if s["included"]
            ]
        try:
            services.save_cycle_settings(
                cycle=cycle,
                by=request.user,
                due_date=form.cleaned_data["due_date"],
                publication_deadline=form.cleaned_data["publication_deadline"],
                requires_sign_off=form.cleaned_data["requires_sign_off"],
                sections=chosen,
            )
        except ConsoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(year)s年度的本省设置已保存，对本省各机关生效。") % {"year": year})
            return redirect("console:home")
    return render(request, "console/cycle.html", {"cycle": cycle, "form": form, "sections": sections})
