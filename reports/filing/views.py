from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing import services
from reports.filing.access import report_or_404, reports_visible_to
from reports.filing.carry_over import start_from_last_year
from reports.filing.checks import check_section
from reports.filing.document import compose_document
from reports.filing.editing import SectionEditor
from reports.filing.errors import FilingError, SectionConflict
from reports.filing.forms import ReasonForm, ReportDetailsForm
from reports.filing.models import Report, ReportingCycle, ReportSection, ReportState
from reports.filing.overview import report_overview
from reports.filing.punctuation_offer import offer_full_width
from reports.filing.sections import get_section_type
from reports.filing.snapshot import section_entry, snapshot_of


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    open_cycles = ReportingCycle.objects.startable()
    startable = []
    if user.is_filer:
        have = set(Report.objects.filter(agency_id=user.agency_id).values_list("cycle_id", flat=True))
        startable = [c for c in open_cycles if c.pk not in have]
    return render(
        request,
        "filing/workspace.html",
        {
            "reports": reports_visible_to(user).order_by("-cycle__year", "agency__region__code", "agency__name"),
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
    report = report_or_404(request.user, pk)
    can_edit = request.user.has_perm("filing.edit_report", report)
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
            "unplaced": report.unplaced_texts.count(),
        },
    )


@login_required
@require_POST
def carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    try:
        promises = start_from_last_year(report=report, by=request.user)
    except FilingError as error:
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
    report = report_or_404(request.user, pk)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    form = ReportDetailsForm(request.POST or None, instance=report)
    offer = offer_full_width(form) if request.method == "POST" and form.is_valid() else None
    if offer:
        messages.warning(request, offer.message)
        form = ReportDetailsForm(offer.data, instance=report)
    elif request.method == "POST" and form.is_valid():
        try:
            services.save_report_details(form=form, by=request.user)
        except FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存。"))
            return redirect("filing:report", pk=pk)
    return render(request, "filing/details_edit.html", {"report": report, "form": form})


@login_required
def edit_section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    report = report_or_404(request.user, pk)
    section = get_object_or_404(report.sections, key=key)
    if not request.user.has_perm("filing.edit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，您不能修改。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    editor = _editor(section, request.POST or None)
    latest = None
    offer = offer_full_width(editor.frame) if request.method == "POST" and editor.is_valid() else None
    if offer:
        messages.warning(request, offer.message)
        editor = _editor(section, offer.data)
    elif request.method == "POST" and editor.is_valid():
        try:
            services.save_section(editor=editor, by=request.user)
        except SectionConflict as error:
            messages.error(request, str(error))
            section.refresh_from_db()
            latest = _latest(report, section, editor)
            # The page keeps what this filer typed, now against the newer version: saving again, after
            # comparing, is a deliberate choice to keep theirs.
            data = request.POST.copy()
            data["frame-version"] = str(section.version)
            editor = _editor(section, data)
        except FilingError as error:
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
    cycle_sections = report.cycle_sections()
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
    report = report_or_404(request.user, pk)
    document = compose_document(snapshot_of(report), is_draft=report.state != ReportState.PUBLISHED)
    return render(request, "filing/preview.html", {"report": report, "doc": document})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)
