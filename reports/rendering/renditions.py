"""What the worker does: render a published version's PDF (or a draft's) and store it, or record that it failed;
and the sweep that makes sure no PDF waits for ever.

The work is claimed with a conditional update and done outside any transaction, so no row stays locked while
WeasyPrint runs and the file is written: a doubled or redelivered task finds the rendition claimed (or ready) and
leaves it to the first. A claim older than `claim_expires` belongs to a worker that died, and may be taken over.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.agencies.models import User
from reports.filing.document import compose_document
from reports.filing.models import Publication, ReportRevision
from reports.notifications.models import Notification
from reports.notifications.services import notify
from reports.rendering.fingerprint import renderer_fingerprint
from reports.rendering.models import DraftPdf, PdfRendition, RenderWork
from reports.rendering.pdf import Conformance, render_pdf

logger = logging.getLogger(__name__)

# A render whose worker died this many times (killed for its memory, say) is given up as failed.
MAX_ATTEMPTS = 3


def render_rendition_now(*, rendition_id: int) -> PdfRendition:
    """Render a pending published version's PDF."""

    def make(rendition: PdfRendition) -> tuple[str, bytes]:
        revision = ReportRevision.objects.filter(
            report_id=rendition.report_id, content_hash=rendition.content_hash
        ).latest("number")
        return pdf_file_name(revision), render_revision_pdf(revision=revision)

    return _render(PdfRendition, rendition_id, make)


def render_draft_now(*, draft_id: int) -> DraftPdf:
    """Render a pending draft PDF from the content as it stood when staff asked for it."""

    def make(draft: DraftPdf) -> tuple[str, bytes]:
        name = f"{draft.snapshot['year']}-{draft.snapshot['agency_code']}-draft-{draft.content_hash[:8]}.pdf"
        return name, render_pdf(compose_document(draft.snapshot, is_draft=True))

    return _render(DraftPdf, draft_id, make)


def _render(model: type[RenderWork], pk: int, make: Callable) -> RenderWork:
    claimed_at = model.claim(pk)
    work = model.objects.get(pk=pk)
    if claimed_at is None:
        return work
    try:
        file_name, pdf = make(work)
        name = work.file.storage.save(work.file.field.generate_filename(work, file_name), ContentFile(pdf))
    except BaseException:
        # Let a retry claim it again at once.
        model.release(pk, claimed_at)
        raise
    finished = model.objects.filter(pk=pk, status=RenderWork.Status.PENDING, claimed_at=claimed_at).update(
        status=RenderWork.Status.READY,
        file=name,
        error="",
        rendered_at=timezone.now(),
        claimed_at=None,
        **made_by(model),
    )
    if not finished:
        # Taken over meanwhile (this worker was thought dead): the other render's file stands.
        work.file.storage.delete(name)
    work.refresh_from_db()
    return work


def mark_failed(model: type[RenderWork], *, pk: int, error: str) -> bool:
    """The report stays usable: its pages show, the PDF reads 生成失败 until staff retry. Whether this moved it to
    failed (a second report of the same failure changes nothing)."""
    return bool(
        model.objects.filter(pk=pk, status=RenderWork.Status.PENDING).update(
            status=RenderWork.Status.FAILED, error=error[:2000], claimed_at=None
        )
    )


def record_failure(model: type[RenderWork], *, pk: int, error: str) -> None:
    """A render failed for good (an error, its time limit, its worker killed): mark it failed and tell the staff
    who can retry it, once."""
    if mark_failed(model, pk=pk, error=error):
        logger.error("%s %s failed: %s", model.__name__, pk, error)
        tell_staff(model.objects.select_related("report__agency", "report__cycle").get(pk=pk))


def tell_staff(work: RenderWork) -> None:
    """The failed PDF's inbox message: to who asked for the draft, or who published the version (else the
    agency's reviewers)."""
    report = work.report
    if isinstance(work, DraftPdf):
        recipients = [work.requested_by] if work.requested_by else []
    else:
        publication = (
            Publication.objects.filter(report=report, revision__content_hash=work.content_hash)
            .select_related("published_by")
            .order_by("-number")
            .first()
        )
        publisher = publication.published_by if publication else None
        recipients = [publisher] if publisher and publisher.is_active else User.objects.reviewers_of(report.agency)
    notify(
        recipients=recipients,
        report=report,
        kind=Notification.Kind.PDF_FAILED,
        context={"draft": isinstance(work, DraftPdf), "error": work.error},
    )


def render_revision_pdf(*, revision: ReportRevision, conformance: Conformance = Conformance.ACCESSIBLE) -> bytes:
    """The PDF of a submitted or published version, as the public gets it (or for the archive)."""
    return render_pdf(compose_document(revision.content), conformance=conformance)


def pdf_file_name(revision: ReportRevision) -> str:
    return f"{revision.content['year']}-{revision.content['agency_code']}-r{revision.number}.pdf"


def made_by(model: type[RenderWork]) -> dict[str, str]:
    """What a published version's PDF records of the renderer that made it (check_upgrade compares it)."""
    return {"renderer_fingerprint": renderer_fingerprint()} if model is PdfRendition else {}


def rerender_rendition(*, rendition_id: int) -> bool:
    """Make a ready PDF again as this installation prints it. The old file is served until the new one is stored,
    then deleted; a rendition changed meanwhile, or already current, is left alone. True when remade.

    As every render, it runs outside any transaction: the new file is written first, then swapped in by a
    conditional update, so nothing stays locked while WeasyPrint works."""
    current = renderer_fingerprint()
    rendition = PdfRendition.objects.filter(pk=rendition_id, status=PdfRendition.Status.READY).first()
    if rendition is None or rendition.renderer_fingerprint == current:
        return False
    revision = ReportRevision.objects.filter(report_id=rendition.report_id, content_hash=rendition.content_hash).latest(
        "number"
    )
    old_name = rendition.file.name
    storage = rendition.file.storage
    new_name = storage.save(
        rendition.file.field.generate_filename(rendition, pdf_file_name(revision)),
        ContentFile(render_revision_pdf(revision=revision)),
    )
    swapped = PdfRendition.objects.filter(pk=rendition_id, status=PdfRendition.Status.READY, file=old_name).update(
        file=new_name, renderer_fingerprint=current, rendered_at=timezone.now()
    )
    if not swapped:
        storage.delete(new_name)
        return False
    if old_name:
        storage.delete(old_name)
    return True


def given_up(model: type[RenderWork], now: datetime.datetime | None = None) -> list[int]:
    """Mark failed (and tell staff) the stuck renders whose workers died MAX_ATTEMPTS times; the ids newly failed."""
    dead = model.stuck(now).filter(attempts__gte=MAX_ATTEMPTS, claimed_at__isnull=False)
    pks = list(dead.values_list("pk", flat=True))
    message = _("生成 PDF 时工作进程 %(n)s 次中途停止（可能是内存不足），已停止自动重试。") % {"n": MAX_ATTEMPTS}
    for pk in pks:
        record_failure(model, pk=pk, error=message)
    return pks


def sweep(queue: Callable[[type[RenderWork], list[int]], None]) -> dict[str, int]:
    """Beat's job: give up the renders whose workers died again and again, and `queue` every other one nobody is
    on (never queued because the broker was away, lost by the broker, or dropped by a dead worker)."""
    counts = {"failed": 0, "queued": 0}
    now = timezone.now()
    for model in (PdfRendition, DraftPdf):
        counts["failed"] += len(given_up(model, now))
        pks = list(model.stuck(now).values_list("pk", flat=True))
        # A dead worker's claim is dropped, so that the render waits `queue_patience` for a live worker before the
        # next sweep queues it again.
        model.objects.filter(pk__in=pks, claimed_at__isnull=False).update(claimed_at=None)
        queue(model, pks)
        counts["queued"] += len(pks)
    if any(counts.values()):
        logger.info("PDF sweep: %s", counts)
    return counts
