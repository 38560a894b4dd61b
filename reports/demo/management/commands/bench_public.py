"""Benchmark: the public pages under load, over 100,000 published reports (not part of the tests).

It runs the production stack on this machine: PostgreSQL (a database of its own, `bench_public`, never the test
database), the Redis cache (a database index of its own), gunicorn with 2 workers and DEBUG off, and wrk from
Debian's package as the load generator in a second process, 16 connections over loopback. The data are
generate_reports' synthetic agencies, generated on the first run (about half an hour) and kept for the next.

The cold walk comes first, as a long-tail archive is read: for every kind of public page (home, reports, versions,
agencies, compares, list filter combinations and pages, compliance, API lists and reports, feed) thousands of
different addresses, each read once after the cache is flushed. Beside it, in the same run, the yardstick: Debian's
nginx serving saved copies of the same pages from a temporary directory on another port. Then the cached steady
state of the home page, a filtered list, a search and a report page, and `search_uncached`, thousands of different
searches each read once. The last line printed is JSON: p50_ms, p95_ms and rps for each, and under "cold" each
kind's figures with its ratio to the yardstick.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
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
WRK_WALK_ONCE = """
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
init = function(args)
  paths = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if i % tonumber(os.getenv("BENCH_THREADS")) == id then paths[#paths + 1] = line end
    i = i + 1
  end
  n = 0
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n - 1) % #paths + 1])
end
"""
# wrk runs for its whole duration: short enough that a walk rarely comes round to an address again.
COLD_SECONDS = 3
NGINX_CONF = """
{user}
worker_processes 2;
pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {scratch}/body;
  proxy_temp_path {scratch}/proxy;
  fastcgi_temp_path {scratch}/fastcgi;
  uwsgi_temp_path {scratch}/uwsgi;
  scgi_temp_path {scratch}/scgi;
  server {{ listen 127.0.0.1:{port}; root {scratch}/static; }}
}}
"""
PORT = 8917
STATIC_PORT = 8918
# The most pages of each kind saved for nginx to serve.
SAVED = 300
SEARCH_TERM = "行政执法"


class Command(BaseCommand):
    help = "在 10 万份已公开报告上压测公开页面（PostgreSQL、Redis、gunicorn、wrk）；最后一行输出 JSON。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_public")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
        parser.add_argument("--reports", type=int, default=100_000, help="至少这么多份已公开的报告")
        parser.add_argument("--duration", type=int, default=20, help="每个页面压测的秒数")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--cold-urls", type=int, default=4000, help="冷读时每类页面读多少个不同的网址")
        parser.add_argument("--prepare", action="store_true", help="（内部）在压测数据库中准备数据，输出网址")
        parser.add_argument("--origin", default="", help="（内部）预先生成机关页面时读者访问的地址")
        parser.add_argument("--explain", action="store_true", help="（内部）输出列表和搜索查询的执行计划")
        parser.add_argument(
            "--only",
            default="",
            help="只压测这些类别的冷读，逗号分隔（如 list,api_list），不测缓存命中和搜索",
        )
        parser.add_argument(
            "--without-stored-pages",
            action="store_true",
            help="删除压测数据库中预先生成的报告页面，测量每次未命中都渲染报告页面的情形（对照）",
        )

    def handle(self, *args, **options) -> None:
        if options["prepare"]:
            return self._prepare(
                options["reports"], stored_pages=not options["without_stored_pages"], origin=options["origin"]
            )
        if options["explain"]:
            return self._explain()
        wrk = _wrk()
        env = _bench_environment(options["database_url"], options["redis_url"])
        _create_database(options["database_url"])
        self._manage(env, "migrate", "--noinput", "-v0")
        self._manage(env, "collectstatic", "--noinput", "-v0")
        prepare = ["bench_public", "--prepare", "--reports", str(options["reports"])]
        prepare += ["--origin", f"http://127.0.0.1:{PORT}"]
        prepare += ["--without-stored-pages"] if options["without_stored_pages"] else []
        prepared = json.loads(self._manage(env, *prepare)[-1])
        self.stdout.write(self._manage(env, "bench_public", "--explain", quiet=False)[-1])
        figures = {
            "published": prepared["published"],
            "stored_pages": prepared["stored_pages"],
            "stored_agency_pages": prepared["stored_agency_pages"],
            "connections": options["connections"],
        }
        with _gunicorn(env) as base, tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            report_lua, walk_lua, once_lua = scratch / "report.lua", scratch / "walk.lua", scratch / "once.lua"
            report_lua.write_text(WRK_REPORT)
            walk_lua.write_text(WRK_WALK + WRK_REPORT)
            once_lua.write_text(WRK_WALK_ONCE + WRK_REPORT)
            cold = {}
            only = {kind for kind in options["only"].split(",") if kind}
            walks = {
                kind: paths[: options["cold_urls"]]
                for kind, paths in prepared["cold"].items()
                if paths and (not only or kind in only)
            }
            for kind, paths in walks.items():
                _flush_redis(options["redis_url"])
                self.stdout.write(f"cold {kind:12} {paths[0]} → {_status(base + paths[0])}")
                listed = scratch / f"cold-{kind}"
                listed.write_text("\n".join(paths))
                cold[kind] = {"urls": len(paths), **_walk_once(wrk, once_lua, base, listed, options)}
                self.stdout.write(f"cold {kind:12} {len(paths)} 个不同的网址，缓存清空后各读一次\n  {cold[kind]}")
                if kind == "report" and not only:
                    # For comparison, the same pages rendered on every read (as before they were stored): a
                    # session cookie keeps the request from the stored page and from the cache.
                    listed.write_text("\n".join(paths[:1000]))
                    figure = _walk_once(wrk, once_lua, base, listed, options, cookie="sessionid=bench-no-session")
                    figures["report_rendered"] = {"urls": len(paths[:1000]), **figure}
                    self.stdout.write(f"report_rendered 同样的报告页面，每次都渲染（对照）\n  {figure}")
            yardstick = _yardstick(wrk, walk_lua, base, walks, scratch, options)
            self.stdout.write(f"yardstick nginx 静态文件（同样的页面）\n  {yardstick}")
            for figure in cold.values():
                figure["rps_ratio"] = round(figure["rps"] / yardstick["rps"], 4) if yardstick["rps"] else None
                figure["p95_ratio"] = round(figure["p95_ms"] / max(yardstick["p95_ms"], 0.1), 1)
            figures["cold"], figures["yardstick"] = cold, yardstick
            if only:
                self.stdout.write(json.dumps(figures, ensure_ascii=False))
                return
            _flush_redis(options["redis_url"])
            for name, path in prepared["pages"].items():
                _get(base + path)
                figures[name] = _run_wrk(wrk, report_lua, base + path, options, {})
                self.stdout.write(f"{name:16} {path}（缓存命中）\n  {figures[name]}")
            listed = scratch / "search_uncached"
            listed.write_text("\n".join(prepared["searches"]))
            figures["search_uncached"] = _run_wrk(wrk, walk_lua, base + "/", options, {"BENCH_PATHS": str(listed)})
            count = len(prepared["searches"])
            self.stdout.write(f"search_uncached  {count} 个不同的搜索，各读一次\n  {figures['search_uncached']}")
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    def _manage(self, env: dict[str, str], *args: str, quiet: bool = True) -> list[str]:
        command = [sys.executable, "manage.py", *args]
        self.stderr.write(f"$ {' '.join(command[1:])}")
        result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise CommandError(f"{' '.join(args)} 失败：\n{result.stdout}\n{result.stderr}")
        lines = result.stdout.strip().splitlines() or [""]
        return lines if quiet else ["\n".join(lines)]

    def _prepare(self, wanted: int, *, stored_pages: bool, origin: str) -> None:
        from reports.demo.bench.public_data import prepare

        prepared = prepare(wanted, log=self.stderr.write, stored_pages=stored_pages, origin=origin)
        self.stdout.write(json.dumps(prepared, ensure_ascii=False))

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
        # Stored pages name the hashed static files: one static root per benchmark database.
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / f"bench_public_static_{name}"),
        "LOG_LEVEL": "WARNING",
        "PORTAL_DEMO": "true",
        # Plain HTTP on loopback, as behind the front server that ends TLS: no redirect to https.
        "SSL_REDIRECT": "false",
        # One client reads every page: the visitors' rate limits would answer most of it 429.
        "SEARCH_RATE_LIMIT": "1000000/min",
        "API_RATE_LIMIT": "1000000/min",
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


def _status(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _walk_once(wrk: str, script: Path, base: str, listed: Path, options: dict, cookie: str = "") -> dict:
    """The addresses in the list read in turn, each thread its half, for COLD_SECONDS: each read once unless the
    requests outnumber them (then `repeats` says how many were read again)."""
    seconds = f"-d{COLD_SECONDS}s"
    command = [wrk, "-t2", f"-c{options['connections']}", seconds, "--timeout", "5s", "-s", str(script), base + "/"]
    env = {**os.environ, "BENCH_PATHS": str(listed), "BENCH_THREADS": "2", "BENCH_COOKIE": cookie}
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    figure = json.loads(result.stdout.strip().splitlines()[-1])
    urls = len(listed.read_text().splitlines())
    return {**figure, "repeats": max(0, figure["requests"] - urls)}


def _yardstick(wrk: str, script: Path, base: str, cold: dict[str, list[str]], scratch: Path, options: dict) -> dict:
    """Debian's nginx serving saved copies of the walked pages (SAVED of each kind) as static files."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    static, saved = scratch / "static", []
    for kind, paths in cold.items():
        (static / kind).mkdir(parents=True)
        for number, path in enumerate(paths[:SAVED]):
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    (static / kind / f"{number}.html").write_bytes(response.read())
            except urllib.error.HTTPError:
                continue
            saved.append(f"/{kind}/{number}.html")
    os.chmod(scratch, 0o755)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = scratch / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, scratch=scratch, port=STATIC_PORT))
    listed = scratch / "static-paths"
    listed.write_text("\n".join(saved))
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(scratch), "-g", "daemon off;"])
    try:
        for _ in range(50):
            if process.poll() is not None:
                raise CommandError(f"对照组 nginx 未能启动（端口 {STATIC_PORT} 是否已被占用？），见上面 nginx 的输出。")
            try:
                _get(f"http://127.0.0.1:{STATIC_PORT}{saved[0]}")
                break
            except OSError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{STATIC_PORT}/"
        figure = _run_wrk(wrk, script, url, options, {"BENCH_PATHS": str(listed)})
        if figure["errors"] or figure["non_2xx"]:
            # Another server on the port answers instead (seen: a gunicorn left running there), so the ratio
            # would compare the portal with something else.
            raise CommandError(f"对照组 nginx 有请求未得到 200（{figure}），对照结果不可用。")
        return {"pages": len(saved), **figure}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _run_wrk(wrk: str, script: Path, url: str, options: dict, env: dict[str, str]) -> dict:
    command = [wrk, "-t2", f"-c{options['connections']}", f"-d{options['duration']}s", "-s", str(script), url]
    result = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, **env})
    return json.loads(result.stdout.strip().splitlines()[-1])
