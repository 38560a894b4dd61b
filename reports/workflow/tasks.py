from __future__ import annotations

from celery import shared_task

from reports.workflow import reminders


@shared_task(acks_late=True)
def send_due_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task(acks_late=True)
def send_overdue_digests() -> int:
    return reminders.send_overdue_digests()
