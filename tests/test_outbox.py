"""Nothing waits for ever: e-mails, PDFs and uploaded files are rows first, and the sweeps queue again whatever the
broker never got, lost, or a dead worker dropped; staff can retry a PDF from every stuck state. (The faults
themselves are produced for real in tests/integration/test_faults.py.)"""

import datetime

import pytest
from django.utils import timezone

from reports.notifications.email import waiting_email_ids
from reports.notifications.models import Notification
from reports.rendering import renditions
from reports.rendering.models import DraftPdf, PdfRendition
from reports.transfer import reading
from reports.transfer.models import ReportImport
from tests.factories import make_user
from tests.publishing import published_report

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def tasks_in_process():
    """The tasks run in this process (tests/integration runs them in a real worker)."""
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def published(places, cycle, sx_filer, sx_reviewer):
    return published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)


def _set(rendition, **fields):
    PdfRendition.objects.filter(pk=rendition.pk).update(**fields)
    rendition.refresh_from_db()
    return rendition


def _sent(model=PdfRendition):
    queued = []
    renditions.sweep(lambda m, pks: queued.extend(pks) if m is model else None)
    return queued


STUCK = {
    "never reached the broker": {"queued_at": None, "claimed_at": None},
    "lost by the broker": {"queued_at": -11, "claimed_at": None},
    "its worker died": {"queued_at": -20, "claimed_at": -6},
}


@pytest.mark.parametrize("how", list(STUCK))
def test_the_sweep_queues_a_pdf_nobody_is_making(published, how):
    rendition = PdfRendition.objects.get(report=published)
    now = timezone.now()
    fields = {k: (now + v * MINUTE if isinstance(v, int) else v) for k, v in STUCK[how].items()}
    _set(rendition, status=PdfRendition.Status.PENDING, file="", **fields)
    assert rendition.is_stuck()
    assert _sent() == [rendition.pk]
    assert PdfRendition.objects.get(pk=rendition.pk).claimed_at is None, "a dead worker's claim is dropped"


def test_the_sweep_leaves_a_pdf_that_is_on_its_way(published):
    rendition = PdfRendition.objects.get(report=published)
    now = timezone.now()
    _set(rendition, status=PdfRendition.Status.PENDING, queued_at=now - 2 * MINUTE, claimed_at=None)
    assert _sent() == []
    _set(rendition, claimed_at=now - MINUTE)
    assert _sent() == []


def test_a_pdf_whose_workers_died_again_and_again_is_given_up_and_staff_told(published, sx_reviewer):
    rendition = PdfRendition.objects.get(report=published)
    _set(
        rendition,
        status=PdfRendition.Status.PENDING,
        attempts=renditions.MAX_ATTEMPTS,
        claimed_at=timezone.now() - 6 * MINUTE,
    )
    assert _sent() == []
    rendition.refresh_from_db()
    assert rendition.status == PdfRendition.Status.FAILED and "已停止自动重试" in rendition.error
    told = Notification.objects.get(kind=Notification.Kind.PDF_FAILED)
    assert told.recipient == sx_reviewer, "who published the version"
    assert "重新生成 PDF" in told.body


@pytest.mark.parametrize("how", ["failed", *STUCK])
def test_staff_retry_works_from_every_stuck_state(client, published, sx_filer, how, django_capture_on_commit_callbacks):
    rendition = PdfRendition.objects.get(report=published)
    if how == "failed":
        _set(rendition, status=PdfRendition.Status.FAILED, error="生成 PDF 时工作进程意外终止（可能是内存不足）。")
    else:
        now = timezone.now()
        fields = {k: (now + v * MINUTE if isinstance(v, int) else v) for k, v in STUCK[how].items()}
        _set(rendition, status=PdfRendition.Status.PENDING, file="", **fields)
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{published.pk}/").content.decode()
    assert "重新生成 PDF" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/work/reports/{published.pk}/retry-pdf/", follow=True)
    assert "已重新开始生成 PDF" in response.content.decode()
    assert PdfRendition.objects.get(pk=rendition.pk).status == PdfRendition.Status.READY


def test_a_pdf_on_its_way_offers_no_retry(client, published, sx_filer):
    rendition = PdfRendition.objects.get(report=published)
    _set(rendition, status=PdfRendition.Status.PENDING, queued_at=timezone.now(), claimed_at=None)
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{published.pk}/").content.decode()
    assert "正在生成" in page and "重新生成 PDF" not in page
    response = client.post(f"/work/reports/{published.pk}/retry-pdf/", follow=True)
    assert "PDF 已生成或正在生成，无需重试。" in response.content.decode()


def test_a_pdf_waiting_for_the_broker_says_so_to_staff_and_is_being_prepared_to_the_public(client, published, sx_filer):
    rendition = PdfRendition.objects.get(report=published)
    _set(rendition, status=PdfRendition.Status.PENDING, queued_at=None, claimed_at=None, file="")
    client.force_login(sx_filer)
    assert "任务队列暂时不可用，恢复后自动生成" in client.get(f"/work/reports/{published.pk}/").content.decode()
    client.logout()
    assert "PDF 正在生成" in client.get("/published/2024/sx-yjglt/").content.decode()


def test_a_draft_pdf_waits_for_the_broker_then_for_a_worker_and_is_made_again_after_its_worker_died(
    client, sx_draft, sx_filer, django_capture_on_commit_callbacks
):
    client.force_login(sx_filer)
    asked = client.post(f"/work/reports/{sx_draft.pk}/draft-pdf/")  # nothing queued: as with the broker away
    draft = DraftPdf.objects.get(report=sx_draft)
    page = client.get(asked["Location"]).content.decode()
    assert "任务队列暂时不可用" in page and 'http-equiv="refresh"' in page
    DraftPdf.objects.filter(pk=draft.pk).update(queued_at=timezone.now(), claimed_at=timezone.now())
    page = client.get(asked["Location"]).content.decode()
    assert "正在生成草稿 PDF" in page and "重新生成草稿 PDF" not in page
    DraftPdf.objects.filter(pk=draft.pk).update(claimed_at=timezone.now() - 6 * MINUTE)
    page = client.get(asked["Location"]).content.decode()
    assert "等待生成的时间过长" in page and "重新生成草稿 PDF" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/work/reports/{sx_draft.pk}/draft-pdf/")
    assert again["Location"] == asked["Location"], "the same content's draft"
    response = client.get(again["Location"], follow=True)
    assert response["Content-Type"] == "application/pdf"


def test_emails_the_broker_never_got_or_lost_are_queued_again_within_three_days(places, sx_filer):
    sx_filer.email = "filer@sx.example.gov.cn"
    sx_filer.save()
    now = timezone.now()

    def message(**fields):
        n = Notification.objects.create(recipient=sx_filer, kind="returned", subject="s", body="b")
        Notification.objects.filter(pk=n.pk).update(**fields)
        return n.pk

    never_queued = message(email_queued_at=None)
    lost = message(email_queued_at=now - 31 * MINUTE)
    on_its_way = message(email_queued_at=now - MINUTE)
    sent = message(email_queued_at=now - 31 * MINUTE, emailed_at=now)
    being_sent = message(email_queued_at=now - 31 * MINUTE, email_claimed_at=now - MINUTE)
    stale = message(email_queued_at=None, created_at=now - datetime.timedelta(days=4))
    inbox_only = message(email_queued_at=None, email_wanted=False)
    make_user("no-address", places.sx_emergency)
    assert waiting_email_ids() == [never_queued, lost]
    assert {on_its_way, sent, being_sent, stale, inbox_only}.isdisjoint(waiting_email_ids())


def test_an_upload_nobody_is_reading_is_queued_again_and_one_that_killed_its_workers_is_refused(sx_draft, sx_filer):
    def upload(**fields):
        record = ReportImport.objects.create(
            report=sx_draft, file_name="a.txt", status=ReportImport.Status.READING, created_by=sx_filer
        )
        ReportImport.objects.filter(pk=record.pk).update(**fields)
        return record.pk

    now = timezone.now()
    never_queued = upload(queued_at=None)
    reading_now = upload(queued_at=now, claimed_at=now)
    killed_twice = upload(queued_at=now - 20 * MINUTE, claimed_at=now - 6 * MINUTE, attempts=reading.MAX_ATTEMPTS)
    queued = []
    counts = reading.sweep(queued.extend)
    assert queued == [never_queued] and counts == {"failed": 1, "queued": 1}
    refused = ReportImport.objects.get(pk=killed_twice)
    assert refused.status == ReportImport.Status.FAILED and "文件内容过多" in refused.error
    assert ReportImport.objects.get(pk=reading_now).status == ReportImport.Status.READING
