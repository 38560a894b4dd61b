"""The beat jobs, run by a real Celery worker through Redis."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from reports.filing import services
from reports.notifications.models import Notification
from reports.notifications.tasks import send_notification_email
from reports.workflow.tasks import send_due_reminders, send_overdue_digests

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: runs a real worker against a real broker"),
]


def wait_until(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"still not true after {seconds}s")


def drain(user):
    """The test worker takes tasks one at a time in order: once a marker e-mail is out, earlier tasks are done."""
    user.email = "marker@example.gov.cn"
    user.save()
    marker = Notification.objects.create(recipient=user, kind="published", subject="marker", body="marker")
    send_notification_email.delay(marker.pk)
    wait_until(lambda: Notification.objects.get(pk=marker.pk).emailed_at is not None)


def test_the_worker_sends_reminders_and_digests_once_however_often_beat_fires(
    celery_worker, places, sx_filer, cz_filer, sx_reviewer, cz_reviewer
):
    today = timezone.localdate()
    cycle = services.open_cycle(year=today.year, due_date=today + datetime.timedelta(days=3))
    send_due_reminders.delay()
    send_due_reminders.delay()
    drain(sx_reviewer)
    assert Notification.objects.filter(kind="reminder").count() == 2

    cycle.due_date = today - datetime.timedelta(days=2)
    cycle.save()
    send_overdue_digests.delay()
    send_overdue_digests.delay()
    drain(cz_reviewer)
    digests = Notification.objects.filter(kind="digest")
    assert sorted(digests.values_list("recipient__username", flat=True)) == ["cz-sfj-reviewer", "sx-sft-reviewer"]
    assert "逾期未报送" in digests.get(recipient=sx_reviewer).body
