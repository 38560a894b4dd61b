"""The worker's side: render one report revision's PDF, retrying only what may pass by itself."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from celery import Task, shared_task
from celery.utils.log import get_task_logger

from reports.rendering import renditions

logger = get_task_logger(__name__)

# Storage that is briefly away: the local disk or volume, or S3-compatible storage.
TRANSIENT_ERRORS = (OSError, BotoCoreError, ClientError)
MAX_RETRIES = 5
# Well below the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS, 3600 s), so that Redis
# never hands a running task to a second worker; a render takes well under a second.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 180


class RenditionTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Also called in the parent process when the hard time limit kills the child.
        logger.error("PDF %s failed: %r", args[0], exc)
        renditions.mark_failed(rendition_id=args[0], error=repr(exc))


@shared_task(
    bind=True,
    base=RenditionTask,
    acks_late=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_rendition(self: Task, rendition_id: int) -> None:
    try:
        renditions.render_rendition_now(rendition_id=rendition_id)
    except TRANSIENT_ERRORS as exc:
        # 5, 10, 20, 40, 80 s; past the last retry the error reaches on_failure.
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
