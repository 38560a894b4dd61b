"""Faults every deployment meets, produced for real on the production stack (gunicorn with DEBUG off, a Celery
worker, a Redis of the test's own): the portal keeps working and nothing is lost or stuck."""

import datetime
import os
import signal

import pytest
from django.conf import settings
from django.db import connection

from reports.filing.models import Report, ReportState
from reports.notifications.models import Notification
from reports.rendering.models import PdfRendition
from tests.factories import PASSWORD, make_user, report_in_state
from tests.integration.stack import Browser, main_text, messages_in, stack, wait_until
from tests.pdf_tools import pdf_text
from tests.publishing import report_from_snapshot, snapshot

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: the production stack"),
]

PUBLIC_PAGES = [
    "/",
    "/published/",
    "/published/?q=推进",
    "/published/2024/cz-yjglj/",
    "/agencies/cz-yjglj/",
    "/compliance/",
    "/open-data/",
    "/open-data/indicators.csv",
    "/feed/",
    "/sitemap.xml",
    "/api/v1/reports/",
    "/api/v1/reports/2024/cz-yjglj/",
]


@pytest.fixture
def production(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production stack runs on PostgreSQL")
    with stack(tmp_path / "media") as running:
        yield running


def long_report(agency, cycle, points=400):
    """A published report long enough (some 300 pages) that its render takes seconds, even on a fast machine."""
    paragraph = "全面推进依法行政，严格规范公正文明执法，" * 10
    chapter = {
        "heading": "",
        "points": [{"heading": f"第{i}项重点工作", "paragraphs": [paragraph, paragraph]} for i in range(points)],
    }
    content = snapshot(agency, cycle.year, measures={"chapters": [chapter], "commitments": []})
    report = report_from_snapshot(agency, cycle, content, datetime.date(cycle.year + 1, 3, 20))
    PdfRendition.objects.create(report=report, content_hash=report.published_revision.content_hash)
    return report


def rendition_of(report) -> PdfRendition:
    return PdfRendition.objects.get(report=report)


def test_a_render_whose_pool_process_is_killed_reads_failed_and_a_retry_makes_the_pdf(
    production, places, cycle, sx_reviewer
):
    report = long_report(places.sx_emergency, cycle)
    worker = production.worker()
    web = production.web()
    production.call("reports.rendering.tasks.sweep_pdfs")
    wait_until(lambda: rendition_of(report).claimed_at, 60, "the worker takes the render on")
    (pool_process,) = worker.children()
    os.kill(pool_process, signal.SIGKILL)  # as the OOM killer does
    wait_until(lambda: rendition_of(report).status == PdfRendition.Status.FAILED, 30, "the PDF reads failed")
    assert "工作进程意外终止" in rendition_of(report).error
    assert "exited with 'signal 9 (SIGKILL)'" in worker.log()
    wait_until(
        lambda: Notification.objects.filter(report=report, recipient=sx_reviewer, kind="pdf_failed").exists(),
        10,
        "staff are told",
    )

    visitor = Browser(production.web_url)
    status, page, _ = visitor.get("/published/2024/sx-yjglt/")
    assert status == 200 and "PDF 暂时无法提供" in page and "PDF 正在生成" not in page
    status, page = visitor.get("/published/2024/sx-yjglt.pdf")[:2]
    assert status == 404 and "PDF 暂时无法提供" in page

    staff = Browser(production.web_url)
    staff.log_in(sx_reviewer, PASSWORD)
    page = staff.get(f"/work/reports/{report.pk}/")[1]
    assert "生成失败" in page and "重新生成 PDF" in page
    status, page, _ = staff.post(f"/work/reports/{report.pk}/retry-pdf/")
    assert "已重新开始生成 PDF，请稍后刷新查看。" in messages_in(page)
    wait_until(lambda: rendition_of(report).status == PdfRendition.Status.READY, 90, "the retried PDF is made")
    status, pdf = visitor.get_bytes("/published/2024/sx-yjglt.pdf")
    assert status == 200 and "第79项重点工作" in pdf_text(pdf), web.log()


def test_a_render_whose_whole_worker_dies_is_queued_again_by_the_sweep_once_its_claim_expires(
    production, places, cycle, sx_reviewer
):
    report = long_report(places.sx_emergency, cycle)
    worker = production.worker()
    production.call("reports.rendering.tasks.sweep_pdfs")
    claimed_at = wait_until(lambda: rendition_of(report).claimed_at, 60, "the worker takes the render on")
    pool = worker.children()
    worker.popen.kill()  # the machine or the container goes: nobody is left to say what happened
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    worker.popen.wait(timeout=10)
    assert rendition_of(report).status == PdfRendition.Status.PENDING
    # The message waits out Redis's visibility timeout (an hour); the claim expires after five minutes.
    PdfRendition.objects.filter(pk=rendition_of(report).pk).update(
        claimed_at=claimed_at - PdfRendition.claim_expires - datetime.timedelta(seconds=1)
    )
    production.worker()
    production.call("reports.rendering.tasks.sweep_pdfs")
    wait_until(lambda: rendition_of(report).status == PdfRendition.Status.READY, 90, "the PDF is made after all")
    assert rendition_of(report).attempts == 2


def test_a_render_past_its_time_limit_tells_the_public_it_failed(production, places, cycle, sx_reviewer):
    # Long enough to take many seconds on any machine (it renders 80 points in under one on a fast one).
    report = long_report(places.sx_emergency, cycle, points=1200)
    worker = production.worker(PDF_TIME_LIMIT="1", PDF_SOFT_TIME_LIMIT="0")
    production.web()
    production.call("reports.rendering.tasks.sweep_pdfs")
    wait_until(lambda: rendition_of(report).status == PdfRendition.Status.FAILED, 60, "the PDF reads failed")
    assert "Hard time limit" in worker.log()
    assert "超过了时间限制" in rendition_of(report).error
    wait_until(lambda: Notification.objects.filter(report=report, kind="pdf_failed").exists(), 10, "staff are told")
    page = Browser(production.web_url).get("/published/2024/sx-yjglt/")[1]
    assert "PDF 暂时无法提供" in page and "PDF 正在生成" not in page


def test_with_redis_stopped_the_public_site_answers_and_actions_keep_their_emails_and_pdfs(
    production, places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer
):
    report_in_state(ReportState.PUBLISHED, places.cz_emergency, cycle, cz_filer, cz_reviewer)
    from reports.publication.services import refresh_search_entry

    refresh_search_entry(Report.objects.get(agency=places.cz_emergency))
    sx_filer.email = "filer@sx.example.gov.cn"
    sx_filer.save()
    to_return = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    government_filer = make_user("sx-zf-filer", places.sx_government)
    to_publish = report_in_state(ReportState.APPROVED, places.sx_government, cycle, government_filer, sx_reviewer)
    web = production.web()
    visitor = Browser(production.web_url)
    assert all(visitor.get(path)[0] == 200 for path in PUBLIC_PAGES)

    production.redis.stop()
    for path in PUBLIC_PAGES:
        status, page, _ = visitor.get(path)
        assert status == 200, (path, page[:300], web.log()[-2000:])
    assert "长治市应急管理局" in visitor.get("/published/2024/cz-yjglj/")[1]

    reviewer = Browser(production.web_url)
    reviewer.log_in(sx_reviewer, PASSWORD)
    status, page, _ = reviewer.post(f"/review/reports/{to_return.pk}/return/", {"reason": "请补充执法数据。"})
    assert status == 200 and "报告已退回修改，填报人会收到理由和意见。" in messages_in(page)
    status, page, _ = reviewer.post(f"/review/reports/{to_publish.pk}/publish/", {"confirm": "on"})
    assert status == 200 and "报告已公开发布，PDF 正在生成。" in messages_in(page)
    to_return.refresh_from_db()
    to_publish.refresh_from_db()
    assert (to_return.state, to_publish.state) == (ReportState.RETURNED, ReportState.PUBLISHED)
    email = Notification.objects.get(report=to_return, recipient=sx_filer, kind="returned")
    assert (email.emailed_at, email.email_queued_at) == (None, None), "kept in the database for the broker"
    pdf = rendition_of(to_publish)
    assert (pdf.status, pdf.queued_at) == (PdfRendition.Status.PENDING, None)
    status, page, _ = visitor.get("/published/2024/sx-zf/")
    assert status == 200 and "PDF 正在生成" in page
    assert "任务队列暂时不可用" in reviewer.get(f"/work/reports/{to_publish.pk}/")[1]

    production.redis.start()  # empty, as a Redis restarted without its data
    worker = production.worker()
    production.call("reports.notifications.tasks.send_waiting_emails")
    production.call("reports.rendering.tasks.sweep_pdfs")
    wait_until(lambda: Notification.objects.get(pk=email.pk).emailed_at, 60, "the e-mail is sent")
    assert "send_notification_email" in worker.log()
    wait_until(lambda: rendition_of(to_publish).status == PdfRendition.Status.READY, 90, "the PDF is made")
    assert visitor.get_bytes("/published/2024/sx-zf.pdf")[0] == 200


def _peak_memory_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _upload(filer, draft, name: str, data: bytes) -> str:
    """Upload as the filer does; the page it lands on (the file being read, or already its result)."""
    status, page, url = filer.post(f"/work/reports/{draft.pk}/import/", files={"file": (name, data)})
    assert status == 200 and "/import/" in url, page[:300]
    return url.removeprefix(filer.base)


def _result(filer, url: str) -> str:
    def read() -> str:
        page = filer.get(url)[1]
        return "" if 'data-status="reading"' in page else page

    return wait_until(read, 90, f"{url} shows a result")


def test_uploads_are_read_by_the_worker_within_its_limits_and_no_file_takes_it_down(
    production, places, cycle, sx_filer
):
    from tests.transfer_tools import SHANXI, docx_from_lines, long_docx, lying_docx, sample_text

    draft = Report.objects.create(agency=places.sx_emergency, cycle=cycle, title="关于2024年度法治政府建设情况的报告")
    from reports.filing.services import add_missing_sections

    add_missing_sections(draft)
    # Each file is read in a process of its own with this much address space (the reading of the sample takes
    # some 140 MB, Python and Django included; of 200,000 paragraphs some 300 MB).
    worker = production.worker(IMPORT_MEMORY_LIMIT_MB="200")
    production.web()
    filer = Browser(production.web_url)
    filer.log_in(sx_filer, PASSWORD)
    (pool_process,) = worker.children()
    before = _peak_memory_kb(pool_process)

    page = _result(filer, _upload(filer, draft, "厅里的报告.docx", docx_from_lines(sample_text(SHANXI).splitlines())))
    assert "导入结果" in page

    # 200,000 paragraphs (2.6 MB, within every size limit) need more memory than this worker gives one file.
    page = _result(filer, _upload(filer, draft, "很长的报告.docx", long_docx(200_000)))
    assert "未能导入“很长的报告.docx”" in page and "文件内容过多" in page and "上传并识别" in page, worker.log()

    # A 300 KB file whose document part declares 4 KB and inflates to 300 MB: refused by the size guard (not by
    # the memory limit, which would say 文件内容过多).
    crafted = lying_docx(inflates_to=300 * 1024 * 1024)
    page = _result(filer, _upload(filer, draft, "篡改的报告.docx", crafted))
    assert "异常庞大" in page, main_text(page)
    assert worker.children() == [pool_process], "the worker's process lived through every file"
    assert _peak_memory_kb(pool_process) - before < 50 * 1024

    page = _result(filer, _upload(filer, draft, "厅里的报告.docx", docx_from_lines(sample_text(SHANXI).splitlines())))
    assert "导入结果" in page or "识别结果" in page


def test_an_upload_past_its_time_limit_is_refused_with_a_message(production, places, cycle, sx_filer):
    from reports.filing.services import add_missing_sections
    from tests.transfer_tools import long_docx

    draft = Report.objects.create(agency=places.sx_emergency, cycle=cycle, title="关于2024年度法治政府建设情况的报告")
    add_missing_sections(draft)
    limits = {"IMPORT_SOFT_TIME_LIMIT": "1", "IMPORT_TIME_LIMIT": "20"}
    worker = production.worker(**limits)
    production.web(**limits)
    filer = Browser(production.web_url)
    filer.log_in(sx_filer, PASSWORD)
    page = _result(filer, _upload(filer, draft, "很长的报告.docx", long_docx(100_000)))
    assert "超过了时间限制" in page and "草稿没有任何改动" in page, worker.log()


def test_the_draft_pdf_is_made_by_the_worker_behind_a_page_that_waits_for_it(production, places, cycle, sx_filer):
    from reports.filing.services import add_missing_sections

    draft = Report.objects.create(agency=places.sx_emergency, cycle=cycle, title="关于2024年度法治政府建设情况的报告")
    add_missing_sections(draft)
    draft.sections.filter(key="duties").update(text="尚未报送的草稿文字。")
    production.worker()
    production.web()
    filer = Browser(production.web_url)
    filer.log_in(sx_filer, PASSWORD)
    status, _, url = filer.post(f"/work/reports/{draft.pk}/draft-pdf/")
    waiting = url.removeprefix(filer.base)
    assert status == 200 and "/draft-pdf/" in waiting

    def made() -> bytes:
        _, body = filer.get_bytes(waiting)
        return body if body.startswith(b"%PDF") else b""

    pdf = wait_until(made, 60, "the draft PDF is made")
    assert "尚未报送的草稿文字" in pdf_text(pdf)
