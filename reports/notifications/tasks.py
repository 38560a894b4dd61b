from __future__ import annotations

from celery import shared_task

from reports.notifications import scheduled
from reports.notifications.email import send_notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=8)
def send_notification_email(notification_id: int) -> None:
    send_notification(notification_id=notification_id)


@shared_task(acks_late=True)
def send_due_reminders() -> int:
    return scheduled.send_due_reminders()


@shared_task(acks_late=True)
def send_overdue_digests() -> int:
    return scheduled.send_overdue_digests()
