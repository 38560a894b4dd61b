"""Log lines: one JSON object each, with the request id and the user's id and no other personal data."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from reports.operations.logs import JsonFormatter
from tests.front_server import ROOT


@pytest.fixture
def json_lines():
    """What the portal's console handler writes (formatter and filter as configured), one dict a line."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield lambda: [json.loads(line) for line in captured.getvalue().splitlines()]
    handler.setStream(previous)


def test_each_request_is_logged_once_with_its_id_and_the_users_id_but_not_the_query(
    client, json_lines, sx_filer, sx_draft
):
    client.force_login(sx_filer)
    response = client.get(f"/work/reports/{sx_draft.pk}/?q=张三", headers={"X-Request-ID": "abcdef0123456789"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abcdef0123456789"
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert line["request_id"] == "abcdef0123456789"
    assert line["user_id"] == sx_filer.pk
    assert (line["method"], line["path"], line["status"], line["view"]) == (
        "GET",
        f"/work/reports/{sx_draft.pk}/",
        200,
        "filing:report",
    )
    assert line["level"] == "INFO" and line["time"]
    assert "张三" not in json.dumps(line, ensure_ascii=False), "no query string: a search may be for a person"
    assert sx_filer.username not in json.dumps(line, ensure_ascii=False)


def test_a_request_id_that_is_not_one_is_replaced(client, json_lines, db):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert len(response["X-Request-ID"]) == 32
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None


def test_a_visitors_request_does_not_load_a_session_to_log_a_user(client, json_lines, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/healthz")
    assert "Cookie" not in client.get("/healthz").get("Vary", ""), "logging did not touch the session"


def test_the_level_comes_from_LOG_LEVEL_and_every_line_is_json():
    script = (
        "import django, logging; django.setup(); log = logging.getLogger('portal.check');"
        "log.info('not shown'); log.warning('一条警告 %s', 42)"
    )
    environment = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    environment["LOG_LEVEL"] = "WARNING"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "portal.check", "一条警告 42")
    ]


def test_djangos_own_lines_about_a_request_carry_its_id_too(client, json_lines, db):
    client.get("/no-such-page/", headers={"X-Request-ID": "missing-page-0001"})
    lines = json_lines()
    [warning] = [line for line in lines if line["logger"] == "django.request"]
    assert warning["message"] == "Not Found: /no-such-page/"
    assert warning["request_id"] == "missing-page-0001" and warning["level"] == "WARNING"
    assert len([line for line in lines if "Not Found" in line["message"]]) == 1, "once, in JSON"
