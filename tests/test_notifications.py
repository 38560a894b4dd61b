import datetime

import pytest
from django.core import mail
from django.db import connection

from reports.agencies.models import Role
from reports.filing import services
from reports.filing.models import ReportState
from reports.notifications import email
from reports.notifications.email import send_notification
from reports.notifications.models import Notification
from reports.workflow import actions
from reports.workflow import reminders as scheduled
from tests.factories import make_user, report_in_state


@pytest.fixture
def emailed_filer(places):
    user = make_user("filer-with-mail", places.sx_emergency)
    user.email = "filer@yjglt.shanxi.gov.cn"
    user.save()
    return user


def test_returning_a_report_emails_its_filers_after_the_commit(
    places, cycle, emailed_filer, sx_reviewer, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, emailed_filer, sx_reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    assert mail.outbox == []
    notification = emailed_filer.notifications.get(kind="returned")
    send_notification(notification_id=notification.pk)
    send_notification(notification_id=notification.pk)
    assert len(mail.outbox) == 1, "an e-mail is sent once even if the task runs twice"
    assert mail.outbox[0].to == ["filer@yjglt.shanxi.gov.cn"]
    assert "请补充。" in mail.outbox[0].body
    assert callbacks


def test_a_failing_mail_server_never_blocks_a_transition(
    places, cycle, emailed_filer, sx_reviewer, settings, monkeypatch
):
    """The transition commits first; the e-mail is a task that is retried later."""
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, emailed_filer, sx_reviewer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens here
    actions.approve_report(report=report, by=sx_reviewer)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    notification = emailed_filer.notifications.get(kind="approved")
    with pytest.raises(OSError):
        send_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None, "still to be sent when the task retries"


def test_reviewers_get_submissions_in_their_inbox_but_not_one_email_each(places, cycle, sx_filer, sx_reviewer):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    notification = sx_reviewer.notifications.get(kind="submitted")
    assert not notification.email_wanted
    assert "山西省应急管理厅" in notification.subject


def test_the_inbox_shows_a_persons_own_messages_only(client, places, cycle, sx_filer, cz_filer, sx_reviewer):
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    actions.return_report(report=report, by=sx_reviewer, reason="请补充。")
    client.force_login(cz_filer)
    assert "被退回修改" not in client.get("/inbox/").content.decode()
    client.force_login(sx_filer)
    assert "被退回修改" in client.get("/inbox/").content.decode()


def test_reminders_go_to_filers_who_have_not_submitted_once_a_day(places, cycle, sx_filer, cz_filer, sx_reviewer):
    done = make_user("gov-filer", places.sx_government)
    report_in_state(ReportState.SUBMITTED, places.sx_government, cycle, done, sx_reviewer)
    seven_days_before = cycle.due_date - datetime.timedelta(days=7)
    assert scheduled.send_due_reminders(seven_days_before) == 2
    assert scheduled.send_due_reminders(seven_days_before) == 0
    assert set(Notification.objects.filter(kind="reminder").values_list("recipient__username", flat=True)) == {
        "sx-yjglt-filer",
        "cz-yjglj-filer",
    }
    assert "还有7天" in sx_filer.notifications.get(kind="reminder").body
    assert scheduled.send_due_reminders(cycle.due_date - datetime.timedelta(days=5)) == 0


def test_each_reviewer_gets_one_daily_digest_of_overdue_agencies(places, cycle, sx_filer, sx_reviewer, cz_reviewer):
    report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    late_day = cycle.due_date + datetime.timedelta(days=3)
    assert scheduled.send_overdue_digests(late_day) == 2
    assert scheduled.send_overdue_digests(late_day) == 0
    digest = sx_reviewer.notifications.get(kind="digest")
    assert "山西省人民政府：未开始，已逾期3天" in digest.body
    assert "待审核（1份）" in digest.body and "山西省应急管理厅" in digest.body
    assert Notification.objects.filter(recipient=sx_reviewer, kind="digest").count() == 1


def test_signatories_are_asked_to_sign_off(places, cycle, sx_filer):
    cycle.requires_sign_off = True
    cycle.save()
    head = make_user("head", places.sx_emergency, Role.SIGNATORY)
    from tests.factories import fill_required_sections

    report = fill_required_sections(services.start_report(agency=places.sx_emergency, cycle=cycle))
    actions.submit_report(report=report, by=sx_filer)
    assert head.notifications.filter(kind="sign_off_requested").exists()


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_is_talked_to_with_no_transaction_open_and_the_entry_free_to_others(
    places, cycle, emailed_filer, sx_reviewer, settings, monkeypatch
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, emailed_filer, sx_reviewer)
    actions.approve_report(report=report, by=sx_reviewer)
    notification = emailed_filer.notifications.get(kind="approved")
    # Not sent yet, whether the task already ran in the process (no broker) or waits in the queue.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None, email_claimed_at=None)
    mail.outbox.clear()
    seen = []

    def slow_mail_server(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        # Meanwhile another worker gets the same task (redelivered): it must not send a second e-mail.
        send_notification(notification_id=notification.pk)
        return original(*args, **kwargs)

    original = email.send_mail
    monkeypatch.setattr(email, "send_mail", slow_mail_server)
    send_notification(notification_id=notification.pk)
    assert seen == [False]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None and notification.email_claimed_at is not None
