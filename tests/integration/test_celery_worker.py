import time

import pytest
from django.conf import settings

from reports.filing import services
from reports.rendering.models import PdfRendition
from reports.workflow import actions
from tests.factories import fill_required_sections, make_user
from tests.pdf_tools import pdf_text

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: runs a real worker against a real broker"),
]


def wait_for_pdf(report, seconds=90) -> PdfRendition:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rendition = PdfRendition.objects.filter(report=report).first()
        if rendition and rendition.status != PdfRendition.Status.PENDING:
            return rendition
        time.sleep(0.5)
    raise AssertionError("the worker did not render the PDF in time")


def publish(report, filer, reviewer):
    fill_required_sections(report)
    actions.submit_report(report=report, by=filer)
    actions.approve_report(report=report, by=reviewer)
    actions.publish_report(report=report, by=reviewer)
    return report


def test_a_worker_renders_a_published_reports_pdf_through_redis(
    celery_worker, places, cycle, sx_filer, sx_reviewer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    rendition = wait_for_pdf(report)
    assert rendition.status == PdfRendition.Status.READY, rendition.error
    with rendition.file.open("rb") as f:
        text = pdf_text(f.read())
    assert "关于2024年度法治政府建设情况的报告" in text
    assert "一、推进法治政府建设的主要举措和成效" in text
    assert "五、下一年度推进法治政府建设的主要安排" in text


def test_a_doubled_task_renders_the_pdf_once(celery_worker, places, cycle, sx_filer, sx_reviewer, settings, tmp_path):
    from reports.rendering.tasks import render_rendition

    settings.MEDIA_ROOT = tmp_path
    report = publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    rendition = wait_for_pdf(report)
    render_rendition.delay(rendition.pk)
    # The test worker takes tasks one at a time in order: once a later report's PDF is ready,
    # the doubled task has been handled too.
    filer = make_user("sx-zf-filer", places.sx_government)
    later = publish(services.start_report(agency=places.sx_government, cycle=cycle), filer, sx_reviewer)
    assert wait_for_pdf(later).status == PdfRendition.Status.READY
    rendition.refresh_from_db()
    assert rendition.status == PdfRendition.Status.READY
    assert len(list((tmp_path / "pdf").rglob("*.pdf"))) == 2
