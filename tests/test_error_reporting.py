"""With SENTRY_DSN set, an error reaches a Sentry-compatible server with the request id and the user's id only.

The server is a stand-in listening on 127.0.0.1 that keeps what it receives; the portal runs in its own process
(Sentry hooks into Django for the whole process) against the test database.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest
from django.db import connection

from reports.rendering.models import PdfRendition
from reports.rendering.renditions import render_rendition_now
from tests.front_server import ROOT, database_url_of_the_tests
from tests.publishing import published_report

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL: the portal's process reads the test database"
)


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        body = gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body) if encoding == "br" else body
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def sentry_server():
    Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, Collector.received
    server.shutdown()
    server.server_close()


SCRIPT = """
import django, sentry_sdk
django.setup()
from django.test import Client
from reports.agencies.models import User
client = Client(raise_request_exception=False)
client.force_login(User.objects.get(pk={user_id}))
response = client.get({path!r}, headers={{"X-Request-ID": "broken-pdf-0001"}})
print(response.status_code)
sentry_sdk.flush(10)
"""


def test_an_error_is_reported_with_the_request_id_and_user_id_and_nothing_personal(
    sentry_server, transactional_db, places, cycle, sx_filer, sx_reviewer, settings, tmp_path
):
    port, received = sentry_server
    settings.MEDIA_ROOT = tmp_path
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    rendition = render_rendition_now(rendition_id=PdfRendition.objects.get(report=report).pk)
    Path(rendition.file.path).unlink()  # the disk lost the PDF: its download fails
    environment = {
        **{name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")},
        "DATABASE_URL": database_url_of_the_tests(),
        "MEDIA_ROOT": str(tmp_path),
        "DEBUG": "false",
        "SSL_REDIRECT": "false",  # the test client speaks to Django directly, not through the TLS proxy
        "SECRET_KEY": "test-only-secret-key",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
        "SENTRY_ENVIRONMENT": "test",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    path = f"/published/{report.cycle.year}/{report.agency.code}.pdf"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(user_id=sx_filer.pk, path=path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500"

    events = [json.loads(line) for body in received for line in body.splitlines()[1:] if b'"exception"' in line]
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "FileNotFoundError"
    assert event["environment"] == "test"
    assert event["tags"]["request_id"] == "broken-pdf-0001"
    assert event["user"] == {"id": str(sx_filer.pk)}
    sent = b"".join(received).decode()
    assert sx_filer.username not in sent
    assert "sessionid" not in sent and "Cookie" not in event.get("request", {}).get("headers", {})
    assert "127.0.0.1" not in json.dumps(event.get("request", {}))
