"""The production stack, in processes of the test's own, for the tests that produce faults for real: a Redis
server the test stops and starts, gunicorn with DEBUG off, a Celery worker whose processes the test kills.

Every process is started here and stopped by its own process id. They use the test database (the tests that
use them run with transactional_db, so that what the test writes is committed and they see it).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], object], seconds: float = 30, what: str = "") -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise AssertionError(f"still not so after {seconds}s: {what or check}")


class Redis:
    """A redis-server of the test's own on a free port, without persistence: stopped, it forgets everything, as
    a Redis restarted without its data does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, "redis-server answers")

    def _answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def collected_static() -> Path:
    """collectstatic's output for DEBUG off, made once per set of static files (it takes half a minute)."""
    sources = sorted(p for p in (ROOT / "static").rglob("*") if p.is_file())
    stamp = hashlib.sha256("".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources).encode())
    target = ROOT / "var" / "test-static" / stamp.hexdigest()[:16]
    if not (target / "staticfiles.json").exists():
        env = {**base_environment(), "STATIC_ROOT": str(target)}
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return target


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("the fault tests run the production stack on PostgreSQL")
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def base_environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "PORTAL_DEMO")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "fault-tests-only",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false",
            "SSL_REDIRECT": "false",  # plain HTTP on the loopback, no TLS proxy in front
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "LOG_LEVEL": "WARNING",
            "PORTAL_FONT_CACHE_DIR": str(settings.PORTAL_FONT_CACHE_DIR),
        }
    )
    env.update(extra)
    return env


@dataclass
class Process:
    """A process of the stack, its output kept for the test to read (and show when it fails)."""

    name: str
    popen: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.popen.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)

    def children(self) -> list[int]:
        """The process ids of this process's children (a Celery worker's pool processes)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.popen.pid:
                    found.append(int(stat.parent.name))
        return found


def start(name: str, command: list[str], env: dict[str, str], ready: Callable[[Process], bool]) -> Process:
    popen = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    process = Process(name, popen)
    try:
        wait_until(lambda: ready(process) or popen.poll() is not None, 60, f"{name} is ready")
    except AssertionError:
        process.stop()
        raise
    if popen.poll() is not None:
        raise AssertionError(f"{name} exited: {process.log()}")
    return process


class Stack:
    """The web, the worker and Redis of one test, and what they share (the database, the media directory)."""

    def __init__(self, media: Path) -> None:
        self.redis = Redis()
        self.media = media
        self.processes: list[Process] = []
        self.web_url = ""

    def environment(self, **extra: str) -> dict[str, str]:
        return base_environment(
            DATABASE_URL=database_url(), REDIS_URL=self.redis.url, MEDIA_ROOT=str(self.media), **extra
        )

    def web(self, **extra: str) -> Process:
        """gunicorn; `extra` settings as the worker's (the limits a task is queued with are the sender's)."""
        port = free_port()
        env = self.environment(STATIC_ROOT=str(collected_static()), **extra)
        command = [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--workers", "1", "--threads", "2"]
        command += ["--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"]
        self.web_url = f"http://127.0.0.1:{port}"

        def answers(process: Process) -> bool:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.web_url + "/accounts/login/", timeout=2).read()
                return True
            return False

        process = start("gunicorn", command, env, answers)
        self.processes.append(process)
        return process

    def worker(self, **extra: str) -> Process:
        command = [PYTHON, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1"]
        command += ["--loglevel", "INFO", "-n", f"fault-{uuid.uuid4().hex[:8]}@%h", "--without-gossip"]
        command += ["--without-mingle", "--without-heartbeat"]
        # Its "ready." line is an INFO line of the portal's JSON log.
        environment = self.environment(**{"LOG_LEVEL": "INFO", **extra})
        process = start("celery worker", command, environment, lambda p: " ready." in p.log())
        self.processes.append(process)
        return process

    def call(self, task: str) -> None:
        """Send a task by name as beat does (celery call)."""
        command = [PYTHON, "-m", "celery", "-A", "portal", "call", task]
        subprocess.run(command, cwd=ROOT, env=self.environment(), check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.redis.stop()


@contextlib.contextmanager
def stack(media: Path) -> Iterator[Stack]:
    running = Stack(media)
    running.redis.start()
    try:
        yield running
    finally:
        running.stop()


class Browser:
    """A person using the portal over HTTP: cookies kept, forms posted with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == settings.CSRF_COOKIE_NAME), "")

    def _url(self, path: str) -> str:
        return self.base + urllib.parse.quote(path, safe="/?=&%:")

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(self._url(path), timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def get_bytes(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self._url(path), timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, data: dict[str, str] | None = None, files: dict[str, tuple[str, bytes]] | None = None):
        if not self._csrf():
            self.get("/accounts/login/")
        fields = {**(data or {}), "csrfmiddlewaretoken": self._csrf()}
        if files:
            boundary = uuid.uuid4().hex
            body = b"".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                for k, v in fields.items()
            )
            for key, (name, content) in files.items():
                # As browsers send it: the file's name in UTF-8.
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                body += head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": content_type})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.url

    def log_in(self, user, password: str) -> None:
        """Log the user in; their password is stored with a hasher the production settings know (the suite hashes
        with MD5 for speed; a light PBKDF2 keeps the login quick)."""
        from django.contrib.auth.hashers import PBKDF2PasswordHasher

        hasher = PBKDF2PasswordHasher()
        type(user).objects.filter(pk=user.pk).update(password=hasher.encode(password, hasher.salt(), iterations=1000))
        status, page, url = self.post("/accounts/login/", {"username": user.username, "password": password})
        assert status == 200 and "/accounts/login/" not in url, page[:500]


def messages_in(page: str) -> list[str]:
    """The messages a page shows (Bootstrap alerts), as text."""
    return [
        re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)
    ]


def main_text(page: str) -> str:
    """The page's main part as text, for an assertion's message."""
    main = page.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))[:1500]
