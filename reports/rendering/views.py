"""Staff's PDFs: the draft as it stands, and a retry when the published version's PDF failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404
from reports.rendering import services
from reports.rendering.models import PdfRendition


@login_required
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The current text as a PDF with the 草稿 watermark, rendered now for staff (never stored, never public)."""
    report = report_or_404(request.user, pk)
    response = HttpResponse(services.render_draft_pdf(report=report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{report.agency.name}{report.title}（草稿）.pdf"
    )
    return response


@login_required
@require_POST
def retry_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    rendition = services.rendition_for(report.published_revision) if report.published_revision else None
    if rendition is None or rendition.status != PdfRendition.Status.FAILED:
        messages.info(request, _("PDF 没有生成失败，无需重试。"))
    else:
        services.retry_pdf(rendition=rendition)
        messages.success(request, _("已重新开始生成 PDF，请稍后刷新查看。"))
    return redirect("filing:report", pk=pk)
