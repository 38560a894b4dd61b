"""A published report's PDF is rendered once per content by a worker task; failures keep the report usable."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from reports.filing.models import Report, ReportRevision
from reports.rendering import native, renditions, services
from reports.rendering.models import PdfRendition
from reports.rendering.tasks import MAX_RETRIES, TIME_LIMIT, RenditionTask, render_rendition
from reports.rendering.worker import refuse_to_start_without_the_subsetter
from tests.pdf_tools import pdf_info, pdf_reading_text, xmp
from tests.publishing import correct, published_report


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def tasks_in_process():
    """The task's logic, run eagerly even beside a broker; tests/integration runs it in a real worker."""
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def published(places, cycle, sx_filer, sx_reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)


def stored_pdfs(media):
    return sorted(media.rglob("*.pdf"))


def test_publishing_renders_the_published_version_once(published, media):
    rendition = PdfRendition.objects.get(report=published)
    assert rendition.status == PdfRendition.Status.READY
    assert rendition.content_hash == published.published_revision.content_hash
    with rendition.file.open("rb") as f:
        assert "关于2024年度法治政府建设情况的报告" in pdf_reading_text(f.read())
    assert len(stored_pdfs(media)) == 1


def test_a_doubled_or_redelivered_task_does_not_render_again(published, media):
    rendition = PdfRendition.objects.get(report=published)
    render_rendition.delay(rendition.pk)
    render_rendition.delay(rendition.pk)
    services.request_pdf(revision=published.published_revision)
    assert PdfRendition.objects.filter(report=published).count() == 1
    assert len(stored_pdfs(media)) == 1
    assert PdfRendition.objects.get(pk=rendition.pk).rendered_at == rendition.rendered_at


def test_a_transient_storage_error_is_retried(published, media, monkeypatch):
    rendition = PdfRendition.objects.get(report=published)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING, file="")
    failures = iter([OSError("volume briefly away"), OSError("still away")])
    original_save = FileSystemStorage._save

    def flaky_save(self, name, content):
        error = next(failures, None)
        if error:
            raise error
        return original_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", flaky_save)
    render_rendition.delay(rendition.pk)
    assert PdfRendition.objects.get(pk=rendition.pk).status == PdfRendition.Status.READY


def test_storage_errors_past_the_last_retry_mark_the_pdf_failed(published, monkeypatch):
    rendition = PdfRendition.objects.get(report=published)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING, file="")
    calls = []

    def broken_save(self, name, content):
        calls.append(name)
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "_save", broken_save)
    render_rendition.delay(rendition.pk)
    rendition.refresh_from_db()
    assert rendition.status == PdfRendition.Status.FAILED
    assert "disk full" in rendition.error
    assert len(calls) == MAX_RETRIES + 1


def test_a_failed_pdf_keeps_the_report_readable_and_staff_can_retry(
    published, client, monkeypatch, django_capture_on_commit_callbacks
):
    rendition = PdfRendition.objects.get(report=published)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING, file="")
    monkeypatch.setattr(renditions, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad layout")))
    render_rendition.delay(rendition.pk)
    rendition.refresh_from_db()
    assert rendition.status == PdfRendition.Status.FAILED
    assert rendition.get_status_display() == "生成失败"
    assert client.get("/published/2024/sx-yjglt/").status_code == 200
    assert client.get("/published/2024/sx-yjglt.pdf").status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_pdf(rendition=rendition)
    rendition.refresh_from_db()
    assert rendition.status == PdfRendition.Status.READY
    assert client.get("/published/2024/sx-yjglt.pdf").status_code == 200


def test_retrying_a_ready_pdf_leaves_it_alone(published):
    rendition = PdfRendition.objects.get(report=published)
    assert services.retry_pdf(rendition=rendition).rendered_at == rendition.rendered_at


def test_a_hard_time_limit_kill_marks_the_pdf_failed(published):
    rendition = PdfRendition.objects.get(report=published)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING)
    RenditionTask().on_failure(TimeoutError("killed"), "task-id", (rendition.pk,), {}, None)
    assert PdfRendition.objects.get(pk=rendition.pk).status == PdfRendition.Status.FAILED


def test_the_task_is_acked_late_and_its_time_limits_stay_below_the_visibility_timeout():
    visibility_timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert render_rendition.acks_late
    assert render_rendition.soft_time_limit < render_rendition.time_limit < visibility_timeout
    # The longest wait between retries, too, or Redis would hand the waiting task out twice.
    assert 5 * 2 ** (MAX_RETRIES - 1) < visibility_timeout


def test_a_correction_makes_the_old_pdf_stale_and_the_public_gets_the_new_one(
    published, sx_filer, sx_reviewer, client, django_capture_on_commit_callbacks
):
    old = PdfRendition.objects.get(report=published)
    with django_capture_on_commit_callbacks(execute=True):
        correct(published, sx_filer, sx_reviewer, text="更正后的主要负责人履职情况。", note="更正履职情况。")
    current = services.rendition_for(published.published_revision)
    assert current != old and current.status == PdfRendition.Status.READY
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert "更正后的主要负责人履职情况" in pdf_reading_text(b"".join(response.streaming_content))


def test_staff_get_a_draft_pdf_of_the_current_text_marked_as_draft(sx_draft):
    sx_draft.sections.filter(key="duties").update(text="尚未报送的草稿文字。")
    draft = services.render_draft_pdf(report=sx_draft)
    text = pdf_reading_text(draft)
    assert "尚未报送的草稿文字" in text
    assert "此件公开发布" not in text
    assert not PdfRendition.objects.exists()


def test_render_report_writes_the_published_draft_and_archival_pdfs(published, tmp_path):
    call_command("render_report", published.pk, "--out", str(tmp_path / "public.pdf"))
    call_command("render_report", published.pk, "--out", str(tmp_path / "draft.pdf"), "--draft")
    call_command("render_report", published.pk, "--out", str(tmp_path / "archive.pdf"), "--archival")
    public, archive = (tmp_path / "public.pdf").read_bytes(), (tmp_path / "archive.pdf").read_bytes()
    assert pdf_reading_text(public) == pdf_reading_text(archive)
    assert pdf_info(public)["Tagged"] == pdf_info(archive)["Tagged"] == "yes"
    assert "pdfaid:part" in xmp(archive) and "pdfaid:part" not in xmp(public)
    stored = PdfRendition.objects.get(report=published)
    with stored.file.open("rb") as f:
        assert pdf_reading_text(f.read()) == pdf_reading_text(public)


def test_a_worker_refuses_to_start_without_harfbuzz_subset(monkeypatch):
    native.require_harfbuzz_subset()
    native._harfbuzz_subset.cache_clear()
    monkeypatch.setattr(native, "HARFBUZZ_SUBSET", "libharfbuzz-subset-missing.so.0")
    try:
        with pytest.raises(native.SubsetterMissing, match="libharfbuzz-subset0"):
            refuse_to_start_without_the_subsetter()
    finally:
        native._harfbuzz_subset.cache_clear()


def test_revisions_with_the_same_content_share_one_pdf(published, sx_filer):
    revision = published.published_revision
    ReportRevision.objects.create(
        report=published, number=revision.number + 1, content=revision.content, content_hash=revision.content_hash
    )
    rendition = PdfRendition.objects.get(report=published)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING)
    assert renditions.render_rendition_now(rendition_id=rendition.pk).status == PdfRendition.Status.READY


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_and_stored_with_no_transaction_open_and_no_row_locked(
    places, cycle, sx_filer, sx_reviewer, monkeypatch
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    rendition = PdfRendition.objects.get(report=report)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING, file="")
    seen = []

    def watched_render(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        # Another worker given the same task meanwhile leaves it to this one, and the row is not locked.
        assert renditions.render_rendition_now(rendition_id=rendition.pk).status == PdfRendition.Status.PENDING
        with transaction.atomic():
            locked = PdfRendition.objects.select_for_update(nowait=True).get(pk=rendition.pk)
            Report.objects.select_for_update(nowait=True).get(pk=report.pk)
        assert locked.claimed_at is not None
        return original(*args, **kwargs)

    original = renditions.render_pdf
    monkeypatch.setattr(renditions, "render_pdf", watched_render)
    assert renditions.render_rendition_now(rendition_id=rendition.pk).status == PdfRendition.Status.READY
    assert seen == [False]


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_it_expires(published, media):
    rendition = PdfRendition.objects.get(report=published)
    abandoned = timezone.now() - renditions.CLAIM_EXPIRES - datetime.timedelta(seconds=1)
    PdfRendition.objects.filter(pk=rendition.pk).update(status=PdfRendition.Status.PENDING, claimed_at=timezone.now())
    assert renditions.render_rendition_now(rendition_id=rendition.pk).status == PdfRendition.Status.PENDING
    PdfRendition.objects.filter(pk=rendition.pk).update(claimed_at=abandoned)
    assert renditions.render_rendition_now(rendition_id=rendition.pk).status == PdfRendition.Status.READY


def test_a_claim_outlasts_the_longest_render():
    assert renditions.CLAIM_EXPIRES.total_seconds() > TIME_LIMIT
