"""Errors of the web and the worker sent to a Sentry-compatible server (self-hosted Sentry, GlitchTip).

Called from settings.py when SENTRY_DSN is set. No personal data leaves: no cookies, headers of the user's,
request bodies or IP addresses (send_default_pii stays off); each event carries the request id, to find its
log lines, and the user's id only.
"""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from reports.operations.logs import current_request, current_user_id, request_id


def add_ids(event: dict, hint: dict) -> dict:
    # A search may be for a person's name: no query string, no form data.
    for field in ("query_string", "data", "cookies"):
        event.get("request", {}).pop(field, None)
    if rid := request_id.get():
        event.setdefault("tags", {})["request_id"] = rid
    uid = _user_id()
    event["user"] = {"id": str(uid)} if uid is not None else {}
    return event


def _user_id() -> int | None:
    """Unlike a log line, an error is worth loading the session for; unless that is what fails."""
    request = current_request.get()
    if request is None:
        return current_user_id()
    try:
        user = request.user
        return user.pk if user.is_authenticated else None
    except Exception:
        return None


def start_error_reporting(*, dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=add_ids,
    )
