"""The worker's side of an upload: read the file within the time and memory limits (transfer.reading)."""

from __future__ import annotations

from billiard.exceptions import WorkerLostError
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure
from django.conf import settings
from django.utils.translation import gettext as _

from reports.filing.queue import queue_each_after_commit
from reports.transfer import reading
from reports.transfer.limits import too_big, too_slow
from reports.transfer.models import ReportImport


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        return too_slow()
    if isinstance(exc, WorkerLostError):
        return too_big()
    return _("读取文件时出错，请重新上传；如仍不行，请联系平台管理员。")


class ReadingTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Also called in the worker's main process when the hard time limit kills the pool process.
        reading.record_failure(import_id=args[0], error=failure_message(exc))


@shared_task(
    base=ReadingTask,
    acks_late=True,
    soft_time_limit=settings.IMPORT_SOFT_TIME_LIMIT or None,
    time_limit=settings.IMPORT_TIME_LIMIT,
)
def read_import(import_id: int) -> None:
    reading.read_upload(import_id=import_id)


def queue_readings(import_ids: list[int]) -> None:
    queue_each_after_commit(read_import, import_ids, on_queued=ReportImport.mark_queued)


@shared_task(acks_late=True)
def sweep_imports() -> dict[str, int]:
    return reading.sweep(queue_readings)


@task_failure.connect
def record_lost_worker(sender=None, exception=None, args=None, **kwargs) -> None:
    """A pool process killed while reading (the OOM killer, say) never reaches on_failure."""
    if isinstance(exception, WorkerLostError) and sender is not None and sender.name == read_import.name and args:
        reading.record_failure(import_id=args[0], error=failure_message(exception))
