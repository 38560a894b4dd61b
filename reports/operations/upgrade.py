"""What an upgrade needs after the new image is in place, and making outdated PDFs again in the background.

`manage.py check_upgrade` reports three things: migrations not yet applied; public entries behind the published
reports or written by an older version, the compliance board's standings out of step with them, and stored report
pages missing or rendered by older templates (`rebuild_public_index`); PDFs made by another renderer or with other
fonts than this installation prints with, typically those made before the agency's licensed fonts were
installed (`rerender_pdfs` queues them for the worker, which also retries the failed ones).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from reports.operations.tasks import rerender_pdf
from reports.publication.pages import stale_pages
from reports.publication.services import entries_out_of_step
from reports.publication.standings import standings_out_of_step
from reports.rendering.fingerprint import renderer_fingerprint
from reports.rendering.models import PdfRendition
from reports.rendering.services import retry_pdf


@dataclass
class UpgradeNeeds:
    pending_migrations: list[str] = field(default_factory=list)
    entries_behind: int = 0
    entries_differing: int = 0
    # Standings and counts of the compliance board that differ from the reports and agencies they copy.
    board_behind: int = 0
    # Published versions whose stored page is missing, and stored pages rendered by other templates or code.
    pages_missing: int = 0
    pages_outdated: int = 0
    # Ready PDFs made otherwise than now: by what changed ("renderer", "fonts", "unknown": made before recording).
    outdated_pdfs: Counter = field(default_factory=Counter)
    failed_pdfs: int = 0

    @property
    def anything(self) -> bool:
        return bool(
            self.pending_migrations
            or self.entries_behind
            or self.entries_differing
            or self.board_behind
            or self.pages_missing
            or self.pages_outdated
            or self.outdated_pdfs
            or self.failed_pdfs
        )


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def check_upgrade() -> UpgradeNeeds:
    needs = UpgradeNeeds(pending_migrations=pending_migrations())
    if needs.pending_migrations:
        # The other checks read tables and columns the migrations may add.
        return needs
    needs.entries_behind, needs.entries_differing = entries_out_of_step()
    needs.board_behind = standings_out_of_step()
    needs.pages_missing, needs.pages_outdated = stale_pages()
    current = renderer_fingerprint()
    for fingerprint in outdated_renditions(current).values_list("renderer_fingerprint", flat=True):
        needs.outdated_pdfs[_what_changed(fingerprint, current)] += 1
    needs.failed_pdfs = PdfRendition.objects.filter(status=PdfRendition.Status.FAILED).count()
    return needs


def outdated_renditions(current: str | None = None):
    current = current or renderer_fingerprint()
    return PdfRendition.objects.filter(status=PdfRendition.Status.READY).exclude(renderer_fingerprint=current)


def _what_changed(old: str, current: str) -> str:
    if not old:
        return "unknown"
    renderer, fonts = old.split("-", 1)
    now_renderer, now_fonts = current.split("-", 1)
    return "renderer" if renderer != now_renderer else "fonts" if fonts != now_fonts else "unknown"


def queue_rerenders() -> tuple[int, int]:
    """Queue every outdated PDF for the worker, and every failed one again; returns (outdated, failed)."""
    outdated = list(outdated_renditions().values_list("pk", flat=True))
    for pk in outdated:
        transaction.on_commit(lambda pk=pk: rerender_pdf.delay(pk))
    failed = list(PdfRendition.objects.filter(status=PdfRendition.Status.FAILED))
    for rendition in failed:
        retry_pdf(rendition=rendition)
    return len(outdated), len(failed)
