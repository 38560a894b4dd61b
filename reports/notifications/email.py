"""Sending a notification's e-mail, once, and the outbox of those the broker never got."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from reports.notifications.models import Notification

logger = logging.getLogger(__name__)

# Longer than an SMTP conversation may take, so that only a dead worker's claim expires.
CLAIM_EXPIRES = datetime.timedelta(minutes=10)
# An e-mail queued this long ago and still not sent lost its task (Redis restarted empty, or the task's own
# retries ran out while the mail server was away): the sweep queues it again. Longer than the task's retries.
QUEUE_PATIENCE = datetime.timedelta(minutes=30)
# Older than this an e-mail is no longer news; it stays in the inbox.
GIVE_UP_AFTER = datetime.timedelta(days=3)


def mark_queued(notification_ids: list[int]) -> None:
    Notification.objects.filter(pk__in=notification_ids).update(email_queued_at=timezone.now())


def send_notification(*, notification_id: int) -> None:
    """E-mail one inbox entry once; a failure (OSError, SMTP errors are OSErrors) is retried by the task.

    The sending is claimed with a conditional update and done outside any transaction, so no row stays locked
    while the mail server answers; a doubled task finds it claimed or sent and does nothing."""
    claimed_at = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, recipient__email__gt="")
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=claimed_at - CLAIM_EXPIRES))
        .update(email_claimed_at=claimed_at, email_queued_at=claimed_at)
    )
    if not claimed:
        return
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except BaseException:
        Notification.objects.filter(pk=notification_id, email_claimed_at=claimed_at).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def waiting_emails(now: datetime.datetime | None = None):
    """E-mails nobody is sending: never queued (the broker was away), or queued long ago and lost."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(email_queued_at__isnull=True) | Q(email_queued_at__lt=now - QUEUE_PATIENCE),
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_EXPIRES),
        email_wanted=True,
        emailed_at__isnull=True,
        recipient__email__gt="",
        created_at__gte=now - GIVE_UP_AFTER,
    )


def waiting_email_ids(limit: int = 1000) -> list[int]:
    ids = list(waiting_emails().order_by("pk").values_list("pk", flat=True)[:limit])
    if ids:
        logger.info("e-mail outbox: %s to queue again", len(ids))
    return ids
