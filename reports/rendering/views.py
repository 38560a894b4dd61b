"""Staff's PDFs: the draft as it stands (made by the worker, with a page that waits for it), and a retry when the
published version's PDF failed or is stuck."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404
from reports.rendering import services
from reports.rendering.models import DraftPdf

# How often the waiting page looks again (seconds).
REFRESH_SECONDS = 2


@login_required
@require_POST
def request_draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the current text as a PDF with the 草稿 watermark (never public); the next page waits for it."""
    report = report_or_404(request.user, pk)
    draft = services.request_draft_pdf(report=report, by=request.user)
    return redirect("rendering:draft_pdf", pk=pk, draft_pk=draft.pk)


@login_required
def draft_pdf(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    """The draft PDF once it is made; until then a page saying it is being prepared, which looks again."""
    report = report_or_404(request.user, pk)
    draft = get_object_or_404(DraftPdf, pk=draft_pk, report=report)
    if draft.status == DraftPdf.Status.READY:
        return redirect("rendering:draft_pdf_file", pk=pk, draft_pk=draft.pk)
    context = {"report": report, "draft": draft, "refresh": REFRESH_SECONDS, "may_retry": services.may_retry(draft)}
    return render(request, "rendering/draft_pdf.html", context)


@login_required
def draft_pdf_file(request: HttpRequest, pk: int, draft_pk: int) -> FileResponse:
    report = report_or_404(request.user, pk)
    draft = get_object_or_404(DraftPdf, pk=draft_pk, report=report)
    if draft.status != DraftPdf.Status.READY:
        raise Http404
    name = f"{report.agency.name}{draft.snapshot.get('title', '')}（草稿）.pdf"
    return FileResponse(draft.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name)


@login_required
@require_POST
def retry_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    rendition = services.rendition_for(report.published_revision) if report.published_revision else None
    if rendition is None or not services.may_retry(rendition):
        messages.info(request, _("PDF 已生成或正在生成，无需重试。"))
    else:
        services.retry_pdf(rendition=rendition)
        messages.success(request, _("已重新开始生成 PDF，请稍后刷新查看。"))
    return redirect("filing:report", pk=pk)
