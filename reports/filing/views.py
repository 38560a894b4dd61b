from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.agencies.models import Agency, User
from reports.filing import services
from reports.filing.carry_over import start_from_last_year
from reports.filing.checks import check_section
from reports.filing.document import compose_document
from reports.filing.editing import SectionEditor
from reports.filing.forms import ReasonForm, ReportDetailsForm
from reports.filing.models import CycleSection, Report, ReportingCycle, ReportSection, ReportState
from reports.filing.overview import report_overview
from reports.filing.sections import get_section_type
from reports.filing.snapshot import section_entry, snapshot_of
from reports.rendering import services as pdf_services
from reports.rendering.models import PdfRendition
from reports.rendering.services import render_draft_pdf, rendition_for


def _report(request: HttpRequest, pk: int) -> Report:
    """The report, if this user may see it; otherwise it does not exist for them."""
    report = get_object_or_404(Report.objects.select_related("agency__region", "cycle"), pk=pk)
    if not request.user.has_perm("filing.view_report", report):
        raise Http404
    return report


def _reports_for(user: User) -> QuerySet[Report]:
    reports = Report.objects.select_related("agency__region", "cycle")
    if user.is_reviewer:
        return reports.filter(agency__in=Agency.objects.reviewed_by(user.agency))
    if user.is_filer:
        return reports.filter(agency_id=user.agency_id)
    return reports.none()


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    open_cycles = ReportingCycle.objects.all()[:3]
    startable = []
    if user.is_filer:
        have = set(Report.objects.filter(agency_id=user.agency_id).values_list("cycle_id", flat=True))
        startable = [c for c in open_cycles if c.pk not in have]
    return render(
        request,
        "filing/workspace.html",
        {
            "reports": _reports_for(user).order_by("-cycle__year", "agency__region__code", "agency__name"),
            "startable": startable,
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, year: int) -> HttpResponse:
    if not request.user.is_filer:
        raise Http404
    cycle = get_object_or_404(ReportingCycle, year=year)
    report = services.start_report(agency=request.user.agency, cycle=cycle)
    return redirect("filing:report", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    can_edit = request.user.has_perm("filing.edit_report", report)
    if can_edit:
        services.add_missing_sections(report)  # a section the cycle gained after the report was started
    rendition = rendition_for(report.published_revision) if report.published_revision else None
    overview = report_overview(report, offer_carry_over=can_edit)
    return render(
        request,
        "filing/report_detail.html",
        {
            "report": report,
            "overview": overview,
            "sections": overview.check.sections,
            "missing": overview.check.missing,
            "events": report.events.all(),
            "reason_form": ReasonForm(),
            "rendition": rendition,
            "unplaced": report.unplaced_texts.count(),
        },
    )


@login_required
@require_POST
def carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    try:
        promises = start_from_last_year(report=report, by=request.user)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("已按%(year)s年度报告建好章节和要点标题，并把其中的 %(n)s 项工作安排列为本年度的对照清单。")
            % {"year": report.cycle.year - 1, "n": len(promises)},
        )
    return redirect("filing:report", pk=pk)


@login_required
def edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    form = ReportDetailsForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report_details(form=form, by=request.user)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存。"))
            return redirect("filing:report", pk=pk)
    return render(request, "filing/details_edit.html", {"report": report, "form": form})


@login_required
def edit_section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = _report(request, pk)
    section = get_object_or_404(report.sections, key=key)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    editor = _editor(section, request.POST or None)
    latest = None
    if request.method == "POST" and editor.is_valid():
        try:
            services.save_section(editor=editor, by=request.user)
        except services.SectionConflict as error:
            messages.error(request, str(error))
            section.refresh_from_db()
            latest = _latest(report, section, editor)
            # The page keeps what this filer typed, now against the newer version: saving again, after
            # comparing, is a deliberate choice to keep theirs.
            data = request.POST.copy()
            data["frame-version"] = str(section.version)
            editor = _editor(section, data)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存“%(heading)s”。") % {"heading": section.heading})
            return redirect(reverse("filing:section", args=[pk, key]) + "?saved=1")
    return render(request, editor.template_name, _section_page(report, section, editor, latest))


def _editor(section: ReportSection, data) -> SectionEditor:
    section_type = get_section_type(section.key)
    prefetch_related_objects([section], *section_type.prefetch)
    return section_type.editor(section, data)


def _latest(report: Report, section: ReportSection, editor: SectionEditor) -> dict:
    """What the other filer saved, printed as in the report, with the facts that are not printed."""
    prefetch_related_objects([section], *get_section_type(section.key).prefetch)
    entry = {**section_entry(section), "folded": False}
    document = compose_document({**snapshot_of(report), "sections": [entry]}, is_draft=True)
    return {"doc": document, "facts": editor.describe(entry["content"])}


def _section_page(report: Report, section: ReportSection, editor: SectionEditor, latest: dict | None) -> dict:
    cycle_sections = CycleSection.objects.for_agency(report.cycle, report.agency)
    keys = [cs.key for cs in cycle_sections]
    here = keys.index(section.key) if section.key in keys else -1
    required = any(cs.key == section.key and cs.required for cs in cycle_sections)
    return {
        "report": report,
        "section": section,
        "editor": editor,
        "latest": latest,
        "check": check_section(section_entry(section), required=required),
        "previous_key": keys[here - 1] if here > 0 else None,
        "next_key": keys[here + 1] if 0 <= here < len(keys) - 1 else None,
    }


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    document = compose_document(snapshot_of(report), is_draft=report.state != ReportState.PUBLISHED)
    return render(request, "filing/preview.html", {"report": report, "doc": document})


def _act(request: HttpRequest, pk: int, perm: str, action, success: str, **kwargs) -> HttpResponse:
    report = _report(request, pk)
    if not request.user.has_perm(perm, report):
        messages.error(
            request, _("您无权对处于“%(state)s”状态的这份报告执行此操作。") % {"state": report.get_state_display()}
        )
        return redirect("filing:report", pk=pk)
    try:
        action(report=report, by=request.user, **kwargs)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("filing:report", pk=pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "filing.submit_report", services.submit_report, _("报告已报送，等待审核。"))


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "filing.sign_off_report", services.sign_off_report, _("已签发，报告已报送审核。"))


@login_required
@require_POST
def decline_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, pk, "filing.sign_off_report", services.decline_sign_off, _("已退回填报人修改。"), reason=reason
    )


@login_required
@require_POST
def start_correction(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "filing.correct_report",
        services.start_correction,
        _("已发起更正：修改后须重新报送审核；公众在此期间仍看到原公开版本。"),
    )


@login_required
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The current text as a PDF with the 草稿 watermark, rendered now for staff (never stored, never public)."""
    report = _report(request, pk)
    response = HttpResponse(render_draft_pdf(report=report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{report.agency.name}{report.title}（草稿）.pdf"
    )
    return response


@login_required
@require_POST
def retry_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    rendition = rendition_for(report.published_revision) if report.published_revision else None
    if rendition is None or rendition.status != PdfRendition.Status.FAILED:
        messages.info(request, _("PDF 没有生成失败，无需重试。"))
    else:
        pdf_services.retry_pdf(rendition=rendition)
        messages.success(request, _("已重新开始生成 PDF，请稍后刷新查看。"))
    return redirect("filing:report", pk=pk)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)
