"""The Celery worker's /metrics: the PDF renders and e-mails its pool processes counted.

Started in the worker's main process once the pool is up, on WORKER_METRICS_PORT (docker-compose sets 9808 on
the internal network only; nothing publishes it). It asks for the same token as the web's /metrics when
MONITORING_TOKEN is set. With PROMETHEUS_MULTIPROC_DIR each pool process writes its figures to a file there
and this server adds them up; the directory is emptied when the worker starts, so figures start at zero.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from prometheus_client import make_wsgi_app, multiprocess

from reports.operations.metrics import process_registry

logger = logging.getLogger(__name__)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def metrics_app(token: str):
    serve = make_wsgi_app(process_registry())

    def app(environ, start_response):
        given = environ.get("HTTP_AUTHORIZATION", "")
        if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        return serve(environ, start_response)

    return app


def start_exporter(*, address: str, port: int, token: str) -> WSGIServer:
    server = make_server(address, port, metrics_app(token), _Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    logger.info("worker metrics on %s:%s", address, server.server_port)
    return server


def forget_previous_run(**kwargs) -> None:
    """worker_init (main process, before the pool): figures of processes of an earlier run are gone."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for stale in Path(directory).glob("*.db"):
            if not stale.stem.endswith(f"_{os.getpid()}"):
                stale.unlink(missing_ok=True)


def serve_metrics(**kwargs) -> None:
    """worker_ready: the pool is running."""
    if settings.WORKER_METRICS_PORT:
        start_exporter(
            address=settings.WORKER_METRICS_ADDRESS, port=settings.WORKER_METRICS_PORT, token=settings.MONITORING_TOKEN
        )


def process_exited(pid: int | None = None, **kwargs) -> None:
    """worker_process_shutdown: a pool process's live gauges leave with it (its counters stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid or os.getpid())


def connect_worker_signals() -> None:
    from celery.signals import worker_init, worker_process_shutdown, worker_ready

    worker_init.connect(forget_previous_run, weak=False, dispatch_uid="portal-metrics-forget")
    worker_ready.connect(serve_metrics, weak=False, dispatch_uid="portal-metrics-serve")
    worker_process_shutdown.connect(process_exited, weak=False, dispatch_uid="portal-metrics-exited")
