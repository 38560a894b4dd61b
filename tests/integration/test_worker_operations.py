"""A real `celery worker` process, as docker-compose.yml runs it: its log lines, its metrics, the request id.

The web side is the test client in this process; the worker is a separate process with a prefork pool,
sharing its Prometheus figures through PROMETHEUS_MULTIPROC_DIR and serving them on WORKER_METRICS_PORT.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse

from reports.filing import services
from reports.filing.models import Report
from reports.notifications.models import Notification
from reports.rendering.models import PdfRendition
from reports.rendering.tasks import render_rendition
from reports.workflow import actions
from tests.factories import fill_required_sections
from tests.front_server import ROOT, database_url_of_the_tests, free_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: runs a real worker against a real broker"),
]

TOKEN = "worker-metrics-token"


@pytest.fixture
def worker_process(transactional_db, tmp_path, settings):
    from portal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    app.control.purge()
    port = free_port()
    (tmp_path / "metrics").mkdir()
    environment = {
        **{name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG", "REDIS_URL")},
        "DATABASE_URL": database_url_of_the_tests(),
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "WORKER_METRICS_PORT": str(port),
        "MONITORING_TOKEN": TOKEN,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "portal", "--quiet", "worker", "--concurrency=1"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"wt-test-{port}@%h"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_metrics(port, worker)
            yield port, log
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def scrape(port: int, token: str | None = TOKEN) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/", headers=headers), timeout=5) as r:
        return r.read().decode()


def wait_for_metrics(port: int, worker: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited with {worker.returncode}")
        try:
            scrape(port)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the worker never served its metrics")


def wait_for(condition, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.3)
    raise AssertionError("the worker did not get there in time")


def sample(body: str, name: str, **labels) -> float:
    for line in body.splitlines():
        if line.startswith(name) and all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_published_reports_pdf_and_email_are_counted_and_logged_with_the_request_that_queued_them(
    worker_process, client, places, cycle, sx_filer, sx_reviewer
):
    port, log = worker_process
    sx_filer.email = "filer@example.gov.cn"
    sx_filer.save()
    report = services.start_report(agency=places.sx_emergency, cycle=cycle)
    fill_required_sections(report)
    actions.submit_report(report=report, by=sx_filer)
    actions.approve_report(report=report, by=sx_reviewer)

    client.force_login(sx_reviewer)
    response = client.post(
        reverse("workflow:publish", args=[report.pk]), {"confirm": "on"}, headers={"X-Request-ID": "publish-0123456789"}
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "publish-0123456789"
    assert Report.objects.get(pk=report.pk).published_revision_id

    rendition = wait_for(lambda: PdfRendition.objects.filter(report=report, status=PdfRendition.Status.READY).first())
    wait_for(lambda: Notification.objects.filter(recipient=sx_filer, emailed_at__isnull=False).count() == 2)
    metrics = wait_for(lambda: sample(body := scrape(port), "portal_notification_emails_total") == 2 and body)
    assert sample(metrics, "portal_pdf_renders_total", task="render", outcome="ready") == 1
    assert sample(metrics, "portal_pdf_render_seconds_count", task="render") == 1
    assert 0 < sample(metrics, "portal_pdf_render_seconds_sum", task="render") < 60
    # The filer was told by e-mail of the approval and of the publication.
    emailed = Notification.objects.filter(recipient=sx_filer, emailed_at__isnull=False).count()
    assert emailed == 2
    assert sample(metrics, "portal_notification_emails_total", outcome="sent") == emailed

    # A rendition whose content matches no version cannot be rendered: the failure is counted too.
    broken = PdfRendition.objects.create(report=rendition.report, content_hash="0" * 64)
    render_rendition.delay(broken.pk)
    wait_for(lambda: PdfRendition.objects.filter(pk=broken.pk, status=PdfRendition.Status.FAILED).exists())
    failed = wait_for(lambda: sample(body := scrape(port), "portal_pdf_renders_total", outcome="failed") and body)
    assert sample(failed, "portal_pdf_renders_total", task="render", outcome="failed") == 1

    with pytest.raises(urllib.error.HTTPError) as refused:
        scrape(port, token=None)
    assert refused.value.code == 404

    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    # Celery prints two notices itself, not through logging: that it runs as root (as this test does; the image
    # runs it as uid 10001), before logging is set up, and that it stops. Everything else is a JSON object.
    printed = "\n".join(line for line in lines if not line.startswith("{"))
    if os.geteuid() == 0:
        assert "SecurityWarning: You're running the worker with superuser privileges" in printed
        printed = printed.split("_warn_or_raise_security_error(egid, euid, gid, uid,", 1)[1]
    assert printed.strip() in ("", "worker: Warm shutdown (MainProcess)")
    from_the_request = [r for r in records if r.get("request_id") == "publish-0123456789"]
    tasks = {r["task"] for r in from_the_request}
    assert "reports.rendering.tasks.render_rendition" in tasks
    assert "reports.notifications.tasks.send_notification_email" in tasks
    assert {r["user_id"] for r in from_the_request} == {sx_reviewer.pk}
    text = log.read_text()
    assert "filer@example.gov.cn" not in text and sx_reviewer.username not in text, "no personal data"
