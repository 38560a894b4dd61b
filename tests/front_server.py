"""nginx before gunicorn, as docker-compose.yml runs them, on this machine's loopback.

The template is rendered the way the official nginx image renders it (each ${NAME} replaced by the value
docker-compose.yml gives) and run by Debian's nginx (scripts/install-system-deps test) inside a minimal main
configuration like the image's. gunicorn runs with deploy/gunicorn.conf.py on the test database, configured as
the web service is (DEBUG off, collected static files, X-Accel-Redirect, shared Prometheus figures).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
MONITORING_TOKEN = "test-monitoring-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_template(values: dict[str, str]) -> str:
    text = TEMPLATE.read_text()
    names = set(re.findall(r"\$\{([A-Z_]+)\}", text))
    assert names <= set(values), f"no value for {sorted(names - set(values))}"
    for name in names:
        text = text.replace("${" + name + "}", values[name])
    return text


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 and localhost."""
    certificate, key = directory / "portal.crt", directory / "portal.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def write_nginx_config(directory: Path, values: dict[str, str]) -> Path:
    """The portal's file inside a main configuration like the official image's nginx.conf, all paths in `directory`."""
    (directory / "portal.conf").write_text(render_template(values))
    temp_paths = "\n".join(
        f"  {kind}_temp_path {directory / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = directory / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'} warn;\n"
        + "events { worker_connections 256; }\n"
        + "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  sendfile on;\n"
        + f"{temp_paths}\n  include {directory / 'portal.conf'};\n}}\n"
    )
    return main


def nginx_test(main: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NGINX), "-t", "-p", str(main.parent), "-c", str(main), "-e", str(main.parent / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def database_url_of_the_tests() -> str:
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{db['NAME']}"


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self) -> str:
        return self.body.decode()


@dataclass
class FrontServer:
    http_port: int
    https_port: int
    gunicorn_port: int
    directory: Path
    certificate: Path

    def fetch(
        self, path: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None, tls=True
    ) -> Response:
        if tls:
            context = ssl.create_default_context(cafile=str(self.certificate))
            connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=context, timeout=30)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        return _exchange(connection, method, path, headers, body)

    def fetch_from_gunicorn(self, path: str, *, headers: dict | None = None) -> Response:
        """Straight to gunicorn, as nginx asks it (TLS already ended in front)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.gunicorn_port, timeout=30)
        return _exchange(connection, "GET", path, {"X-Forwarded-Proto": "https", **(headers or {})}, None)

    def gunicorn_log(self) -> list[str]:
        return (self.directory / "gunicorn.log").read_text().splitlines()

    def nginx_access_log(self) -> list[dict]:
        return [json.loads(line) for line in (self.directory / "nginx.out").read_text().splitlines() if line]


def _exchange(connection, method, path, headers, body) -> Response:
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return Response(reply.status, reply.headers, reply.read())
    finally:
        connection.close()


@contextlib.contextmanager
def front_server(directory: Path, *, static_root: Path, media_root: Path) -> Iterator[FrontServer]:
    certificate, key = make_certificate(directory)
    server = FrontServer(free_port(), free_port(), free_port(), directory, certificate)
    main = write_nginx_config(
        directory,
        {
            "PORTAL_UPSTREAM": f"127.0.0.1:{server.gunicorn_port}",
            "PORTAL_HTTP_PORT": f"127.0.0.1:{server.http_port}",
            "PORTAL_HTTPS_PORT": f"127.0.0.1:{server.https_port}",
            "PORTAL_TLS_CERTIFICATE": str(certificate),
            "PORTAL_TLS_CERTIFICATE_KEY": str(key),
            "PORTAL_STATIC_ROOT": str(static_root),
            "PORTAL_MEDIA_ROOT": str(media_root),
            "PORTAL_ERROR_PAGES": str(ROOT / "deploy" / "nginx" / "errors"),
        },
    )
    (directory / "metrics").mkdir()
    environment = {
        **{name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG", "REDIS_URL")},
        "GUNICORN_BIND": f"127.0.0.1:{server.gunicorn_port}",
        "WEB_CONCURRENCY": "2",
        "DATABASE_URL": database_url_of_the_tests(),
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_TLS_PROXY": "true",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "X_ACCEL_MEDIA_PREFIX": "/internal-media/",
        "PROMETHEUS_MULTIPROC_DIR": str(directory / "metrics"),
        "MONITORING_TOKEN": MONITORING_TOKEN,
        # In production nginx is another container, not on the allow-list; here it is on the loopback too.
        "MONITORING_ALLOWED_NETWORKS": "192.0.2.0/24",
        "LOG_LEVEL": "INFO",
        # The tests through nginx measure nginx's own limits; Django's are tests/test_rate_limits.py's.
        "SEARCH_RATE_LIMIT": "100000/min",
        "API_RATE_LIMIT": "100000/min",
        # The test run's own cache keys: pages cached by an earlier run must not answer this one.
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    with (directory / "gunicorn.log").open("wb") as gunicorn_log, (directory / "nginx.out").open("wb") as nginx_out:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=environment,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        nginx = None
        try:
            wait_for_port(server.gunicorn_port, gunicorn)
            nginx = subprocess.Popen(
                [
                    *(str(NGINX), "-p", str(directory), "-c", str(main)),
                    "-e",
                    str(directory / "error.log"),
                    "-g",
                    "daemon off;",
                ],
                stdout=nginx_out,
                stderr=subprocess.STDOUT,
            )
            wait_for_port(server.https_port, nginx)
            yield server
        finally:
            for process in (nginx, gunicorn):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
