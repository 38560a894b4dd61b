from __future__ import annotations

from celery import shared_task
from celery.utils.log import get_task_logger

from reports.rendering import services

logger = get_task_logger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def render_rendition(rendition_id: int) -> None:
    try:
        services.render_rendition_now(rendition_id=rendition_id)
    except OSError:
        raise
    except Exception as exc:
        logger.exception("rendering PDF %s failed", rendition_id)
        services.mark_failed(rendition_id=rendition_id, error=repr(exc))
