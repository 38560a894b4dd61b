"""Benchmark: the public pages under load, over 100,000 published reports (not part of the tests).

It runs the production stack on this machine: PostgreSQL (a database of its own, `bench_public`, never the test
database), the Redis cache (a database index of its own), gunicorn with 2 workers and DEBUG off, and wrk from
Debian's package as the load generator in a second process, 16 connections over loopback. The data are
generate_reports' synthetic agencies, generated on the first run (about half an hour) and kept for the next.

For each of the home page, a filtered list, a search and a report page it measures the cached steady state a
public site sees; `report_uncached` and `search_uncached` walk through thousands of different report pages and
searches, each read once, so nearly every request is rendered and queried. The last line printed is JSON: p95_ms
and rps for each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"p95_ms": %.1f, "p50_ms": %.1f, "rps": %.0f, "requests": %d, "errors": %d, "non_2xx": %d}\\n',
    latency:percentile(95) / 1000, latency:percentile(50) / 1000, summary.requests / (summary.duration / 1e6),
    summary.requests, errors, summary.errors.status))
end
"""
WRK_WALK = """
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
init = function(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  n = 0
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(id * math.floor(#paths / 2) + n) % #paths + 1])
end
"""
PORT = 8917
SEARCH_TERM = "行政执法"


class Command(BaseCommand):
    help = "在 10 万份已公开报告上压测公开页面（PostgreSQL、Redis、gunicorn、wrk）；最后一行输出 JSON。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_public")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
        parser.add_argument("--reports", type=int, default=100_000, help="至少这么多份已公开的报告")
        parser.add_argument("--duration", type=int, default=20, help="每个页面压测的秒数")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--prepare", action="store_true", help="（内部）在压测数据库中准备数据，输出网址")
        parser.add_argument("--explain", action="store_true", help="（内部）输出列表和搜索查询的执行计划")

    def handle(self, *args, **options) -> None:
        if options["prepare"]:
            return self._prepare(options["reports"])
        if options["explain"]:
            return self._explain()
        wrk = _wrk()
        env = _bench_environment(options["database_url"], options["redis_url"])
        _create_database(options["database_url"])
        self._manage(env, "migrate", "--noinput", "-v0")
        self._manage(env, "collectstatic", "--noinput", "-v0")
        prepared = json.loads(self._manage(env, "bench_public", "--prepare", "--reports", str(options["reports"]))[-1])
        self.stdout.write(self._manage(env, "bench_public", "--explain", quiet=False)[-1])
        _flush_redis(options["redis_url"])
        figures = {"published": prepared["published"], "connections": options["connections"]}
        with _gunicorn(env) as base, tempfile.TemporaryDirectory() as scratch:
            report_lua, walk_lua = Path(scratch) / "report.lua", Path(scratch) / "walk.lua"
            report_lua.write_text(WRK_REPORT)
            walk_lua.write_text(WRK_WALK + WRK_REPORT)
            for name, path in prepared["pages"].items():
                _get(base + path)
                figures[name] = _run_wrk(wrk, report_lua, base + path, options, {})
                self.stdout.write(f"{name:16} {path}\n  {figures[name]}")
            for name, paths in [("report_uncached", prepared["walk"]), ("search_uncached", prepared["searches"])]:
                listed = Path(scratch) / name
                listed.write_text("\n".join(paths))
                figures[name] = _run_wrk(wrk, walk_lua, base + "/", options, {"BENCH_PATHS": str(listed)})
                self.stdout.write(f"{name:16} {len(paths)} 个不同的网址，各读一次\n  {figures[name]}")
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    def _manage(self, env: dict[str, str], *args: str, quiet: bool = True) -> list[str]:
        command = [sys.executable, "manage.py", *args]
        self.stderr.write(f"$ {' '.join(command[1:])}")
        result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise CommandError(f"{' '.join(args)} 失败：\n{result.stdout}\n{result.stderr}")
        lines = result.stdout.strip().splitlines() or [""]
        return lines if quiet else ["\n".join(lines)]

    def _prepare(self, wanted: int) -> None:
        from reports.demo.bench.public_data import prepare

        self.stdout.write(json.dumps(prepare(wanted, log=self.stderr.write), ensure_ascii=False))

    def _explain(self) -> None:
        from reports.demo.bench.public_data import explain

        self.stdout.write(explain(SEARCH_TERM))


def _wrk() -> str:
    """wrk from Debian's package, installed here when it is missing (as root), so the bench needs no manual step."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise CommandError("需要 wrk：请先运行 sudo apt-get install wrk")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=quiet)
    return shutil.which("wrk") or "wrk"


def _bench_environment(database_url: str, redis_url: str) -> dict[str, str]:
    name = database_url.rsplit("/", 1)[-1]
    if name == "test" or name.startswith("test_"):
        raise CommandError("压测不能使用测试数据库。")
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-public-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "bench_public_static"),
        "LOG_LEVEL": "WARNING",
    }


def _create_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


class _gunicorn:
    """gunicorn with 2 sync workers on loopback, stopped (by its own process id) on leaving."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __enter__(self) -> str:
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", "2"]
        command += ["--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=self.env)
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                _get(base + "/")
                return base
            except OSError:
                time.sleep(0.3)
        self.process.terminate()
        raise CommandError("gunicorn 未能启动。")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()


def _run_wrk(wrk: str, script: Path, url: str, options: dict, env: dict[str, str]) -> dict:
    command = [wrk, "-t2", f"-c{options['connections']}", f"-d{options['duration']}s", "-s", str(script), url]
    result = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, **env})
    return json.loads(result.stdout.strip().splitlines()[-1])
