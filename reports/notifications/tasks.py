from __future__ import annotations

from celery import shared_task

from reports.notifications.email import send_notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=8)
def send_notification_email(notification_id: int) -> None:
    send_notification(notification_id=notification_id)
