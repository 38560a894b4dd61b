"""The agency's report page: draft PDF, PDF retry, Word and file links, correction."""

import re

import pytest

from reports.filing.models import ReportState
from reports.rendering.models import PdfRendition
from tests.factories import report_in_state
from tests.pdf_tools import ink_colours, pdf_text


@pytest.fixture
def tasks_in_process(settings, tmp_path):
    """The worker's task run in this process (as in the demo without a broker); tests/integration runs it in a
    real worker."""
    from portal.celery import app

    settings.MEDIA_ROOT = tmp_path
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def test_staff_download_a_draft_pdf_marked_as_draft_and_without_the_public_note(
    client, sx_draft, sx_filer, cz_filer, tasks_in_process, django_capture_on_commit_callbacks
):
    sx_draft.sections.filter(key="duties").update(text="厅主要负责人定期听取法治工作汇报。")
    client.force_login(cz_filer)
    assert client.post(f"/work/reports/{sx_draft.pk}/draft-pdf/").status_code == 404
    client.force_login(sx_filer)
    assert "下载草稿 PDF" in client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/work/reports/{sx_draft.pk}/draft-pdf/")
    response = client.get(asked["Location"], follow=True)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    text = re.sub(r"\s", "", pdf_text(pdf))
    # The 草稿 mark is drawn (pale red, as outlines), not text that a reader would copy.
    assert any(r > g + 10 and r > b + 10 for r, g, b in ink_colours(pdf, 1))
    assert "草稿" not in text and "稿草" not in text
    assert "厅主要负责人定期听取法治工作汇报。" in text
    assert "此件公开发布" not in text


def test_a_failed_pdf_can_be_queued_again_from_the_report_page(
    client, places, cycle, sx_filer, sx_reviewer, django_capture_on_commit_callbacks
):
    report = report_in_state(ReportState.PUBLISHED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    PdfRendition.objects.filter(report=report).update(status=PdfRendition.Status.FAILED, error="OSError: disk full")
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{report.pk}/").content.decode()
    assert "生成失败" in page and "重新生成 PDF" in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/work/reports/{report.pk}/retry-pdf/", follow=True)
    assert "已重新开始生成 PDF" in response.content.decode()
    assert PdfRendition.objects.get(report=report).status == PdfRendition.Status.PENDING
    assert callbacks


def test_the_report_page_offers_word_and_a_start_from_a_file_while_editable(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/").content.decode()
    assert f"/work/reports/{sx_draft.pk}/export.docx" in page
    assert f"/work/reports/{sx_draft.pk}/import/" in page


def test_reviewers_are_sent_to_the_review_page_and_filers_are_not(client, places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_reviewer)
    assert f"/review/reports/{report.pk}/" in client.get(f"/work/reports/{report.pk}/").content.decode()
    client.force_login(sx_filer)
    assert f"/review/reports/{report.pk}/" not in client.get(f"/work/reports/{report.pk}/").content.decode()
