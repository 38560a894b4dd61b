"""What the worker does: render one rendition's PDF and store it, or record that it failed."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from reports.filing.document import compose_document
from reports.filing.models import ReportRevision
from reports.rendering.models import PdfRendition
from reports.rendering.pdf import Conformance, render_pdf

# Longer than a render may take (the task's hard time limit), so that only a dead worker's claim expires.
CLAIM_EXPIRES = datetime.timedelta(minutes=5)


def render_rendition_now(*, rendition_id: int) -> PdfRendition:
    """Render a pending rendition. The work is claimed with a conditional update and done outside any
    transaction, so no row stays locked while WeasyPrint runs and the file is written: a doubled or redelivered
    task finds the rendition claimed (or ready) and leaves it to the first. A claim older than CLAIM_EXPIRES
    belongs to a worker that died, and may be taken over."""
    claimed_at = timezone.now()
    claimed = (
        PdfRendition.objects.filter(pk=rendition_id, status=PdfRendition.Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=claimed_at - CLAIM_EXPIRES))
        .update(claimed_at=claimed_at)
    )
    rendition = PdfRendition.objects.get(pk=rendition_id)
    if not claimed:
        return rendition
    try:
        revision = ReportRevision.objects.filter(
            report_id=rendition.report_id, content_hash=rendition.content_hash
        ).latest("number")
        name = rendition.file.storage.save(
            rendition.file.field.generate_filename(rendition, pdf_file_name(revision)),
            ContentFile(render_revision_pdf(revision=revision)),
        )
    except BaseException:
        # Let a retry claim it again at once.
        PdfRendition.objects.filter(pk=rendition_id, claimed_at=claimed_at).update(claimed_at=None)
        raise
    finished = PdfRendition.objects.filter(
        pk=rendition_id, status=PdfRendition.Status.PENDING, claimed_at=claimed_at
    ).update(status=PdfRendition.Status.READY, file=name, error="", rendered_at=timezone.now(), claimed_at=None)
    if not finished:
        # Taken over meanwhile (this worker was thought dead): the other render's file stands.
        rendition.file.storage.delete(name)
    rendition.refresh_from_db()
    return rendition


def mark_failed(*, rendition_id: int, error: str) -> None:
    """The report stays usable: its pages show, the PDF reads 生成失败 until staff retry."""
    PdfRendition.objects.filter(pk=rendition_id).exclude(status=PdfRendition.Status.READY).update(
        status=PdfRendition.Status.FAILED, error=error[:2000], claimed_at=None
    )


def render_revision_pdf(*, revision: ReportRevision, conformance: Conformance = Conformance.ACCESSIBLE) -> bytes:
    """The PDF of a submitted or published version, as the public gets it (or for the archive)."""
    return render_pdf(compose_document(revision.content), conformance=conformance)


def pdf_file_name(revision: ReportRevision) -> str:
    return f"{revision.content['year']}-{revision.content['agency_code']}-r{revision.number}.pdf"
