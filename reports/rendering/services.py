from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.filing.document import compose_document
from reports.filing.models import ReportRevision
from reports.rendering.models import PdfRendition
from reports.rendering.pdf import render_pdf


def request_pdf(*, revision: ReportRevision) -> PdfRendition:
    """Make sure a PDF of this revision exists or is on its way (once per content)."""
    rendition, _ = PdfRendition.objects.get_or_create(report=revision.report, content_hash=revision.content_hash)
    if rendition.status != PdfRendition.Status.READY:
        from reports.rendering.tasks import render_rendition

        transaction.on_commit(lambda: render_rendition.delay(rendition.pk))
    return rendition


def rendition_for(revision: ReportRevision) -> PdfRendition | None:
    return PdfRendition.objects.filter(report_id=revision.report_id, content_hash=revision.content_hash).first()


def render_rendition_now(*, rendition_id: int) -> PdfRendition:
    """Render a pending rendition; a second call for the same row does nothing."""
    with transaction.atomic():
        rendition = PdfRendition.objects.select_for_update().get(pk=rendition_id)
        if rendition.status == PdfRendition.Status.READY:
            return rendition
        revision = ReportRevision.objects.get(report_id=rendition.report_id, content_hash=rendition.content_hash)
        pdf = render_pdf(compose_document(revision.content))
        agency_code = revision.content["agency_code"]
        rendition.file.save(
            f"{revision.content['year']}-{agency_code}-r{revision.number}.pdf", ContentFile(pdf), save=False
        )
        rendition.status = PdfRendition.Status.READY
        rendition.error = ""
        rendition.rendered_at = timezone.now()
        rendition.save()
        return rendition


def mark_failed(*, rendition_id: int, error: str) -> None:
    PdfRendition.objects.filter(pk=rendition_id).exclude(status=PdfRendition.Status.READY).update(
        status=PdfRendition.Status.FAILED, error=error[:2000]
    )
