"""The worker's side of an upload (uploads.queue_import kept the file): read it within the time and memory limits
(transfer.limits), and keep its result, or its refusal.

The ReportImport row is the outbox of the reading: a file uploaded while the broker is away waits, and the sweep
queues it once the broker is back; a worker that died on it leaves it to the sweep, which gives up after
MAX_ATTEMPTS and says so.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from reports.transfer.errors import TransferError
from reports.transfer.files import MAX_BYTES
from reports.transfer.importer import Target
from reports.transfer.limits import read_within_limits, too_big
from reports.transfer.models import ReportImport
from reports.transfer.services import keep_reading

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2


def read_upload(*, import_id: int) -> ReportImport:
    """The worker's part: read the kept file within the limits and keep the result, or the refusal."""
    claimed_at = ReportImport.claim(import_id)
    record = ReportImport.objects.select_related("report__agency__region", "report__cycle").get(pk=import_id)
    if claimed_at is None:
        return record
    try:
        with record.upload.open("rb") as upload:
            data = upload.read(MAX_BYTES + 1)
        result = read_within_limits(
            data, file_name=record.file_name, target=Target.of(record.report), full_width=record.full_width
        )
        keep_reading(record, result=result, by=record.created_by)
    except TransferError as error:
        record_failure(import_id=import_id, error=str(error))
    except MemoryError:
        # Read in this process (no worker): its memory ran out.
        record_failure(import_id=import_id, error=too_big())
    except BaseException:
        ReportImport.release(import_id, claimed_at)
        raise
    else:
        forget_upload(record)
    record.refresh_from_db()
    return record


def record_failure(*, import_id: int, error: str) -> None:
    """The file is refused: the filer's page says why; the draft is as it was."""
    record = ReportImport.objects.filter(pk=import_id).first()
    if record is None:
        return
    if ReportImport.objects.filter(pk=import_id, status=ReportImport.Status.READING).update(
        status=ReportImport.Status.FAILED, error=error[:2000], claimed_at=None, read_at=timezone.now()
    ):
        forget_upload(record)


def forget_upload(record: ReportImport) -> None:
    """The uploaded file is not kept once it has been read (or refused)."""
    if record.upload.name:
        storage, name = record.upload.storage, record.upload.name
        ReportImport.objects.filter(pk=record.pk).update(upload="")
        transaction.on_commit(lambda: storage.delete(name))


def sweep(queue) -> dict[str, int]:
    """Beat's job: give up the files whose workers died on them again and again, and queue every other one
    nobody is reading (never queued, lost by the broker, or dropped by a dead worker)."""
    now = timezone.now()
    stuck = ReportImport.stuck(now)
    given_up = list(stuck.filter(attempts__gte=MAX_ATTEMPTS, claimed_at__isnull=False).values_list("pk", flat=True))
    for pk in given_up:
        record_failure(import_id=pk, error=too_big())
    pks = list(ReportImport.stuck(now).values_list("pk", flat=True))
    ReportImport.objects.filter(pk__in=pks, claimed_at__isnull=False).update(claimed_at=None)
    queue(pks)
    return {"failed": len(given_up), "queued": len(pks)}
