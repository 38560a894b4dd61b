"""PDFs of reports: one stored file per report and content, rendered once by a worker; drafts on demand."""

from __future__ import annotations

from django.db import transaction

from reports.filing.document import compose_document
from reports.filing.models import Report, ReportRevision
from reports.filing.snapshot import snapshot_of
from reports.rendering.models import PdfRendition
from reports.rendering.pdf import render_pdf
from reports.rendering.tasks import render_rendition


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
        rendition.claimed_at = None
        rendition.save(update_fields=["status", "error", "claimed_at"])
        _enqueue(rendition)
    return rendition


def rendition_for(revision: ReportRevision) -> PdfRendition | None:
    return PdfRendition.objects.filter(report_id=revision.report_id, content_hash=revision.content_hash).first()


def render_draft_pdf(*, report: Report) -> bytes:
    """The report as it stands now, for staff: marked 草稿 on every page, never the public note."""
    return render_pdf(compose_document(snapshot_of(report), is_draft=True))


def _enqueue(rendition: PdfRendition) -> None:
    transaction.on_commit(lambda: render_rendition.delay(rendition.pk))
