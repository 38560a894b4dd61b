"""What Prometheus reads: the portal's own counters, and figures read at scrape time.

django-prometheus counts requests and their latency by view, and database queries (its database back end
wraps Django's). The counters here are kept by the processes that do the work: PDF renders and e-mails in the
Celery worker (exported by `worker_metrics`), login failures and lockouts in the web. Under gunicorn and
Celery's prefork pool several processes share one set of figures through PROMETHEUS_MULTIPROC_DIR.
Queue depth and the renditions by state are read when Prometheus asks, so they are true after any restart.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from reports.operations.access import monitoring_only

RENDER_TASKS = {
    "reports.rendering.tasks.render_rendition": "render",
    "reports.operations.tasks.rerender_pdf": "rerender",
}
EMAIL_TASK = "reports.notifications.tasks.send_notification_email"
OUTCOMES = {"SUCCESS": "ready", "RETRY": "retried", "FAILURE": "failed"}
# An e-mail still unsent this long after its inbox entry is a failure worth a look (retries back off to an hour).
EMAIL_OVERDUE = timedelta(minutes=15)

pdf_renders = Counter(
    "portal_pdf_renders",
    "PDF renders by the worker, by task (render on publication, rerender after an upgrade) and outcome.",
    ["task", "outcome"],
)
pdf_render_seconds = Histogram(
    "portal_pdf_render_seconds",
    "Time a worker took to render and store one PDF.",
    ["task"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
notification_emails = Counter(
    "portal_notification_emails",
    "Notification e-mails: sent, skipped (nothing to send), retried after an error, failed for good.",
    ["outcome"],
)
login_failures = Counter("portal_login_failures", "Failed logins.")
login_lockouts = Counter("portal_login_lockouts", "Accounts or addresses locked out after repeated failed logins.")

_started: dict[str, float] = {}


def note_task_start(task_id: str | None = None, task=None, **kwargs) -> None:
    if task is not None and (task.name in RENDER_TASKS or task.name == EMAIL_TASK):
        _started[task_id] = time.perf_counter()


def count_task(task_id: str | None = None, task=None, args=(), state: str | None = None, **kwargs) -> None:
    """task_postrun: one render or e-mail attempt, by how it ended."""
    started = _started.pop(task_id, None)
    if task is None or started is None:
        return
    if task.name in RENDER_TASKS:
        kind = RENDER_TASKS[task.name]
        outcome = OUTCOMES.get(state or "", "failed")
        pdf_renders.labels(task=kind, outcome=outcome).inc()
        if outcome == "ready":
            pdf_render_seconds.labels(task=kind).observe(time.perf_counter() - started)
    elif task.name == EMAIL_TASK:
        outcome = OUTCOMES.get(state or "", "failed")
        if outcome == "ready":
            outcome = "sent" if _emailed_since(args[0], seconds_ago=time.perf_counter() - started) else "skipped"
        notification_emails.labels(outcome=outcome).inc()


def _emailed_since(notification_id: int, *, seconds_ago: float) -> bool:
    """The task returns nothing: whether it sent is whether the entry got its e-mail while the task ran."""
    Notification = apps.get_model("notifications", "Notification")
    since = timezone.now() - timedelta(seconds=seconds_ago + 1)
    return Notification.objects.filter(pk=notification_id, emailed_at__gte=since).exists()


def count_login_failure(**kwargs) -> None:
    login_failures.inc()


def count_lockout(**kwargs) -> None:
    """Receiver for django-axes' `user_locked_out` signal (connected when axes is installed)."""
    login_lockouts.inc()


def connect_receivers() -> None:
    from celery.signals import task_postrun, task_prerun
    from django.contrib.auth.signals import user_login_failed

    task_prerun.connect(note_task_start, weak=False, dispatch_uid="portal-metrics-prerun")
    task_postrun.connect(count_task, weak=False, dispatch_uid="portal-metrics-postrun")
    user_login_failed.connect(count_login_failure, weak=False, dispatch_uid="portal-metrics-login-failed")
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(count_lockout, weak=False, dispatch_uid="portal-metrics-lockout")


class CeleryQueueCollector(Collector):
    """Tasks waiting in the Redis broker, and tasks a worker has taken but not finished."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        import redis
        from kombu.transport.redis import PRIORITY_STEPS, Channel

        from portal.celery import app

        up = GaugeMetricFamily("portal_celery_broker_up", "Whether the Celery broker (Redis) answered.")
        waiting = GaugeMetricFamily("portal_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"])
        unacked = GaugeMetricFamily("portal_celery_unacked_tasks", "Tasks taken by a worker and not yet finished.")
        queues = [queue.name for queue in app.conf.task_queues or []] or [app.conf.task_default_queue]
        try:
            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2)
            with client.pipeline() as pipe:
                for queue in queues:
                    for step in PRIORITY_STEPS:
                        pipe.llen(queue if step == 0 else f"{queue}{Channel.sep}{step}")
                pipe.hlen(Channel.unacked_key)
                lengths = pipe.execute()
            client.close()
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        steps = len(PRIORITY_STEPS)
        for index, queue in enumerate(queues):
            waiting.add_metric([queue], sum(lengths[index * steps : (index + 1) * steps]))
        unacked.add_metric([], lengths[-1])
        yield from (up, waiting, unacked)


class PortalStateCollector(Collector):
    """Figures the database holds: PDFs by state, e-mails overdue."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        PdfRendition = apps.get_model("rendering", "PdfRendition")
        Notification = apps.get_model("notifications", "Notification")
        renditions = GaugeMetricFamily("portal_pdf_renditions", "Stored PDF renditions by state.", labels=["status"])
        overdue = GaugeMetricFamily(
            "portal_notification_emails_overdue",
            "Notification e-mails wanted but still not sent 15 minutes after the inbox entry.",
        )
        try:
            counts = dict(PdfRendition.objects.order_by().values_list("status").annotate(n=Count("pk")))
            late = Notification.objects.filter(
                email_wanted=True,
                emailed_at__isnull=True,
                created_at__lt=timezone.now() - EMAIL_OVERDUE,
            ).exclude(recipient__email="")
            late_count = late.count()
        except DatabaseError:
            return
        for status in PdfRendition.Status.values:
            renditions.add_metric([status], counts.get(status, 0))
        overdue.add_metric([], late_count)
        yield from (renditions, overdue)


def process_registry() -> CollectorRegistry:
    """The counters of every process of this service (one registry per scrape in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def scrape_time_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(PortalStateCollector())
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        registry.register(CeleryQueueCollector())
    return registry


@monitoring_only
def metrics_view(request: HttpRequest) -> HttpResponse:
    body = generate_latest(process_registry()) + generate_latest(scrape_time_registry())
    return HttpResponse(body, content_type="text/plain; version=0.0.4; charset=utf-8")
