"""PDFs of reports: one stored file per report and content, rendered once by a worker; drafts on demand."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.filing.document import compose_document
from reports.filing.models import Report, ReportRevision
from reports.filing.snapshot import snapshot_of
from reports.rendering.fingerprint import renderer_fingerprint
from reports.rendering.models import PdfRendition
from reports.rendering.pdf import Conformance, render_pdf


def request_pdf(*, revision: ReportRevision) -> PdfRendition:
    """Make sure a PDF of this revision exists or is on its way (once per content)."""
    rendition, _ = PdfRendition.objects.get_or_create(report=revision.report, content_hash=revision.content_hash)
    if rendition.status != PdfRendition.Status.READY:
        return retry_pdf(rendition=rendition)
    return rendition


def retry_pdf(*, rendition: PdfRendition) -> PdfRendition:
    """Queue the rendering again (staff's retry button after 生成失败). A ready PDF is left as it is."""
    with transaction.atomic():
        rendition = PdfRendition.objects.select_for_update().get(pk=rendition.pk)
        if rendition.status == PdfRendition.Status.READY:
            return rendition
        rendition.status = PdfRendition.Status.PENDING
        rendition.error = ""
        rendition.save(update_fields=["status", "error"])
        _enqueue(rendition)
    return rendition


def rendition_for(revision: ReportRevision) -> PdfRendition | None:
    return PdfRendition.objects.filter(report_id=revision.report_id, content_hash=revision.content_hash).first()


def render_rendition_now(*, rendition_id: int) -> PdfRendition:
    """Render a pending rendition. The row stays locked while rendering, so a doubled or redelivered task
    waits for the first and then finds the PDF ready; a second call does nothing."""
    with transaction.atomic():
        rendition = PdfRendition.objects.select_for_update().get(pk=rendition_id)
        if rendition.status == PdfRendition.Status.READY:
            return rendition
        revision = ReportRevision.objects.filter(
            report_id=rendition.report_id, content_hash=rendition.content_hash
        ).latest("number")
        pdf = render_revision_pdf(revision=revision)
        rendition.file.save(pdf_file_name(revision), ContentFile(pdf), save=False)
        rendition.status = PdfRendition.Status.READY
        rendition.error = ""
        rendition.rendered_at = timezone.now()
        rendition.renderer_fingerprint = renderer_fingerprint()
        rendition.save()
        return rendition


def mark_failed(*, rendition_id: int, error: str) -> None:
    """The report stays usable: its pages show, the PDF reads 生成失败 until staff retry."""
    PdfRendition.objects.filter(pk=rendition_id).exclude(status=PdfRendition.Status.READY).update(
        status=PdfRendition.Status.FAILED, error=error[:2000]
    )


def render_revision_pdf(*, revision: ReportRevision, conformance: Conformance = Conformance.ACCESSIBLE) -> bytes:
    """The PDF of a submitted or published version, as the public gets it (or for the archive)."""
    return render_pdf(compose_document(revision.content), conformance=conformance)


def render_draft_pdf(*, report: Report) -> bytes:
    """The report as it stands now, for staff: marked 草稿 on every page, never the public note."""
    return render_pdf(compose_document(snapshot_of(report), is_draft=True))


def pdf_file_name(revision: ReportRevision) -> str:
    return f"{revision.content['year']}-{revision.content['agency_code']}-r{revision.number}.pdf"


def _enqueue(rendition: PdfRendition) -> None:
    from reports.rendering.tasks import render_rendition

    transaction.on_commit(lambda: render_rendition.delay(rendition.pk))
