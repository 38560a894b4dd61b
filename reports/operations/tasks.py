"""The worker's side of an upgrade: make one outdated PDF again."""

from __future__ import annotations

from celery import shared_task

from reports.rendering import renditions


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=10, max_retries=5, soft_time_limit=120, time_limit=180
)
def rerender_pdf(rendition_id: int) -> bool:
    return renditions.rerender_rendition(rendition_id=rendition_id)
