from __future__ import annotations

from celery import shared_task

from reports.filing.queue import queue_each_after_commit
from reports.notifications.email import mark_queued, send_notification, waiting_email_ids

# A few quick retries for a mail server that blinked; past them the e-mail waits for the sweep (QUEUE_PATIENCE).
MAX_RETRIES = 4


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=MAX_RETRIES)
def send_notification_email(notification_id: int) -> None:
    send_notification(notification_id=notification_id)


def queue_emails(notification_ids: list[int]) -> None:
    """Queue the e-mails once the caller commits; each one that reached the broker is marked queued (the others
    wait in the database for send_waiting_emails)."""
    queue_each_after_commit(send_notification_email, notification_ids, on_queued=mark_queued)


@shared_task(acks_late=True)
def send_waiting_emails() -> int:
    """Beat's job: queue again the e-mails of the outbox (never queued, or lost); how many."""
    ids = waiting_email_ids()
    queue_emails(ids)
    return len(ids)
