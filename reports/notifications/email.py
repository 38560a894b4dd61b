from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from reports.notifications.models import Notification

# Longer than an SMTP conversation may take, so that only a dead worker's claim expires.
CLAIM_EXPIRES = datetime.timedelta(minutes=10)


def send_notification(*, notification_id: int) -> None:
    """E-mail one inbox entry once; a failure (OSError, SMTP errors are OSErrors) is retried by the task.

    The sending is claimed with a conditional update and done outside any transaction, so no row stays locked
    while the mail server answers; a doubled task finds it claimed or sent and does nothing."""
    claimed_at = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, recipient__email__gt="")
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=claimed_at - CLAIM_EXPIRES))
        .update(email_claimed_at=claimed_at)
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
