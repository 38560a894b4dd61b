"""gunicorn's settings for the web service (docker-compose.yml runs `gunicorn -c deploy/gunicorn.conf.py`).

nginx sits in front: it buffers slow clients and sends static files and PDFs itself, so a few sync workers
go far. Each request is logged once by the portal (JSON, with its request id), so gunicorn's access log is off
and its own messages are JSON lines too. Under several workers the Prometheus figures are shared through
PROMETHEUS_MULTIPROC_DIR, emptied here when gunicorn starts.
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Below nginx's proxy_read_timeout (65 s), so that a stuck request is ended here and logged, not just cut off.
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "reports.operations.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False}
    },
}


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def post_worker_init(worker) -> None:
    import logging

    # Python's warnings as JSON lines of the py.warnings logger, like everything else.
    logging.captureWarnings(True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
