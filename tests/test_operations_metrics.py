"""/metrics in Prometheus's text format, for monitoring only: requests by view, queries, queue depth, PDFs, logins.

The counters the worker keeps (renders, e-mails) are tested with a real worker process in
tests/integration/test_worker_operations.py; gunicorn's workers adding up theirs in tests/test_front_server.py.
"""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from reports.operations import metrics
from reports.rendering.models import PdfRendition
from tests.factories import PASSWORD

OUTSIDE = {"REMOTE_ADDR": "198.51.100.20"}


def scrape(client, **extra) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def sample(body: str, name: str, **labels) -> float:
    for line in body.splitlines():
        if line.split("{")[0].split(" ")[0] == name and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no {name} {labels}")


def test_metrics_answer_the_allowed_networks_and_the_token_holder_only(client, db, settings):
    settings.MONITORING_TOKEN = "scrape-token"
    assert client.get("/metrics", **OUTSIDE).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape"}, **OUTSIDE).status_code == 404
    scrape(client, headers={"Authorization": "Bearer scrape-token"}, **OUTSIDE)
    settings.MONITORING_ALLOWED_NETWORKS = ["198.51.100.0/24"]
    scrape(client, **OUTSIDE)
    settings.MONITORING_TOKEN = ""
    settings.MONITORING_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404, "no token and no network: nobody"


def test_metrics_count_requests_by_view_and_database_queries(client, db):
    before = scrape(client)
    for _ in range(3):
        client.get(reverse("publication:home"))
    after = scrape(client)
    name = "django_http_requests_total_by_view_transport_method_total"
    labels = {"view": "publication:home", "method": "GET"}
    assert sample(after, name, **labels) - _or_zero(before, name, **labels) == 3
    assert sample(after, "django_db_execute_total", vendor=connection.vendor) > 0


def _or_zero(body, name, **labels):
    try:
        return sample(body, name, **labels)
    except AssertionError:
        return 0.0


def test_metrics_show_the_pdfs_by_state(client, places, cycle):
    from reports.filing import services

    report = services.start_report(agency=places.sx_emergency, cycle=cycle)
    PdfRendition.objects.create(report=report, content_hash="a" * 64, status=PdfRendition.Status.FAILED)
    PdfRendition.objects.create(report=report, content_hash="b" * 64, status=PdfRendition.Status.PENDING)
    body = scrape(client)
    assert sample(body, "portal_pdf_renditions", status="failed") == 1
    assert sample(body, "portal_pdf_renditions", status="pending") == 1
    assert sample(body, "portal_pdf_renditions", status="ready") == 0


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL: the queue is in Redis")
def test_metrics_show_tasks_waiting_in_the_broker(client, db):
    from portal.celery import app
    from reports.workflow.tasks import send_due_reminders

    app.control.purge()
    for _ in range(3):
        send_due_reminders.delay()
    try:
        body = scrape(client)
    finally:
        app.control.purge()
    assert sample(body, "portal_celery_broker_up") == 1
    assert sample(body, "portal_celery_queue_length", queue="celery") == 3


def test_failed_logins_and_lockouts_are_counted(client, sx_filer):
    before = scrape(client)
    client.post(reverse("login"), {"username": sx_filer.username, "password": "wrong-" + PASSWORD})
    # django-axes (to come) sends user_locked_out; connect_receivers() connects this receiver to it when installed.
    metrics.count_lockout(request=None, username=sx_filer.username)
    after = scrape(client)
    assert sample(after, "portal_login_failures_total") - _or_zero(before, "portal_login_failures_total") == 1
    assert sample(after, "portal_login_lockouts_total") - _or_zero(before, "portal_login_lockouts_total") == 1
