"""The worker's side: render a report version's PDF or a draft's, retrying only what may pass by itself; and the
sweep beat runs so that no PDF waits for ever."""

from __future__ import annotations

from billiard.exceptions import WorkerLostError
from botocore.exceptions import BotoCoreError, ClientError
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure
from celery.utils.log import get_task_logger
from django.conf import settings
from django.utils.translation import gettext as _

from reports.filing.queue import queue_each_after_commit
from reports.rendering import renditions
from reports.rendering.models import DraftPdf, PdfRendition, RenderWork

logger = get_task_logger(__name__)

# Storage that is briefly away: the local disk or volume, or S3-compatible storage.
TRANSIENT_ERRORS = (OSError, BotoCoreError, ClientError)
MAX_RETRIES = 5


def failure_message(exc: BaseException) -> str:
    """What staff read beside 生成失败."""
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        return _("生成 PDF 超过了时间限制（%(seconds)s 秒），已停止。") % {"seconds": settings.PDF_TIME_LIMIT}
    if isinstance(exc, WorkerLostError):
        return _("生成 PDF 时工作进程意外终止（可能是内存不足）。")
    return _("生成 PDF 时出错：%(error)r") % {"error": exc}


class RenderTask(Task):
    work_model: type[RenderWork]

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Also called in the worker's main process when the hard time limit kills the pool process.
        renditions.record_failure(self.work_model, pk=args[0], error=failure_message(exc))


class RenditionTask(RenderTask):
    work_model = PdfRendition


class DraftTask(RenderTask):
    work_model = DraftPdf


LIMITS = {
    "bind": True,
    "acks_late": True,
    "max_retries": MAX_RETRIES,
    # Well below the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS), so that Redis never hands a
    # running task to a second worker, and below the claim's expiry; a render takes well under a second.
    "soft_time_limit": settings.PDF_SOFT_TIME_LIMIT or None,
    "time_limit": settings.PDF_TIME_LIMIT,
}


@shared_task(base=RenditionTask, **LIMITS)
def render_rendition(self: Task, rendition_id: int) -> None:
    try:
        renditions.render_rendition_now(rendition_id=rendition_id)
    except TRANSIENT_ERRORS as exc:
        # 5, 10, 20, 40, 80 s; past the last retry the error reaches on_failure.
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(base=DraftTask, **LIMITS)
def render_draft(self: Task, draft_id: int) -> None:
    try:
        renditions.render_draft_now(draft_id=draft_id)
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


TASKS: dict[type[RenderWork], Task] = {PdfRendition: render_rendition, DraftPdf: render_draft}


def queue_renders(model: type[RenderWork], pks: list[int]) -> None:
    """Queue the renders once the caller commits; each one reaching the broker is marked queued."""
    queue_each_after_commit(TASKS[model], pks, on_queued=model.mark_queued)


@shared_task(acks_late=True)
def sweep_pdfs() -> dict[str, int]:
    return renditions.sweep(queue_renders)


@task_failure.connect
def record_lost_worker(sender=None, task_id=None, exception=None, args=None, **kwargs) -> None:
    """A pool process killed mid-render (the OOM killer, say) never reaches on_failure: the worker's main
    process hears of it here, and the PDF reads 生成失败 with its retry button instead of 正在生成 for ever."""
    if not isinstance(exception, WorkerLostError):
        return
    for model, task in TASKS.items():
        if sender is not None and sender.name == task.name and args:
            renditions.record_failure(model, pk=args[0], error=failure_message(exception))
