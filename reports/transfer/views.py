from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404
from reports.filing.models import ReportState
from reports.filing.sections import section_types
from reports.filing.snapshot import snapshot_of
from reports.transfer import services, uploads
from reports.transfer.files import MAX_BYTES
from reports.transfer.forms import PlaceForm, UploadForm
from reports.transfer.ledger import LABELS
from reports.transfer.models import ReportImport
from reports.transfer.wordexport import report_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# How often the page of a file being read looks again (seconds).
REFRESH_SECONDS = 2


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.edit_report")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            record = uploads.queue_import(
                report=report,
                data=file.read(MAX_BYTES + 1),
                file_name=file.name,
                by=request.user,
                full_width=not form.cleaned_data["keep_half_width"],
            )
        except services.TransferError as error:
            form.add_error("file", str(error))
        else:
            return redirect("transfer:import_summary", pk=pk, import_pk=record.pk)
    context = {
        "report": report,
        "form": form,
        "has_content": services.draft_has_content(report),
        "last": report.imports.exclude(status=ReportImport.Status.APPLIED).first(),
    }
    return render(request, "transfer/upload.html", context)


@login_required
def summary(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """What the file was read as; while the worker reads it, a page that says so and looks again; if it was
    refused, why, with the form to upload another."""
    report = report_or_404(request.user, pk, "filing.edit_report")
    record = get_object_or_404(report.imports, pk=import_pk)
    if record.status in (ReportImport.Status.READING, ReportImport.Status.FAILED):
        context = {
            "report": report,
            "record": record,
            "form": UploadForm(),
            "refresh": REFRESH_SECONDS,
            "seconds": int((timezone.now() - record.created_at).total_seconds()),
            "stuck": record.is_stuck(),
        }
        return render(request, "transfer/reading.html", context)
    headings = {s.key: s.default_heading for s in section_types()}
    healed = [(LABELS.get(group["kind"], group["kind"]), group) for group in record.summary["healed"]]
    context = {"report": report, "record": record, "summary": record.summary, "headings": headings, "healed": healed}
    return render(request, "transfer/summary.html", context)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.edit_report")
    record = get_object_or_404(report.imports, pk=import_pk)
    try:
        services.apply_import(record=record, by=request.user)
    except services.TransferError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已导入“%(name)s”，草稿原有内容已被替换。") % {"name": record.file_name})
    return redirect("transfer:import_summary", pk=pk, import_pk=import_pk)


@login_required
def unplaced(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.edit_report")
    texts = [(text, PlaceForm(report=report, prefix=f"text-{text.pk}")) for text in report.unplaced_texts.all()]
    return render(request, "transfer/unplaced.html", {"report": report, "texts": texts})


@login_required
@require_POST
def handle_unplaced(request: HttpRequest, pk: int, text_pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.edit_report")
    paragraph = get_object_or_404(report.unplaced_texts, pk=text_pk)
    form = PlaceForm(request.POST, report=report, prefix=f"text-{paragraph.pk}")
    try:
        if "discard" in request.POST:
            services.discard_unplaced(paragraph=paragraph)
            messages.success(request, _("已删除这段文字。"))
        elif form.is_valid():
            services.place_unplaced(paragraph=paragraph, where=form.cleaned_data["where"], by=request.user)
            messages.success(request, _("已放入所选部分的末尾。"))
        else:
            messages.error(request, _("请选择要放入的部分。"))
    except services.TransferError as error:
        messages.error(request, str(error))
    return redirect("transfer:unplaced", pk=pk)


@login_required
def export_docx(request: HttpRequest, pk: int) -> FileResponse:
    report = report_or_404(request.user, pk, "filing.view_report")
    data = report_docx(snapshot_of(report), is_draft=report.state != ReportState.PUBLISHED)
    name = _("%(agency)s%(year)s年度法治政府建设情况报告.docx") % {"agency": report.agency.name, "year": report.year}
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=DOCX)
