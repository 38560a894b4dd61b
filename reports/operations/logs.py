"""One JSON object a line, each carrying the id of the request (and the task) it belongs to.

The request id comes from the front server (nginx sets X-Request-ID) or is made here, is sent back in the
response, and travels with every Celery task the request queues in a message header, so that one search
through the logs finds the web request and the PDF render it started. Apart from the user's id the lines
hold no personal data: no names, no addresses, no query strings (a search may be for a person).

This module is imported by the logging configuration before Django's apps are ready: it must not import models.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# Names of the Celery message headers that carry the ids into a task.
TASK_REQUEST_ID = "portal_request_id"
TASK_USER_ID = "portal_user_id"
# What a front server or a client may hand us as an id: nginx's $request_id is 32 hex digits.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
task_user_id: ContextVar[int | None] = ContextVar("task_user_id", default=None)
current_task: ContextVar[tuple[str, str] | None] = ContextVar("current_task", default=None)

request_logger = logging.getLogger("portal.request")


def user_id_of(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request has already looked at its user: logging must not load a session."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def current_user_id() -> int | None:
    request = current_request.get()
    if request is not None:
        return user_id_of(request)
    return task_user_id.get()


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and the running task to every record the handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.user_id = current_user_id()
        task = current_task.get()
        record.task_id, record.task = task if task else (None, None)
        return True


class JsonFormatter(BaseJsonFormatter):
    """time, level, logger, message, the ids from ContextFilter, and any `extra` fields, as one JSON object."""

    # The request object that django.request and django.server attach holds the full URL and headers.
    LEFT_OUT = ("request", "color_message")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "{asctime}{levelname}{name}{message}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # ISO 8601 in the process's zone (the image sets TZ=Asia/Shanghai, as Django does for its processes).
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")

    def add_fields(self, log_record: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_record, record, message_dict)
        for name in self.LEFT_OUT:
            log_record.pop(name, None)


class RequestLogMiddleware:
    """Gives each request its id (the front server's, or a new one) and logs one line when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        # Kept until the response is finished (forget_request): Django logs a 404 or 500 after the middleware.
        request_id.set(rid)
        current_request.set(request)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        match = request.resolver_match
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def forget_request(**kwargs) -> None:
    """request_finished: what the thread logs next belongs to no request."""
    request_id.set(None)
    current_request.set(None)


def add_ids_to_task_message(headers: dict | None = None, **kwargs) -> None:
    """before_task_publish: a task queued while serving a request (or running a task) carries its ids."""
    if headers is None:
        return
    if rid := request_id.get():
        headers.setdefault(TASK_REQUEST_ID, rid)
    if uid := current_user_id():
        headers.setdefault(TASK_USER_ID, uid)


_task_tokens: dict[str, tuple] = {}


def take_ids_from_task_message(task_id: str | None = None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the ids of the request that queued it, and the task's own."""
    given = getattr(task.request, TASK_REQUEST_ID, None) if task is not None else None
    rid = given or request_id.get() or task_id
    uid = getattr(task.request, TASK_USER_ID, None) if task is not None else None
    _task_tokens[task_id] = (
        request_id.set(rid),
        task_user_id.set(uid if uid is not None else task_user_id.get()),
        current_task.set((task_id, task.name if task is not None else None)),
    )


def forget_task_ids(task_id: str | None = None, **kwargs) -> None:
    """task_postrun: back to the ids the worker (or, eagerly, the request) had before the task."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        rid_token, user_token, task_token = tokens
        current_task.reset(task_token)
        task_user_id.reset(user_token)
        request_id.reset(rid_token)


def connect_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.signals import request_finished

    request_finished.connect(forget_request, weak=False, dispatch_uid="portal-request-id-finished")
    before_task_publish.connect(add_ids_to_task_message, weak=False, dispatch_uid="portal-request-id-publish")
    task_prerun.connect(take_ids_from_task_message, weak=False, dispatch_uid="portal-request-id-prerun")
    task_postrun.connect(forget_task_ids, weak=False, dispatch_uid="portal-request-id-postrun")


def use_django_logging(**kwargs) -> None:
    """Celery's setup_logging: the worker and beat write the same JSON lines as the web, at LOG_LEVEL."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    # Python's warnings too, as JSON lines of the py.warnings logger rather than raw text.
    logging.captureWarnings(True)
