"""What the public sees: only published snapshots, never a draft or a live model."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from reports.filing.document import compose_document
from reports.filing.models import Report
from reports.rendering.models import PdfRendition
from reports.rendering.services import rendition_for


def _published(year: int, code: str) -> Report:
    return get_object_or_404(
        Report.objects.published().select_related("agency", "cycle", "published_revision"),
        cycle__year=year,
        agency__code=code,
    )


def home(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.published().select_related("agency__region", "cycle").order_by("-published_at", "-pk")
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(request, "publication/home.html", {"page": page})


def report_page(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = _published(year, code)
    document = compose_document(report.published_revision.content)
    rendition = rendition_for(report.published_revision)
    return render(
        request,
        "publication/report.html",
        {"report": report, "doc": document, "pdf_ready": rendition is not None and rendition.status == "ready"},
    )


def report_pdf(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = _published(year, code)
    rendition = rendition_for(report.published_revision)
    if rendition is None or rendition.status != PdfRendition.Status.READY:
        return render(request, "publication/pdf_pending.html", {"report": report}, status=404)
    filename = f"{report.agency.name}{report.title}.pdf"
    return FileResponse(
        rendition.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
    )
