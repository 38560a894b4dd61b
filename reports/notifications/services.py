"""Tell people what happened to a report: an inbox entry always, an e-mail after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from reports.agencies.models import User
from reports.filing.models import Report
from reports.notifications.models import Notification
from reports.notifications.tasks import queue_emails


def notify(
    *, recipients: Iterable[User], report: Report | None, kind: str, context: dict | None = None, email: bool = True
) -> list[Notification]:
    """Write one inbox entry per person and queue their e-mails; e-mail failures never undo the caller's work, and
    e-mails that cannot be queued now (the broker is away) wait in the database for the sweep."""
    context = {"report": report, **(context or {})}
    subject = render_to_string(f"notifications/{kind}_subject.txt", context).strip()
    body = render_to_string(f"notifications/{kind}_body.txt", context).strip()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=r, report=report, kind=kind, subject=subject, body=body, email_wanted=email)
        for r in {r.pk: r for r in recipients}.values()
    )
    queue_emails([n.pk for n in notifications if email and n.recipient.email])
    return notifications


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
