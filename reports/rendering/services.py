"""PDFs of reports: one stored file per report and content, rendered once by a worker; drafts on request.

Every PDF asked for is a row first (the outbox): its task is queued once the asking transaction commits, and
beat's sweep (tasks.sweep_pdfs) queues again whatever the broker lost or a dead worker dropped, so that each one
ends ready or visibly failed.
"""

from __future__ import annotations

from django.db import transaction

from reports.agencies.models import User
from reports.filing.document import compose_document
from reports.filing.models import Report, ReportRevision
from reports.filing.snapshot import content_hash, snapshot_of
from reports.rendering.models import DraftPdf, PdfRendition, RenderWork
from reports.rendering.pdf import render_pdf
from reports.rendering.tasks import queue_renders


def request_pdf(*, revision: ReportRevision) -> PdfRendition:
    """Make sure a PDF of this revision exists or is on its way (once per content)."""
    rendition, created = PdfRendition.objects.get_or_create(report=revision.report, content_hash=revision.content_hash)
    if created:
        queue_renders(PdfRendition, [rendition.pk])
        return rendition
    return retry_pdf(rendition=rendition)


def retry_pdf(*, rendition: PdfRendition) -> PdfRendition:
    """Queue the rendering again when it failed or nobody is on it (staff's retry button, a new publication of
    the same content). A ready PDF, or one on its way, is left as it is."""
    return _retry(PdfRendition, rendition.pk)


def may_retry(work: RenderWork) -> bool:
    """Whether staff's retry button does anything: the PDF failed, or it is stuck (see RenderWork.is_stuck)."""
    return work.status == RenderWork.Status.FAILED or work.is_stuck()


def _retry(model: type[RenderWork], pk: int) -> RenderWork:
    with transaction.atomic():
        work = model.objects.select_for_update().get(pk=pk)
        if not may_retry(work):
            return work
        work.status = RenderWork.Status.PENDING
        work.error = ""
        work.claimed_at = None
        work.queued_at = None
        work.attempts = 0
        work.save(update_fields=["status", "error", "claimed_at", "queued_at", "attempts"])
        queue_renders(model, [work.pk])
    return work


def rendition_for(revision: ReportRevision) -> PdfRendition | None:
    return PdfRendition.objects.filter(report_id=revision.report_id, content_hash=revision.content_hash).first()


def render_draft_pdf(*, report: Report) -> bytes:
    """The report as it stands now, marked 草稿 on every page, never the public note, rendered in this process
    (the render_report command)."""
    return render_pdf(compose_document(snapshot_of(report), is_draft=True))


def request_draft_pdf(*, report: Report, by: User) -> DraftPdf:
    """A draft PDF of the content as it stands, made by the worker (at once, in this process, without a broker).
    Asking again for unchanged content gives the same one (queued again if it failed or is stuck); the report's
    older drafts are removed."""
    snapshot = snapshot_of(report)
    digest = content_hash(snapshot)
    with transaction.atomic():
        for old in DraftPdf.objects.select_for_update().filter(report=report).exclude(content_hash=digest):
            _remove(old)
        draft, created = DraftPdf.objects.get_or_create(
            report=report, content_hash=digest, defaults={"snapshot": snapshot, "requested_by": by}
        )
        if created:
            queue_renders(DraftPdf, [draft.pk])
            return draft
    return _retry(DraftPdf, draft.pk)


def _remove(draft: DraftPdf) -> None:
    storage, name = draft.file.storage, draft.file.name
    draft.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
