"""The front web server: nginx's configuration is valid, and real requests through it reach a real gunicorn.

The requests go to ports on 127.0.0.1 only, and every loop of them is bounded.
"""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from reports.rendering.models import PdfRendition
from reports.rendering.renditions import render_rendition_now
from reports.transfer.files import MAX_BYTES
from tests.front_server import MONITORING_TOKEN, NGINX, ROOT, front_server, nginx_test, write_nginx_config
from tests.publishing import published_report

needs_nginx = pytest.mark.skipif(not NGINX.exists(), reason="needs Debian's nginx: make system-deps-test")
# gunicorn runs in its own processes and must see the test's data: a PostgreSQL database, not SQLite in memory.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL: gunicorn reads the test database"
)


@needs_nginx
def test_nginx_accepts_the_portals_configuration(tmp_path):
    from tests.front_server import make_certificate

    certificate, key = make_certificate(tmp_path)
    values = {
        "PORTAL_UPSTREAM": "127.0.0.1:8000",
        "PORTAL_HTTP_PORT": "127.0.0.1:8080",
        "PORTAL_HTTPS_PORT": "127.0.0.1:8443",
        "PORTAL_TLS_CERTIFICATE": str(certificate),
        "PORTAL_TLS_CERTIFICATE_KEY": str(key),
        "PORTAL_STATIC_ROOT": str(tmp_path / "static"),
        "PORTAL_MEDIA_ROOT": str(tmp_path / "media"),
        "PORTAL_ERROR_PAGES": str(ROOT / "deploy" / "nginx" / "errors"),
    }
    result = nginx_test(write_nginx_config(tmp_path, values))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr

    (tmp_path / "portal.key").write_text("not a key")
    broken = nginx_test(tmp_path / "nginx.conf")
    assert broken.returncode != 0, "nginx -t reads the certificate and key the environment names"


def test_nginx_allows_bodies_as_large_as_the_largest_upload():
    template = (ROOT / "deploy" / "nginx" / "portal.conf.template").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", template).group(1))
    assert MAX_BYTES < megabytes * 1024 * 1024 <= MAX_BYTES + 2 * 1024 * 1024


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic as the web service runs it at start (DEBUG off: hashed names, compressed copies)."""
    target = tmp_path_factory.mktemp("staticfiles")
    environment = {**os.environ, "DEBUG": "false", "SECRET_KEY": "test-only-secret-key", "STATIC_ROOT": str(target)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    return target


@pytest.fixture
def published_with_pdf(transactional_db, places, cycle, sx_filer, sx_reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    rendition = PdfRendition.objects.get(report=report)
    return report, render_rendition_now(rendition_id=rendition.pk)


@pytest.fixture
def front(published_with_pdf, collected_static, tmp_path):
    directory = tmp_path / "front"
    directory.mkdir()
    with front_server(directory, static_root=collected_static, media_root=tmp_path / "media") as server:
        yield server


def request_ids_logged_by_django(server) -> dict[str, dict]:
    lines = [json.loads(line) for line in server.gunicorn_log()]
    return {line["request_id"]: line for line in lines if line.get("logger") == "portal.request"}


@needs_nginx
@needs_postgresql
def test_nginx_sends_static_files_and_pdfs_itself_and_passes_pages_to_gunicorn(front, published_with_pdf):
    report, rendition = published_with_pdf
    assert front.fetch("/healthz", tls=False).text() == "ok\n"
    redirect = front.fetch("/published/", tls=False)
    assert redirect.status == 301 and redirect.headers["Location"].startswith("https://")

    home = front.fetch("/", headers={"Accept-Encoding": "gzip"})
    assert home.status == 200
    assert home.headers["Content-Encoding"] == "gzip"
    assert "法治政府建设年度报告" in gzip.decompress(home.body).decode()
    request_id = home.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), "nginx's $request_id, once"
    logged = request_ids_logged_by_django(front)[request_id]
    assert (logged["path"], logged["status"], logged["view"]) == ("/", 200, "publication:home")

    stylesheet = front.fetch("/static/css/portal.css", headers={"Accept-Encoding": "gzip"})
    assert stylesheet.status == 200
    assert stylesheet.headers["Content-Encoding"] == "gzip", "whitenoise's .gz copy, sent by gzip_static"
    assert ".bg-portal" in gzip.decompress(stylesheet.body).decode()
    favicon = front.fetch("/favicon.ico")
    assert favicon.body == (ROOT / "static" / "favicon.ico").read_bytes()

    path = f"/published/{report.cycle.year}/{report.agency.code}.pdf"
    pdf = front.fetch(path)
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith(
        f"inline; filename=\"{report.cycle.year}-{report.agency.code}.pdf\"; filename*=UTF-8''"
    )
    assert pdf.body == Path(rendition.file.path).read_bytes()
    assert pdf.headers["Cache-Control"] == "public, max-age=60"
    # nginx sends the file's own validators (its time and size) and answers a copy that is current itself.
    for validator, condition in [("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")]:
        again = front.fetch(path, headers={condition: pdf.headers[validator]})
        assert again.status == 304 and again.body == b"", validator
    # A page's ETag goes through gzip as a weak one, and still matches.
    page_path = f"/published/{report.cycle.year}/{report.agency.code}/"
    page = front.fetch(page_path, headers={"Accept-Encoding": "gzip"})
    assert page.headers["ETag"].startswith('W/"')
    for validator, condition in [("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")]:
        if validator in page.headers:
            again = front.fetch(page_path, headers={condition: page.headers[validator], "Accept-Encoding": "gzip"})
            assert again.status == 304 and again.body == b"", validator
    # What gunicorn answered: headers only, nginx read the file.
    from_gunicorn = front.fetch_from_gunicorn(path, headers={"Host": "127.0.0.1"})
    assert from_gunicorn.headers["X-Accel-Redirect"] == f"/internal-media/{rendition.file.name}"
    assert from_gunicorn.body == b""
    assert front.fetch(f"/internal-media/{rendition.file.name}").status == 404

    served_by_django = {line["path"] for line in request_ids_logged_by_django(front).values()}
    assert "/static/css/portal.css" not in served_by_django and "/favicon.ico" not in served_by_django
    logged_by_nginx = {line["request_id"]: line for line in front.nginx_access_log()}
    assert logged_by_nginx[request_id]["path"] == "/" and logged_by_nginx[request_id]["status"] == 200


@needs_nginx
@needs_postgresql
def test_nginx_limits_searches_the_api_and_request_bodies(front):
    searches = [front.fetch("/published/?q=%E6%89%A7%E6%B3%95") for _ in range(40)]
    statuses = [response.status for response in searches]
    assert statuses[:20] == [200] * 20, "a burst of 20 searches passes"
    assert 429 in statuses
    refused = next(r for r in searches if r.status == 429)
    assert "请求过于频繁，请稍后再试" in refused.text()
    assert refused.headers["Retry-After"] == "1" and refused.headers["Cache-Control"] == "no-store"
    assert all(front.fetch("/published/?year=2024").status == 200 for _ in range(30)), "browsing is not limited"

    api = [front.fetch("/api/v1/reports/").status for _ in range(60)]
    assert api[:40] == [200] * 40 and 429 in api

    too_large = front.fetch("/accounts/login/", method="POST", body=b"x" * (12 * 1024 * 1024))
    assert too_large.status == 413
    assert "上传的文件太大" in too_large.text()
    largest_upload = front.fetch("/accounts/login/", method="POST", body=b"x" * (MAX_BYTES + 64 * 1024))
    assert largest_upload.status == 403, "reaches Django, which wants its CSRF token"


def scraped(body: str, name: str, **labels) -> float:
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no {name} {labels} in the metrics")


@needs_nginx
@needs_postgresql
def test_metrics_through_nginx_want_the_token_and_add_up_every_gunicorn_worker(front):
    assert front.fetch("/metrics").status == 404
    assert front.fetch("/readyz").status == 404
    assert front.fetch("/metrics", headers={"Authorization": "Bearer wrong"}).status == 404

    for _ in range(12):
        assert front.fetch("/").status == 200
    metrics = front.fetch("/metrics", headers={"Authorization": f"Bearer {MONITORING_TOKEN}"})
    assert metrics.status == 200
    body = metrics.text()
    served = scraped(body, "django_http_requests_latency_seconds_by_view_method_count", view="publication:home")
    assert served == 12
    assert len({path.name.rsplit("_", 1)[1] for path in (front.directory / "metrics").glob("*.db")}) >= 2, (
        "two gunicorn workers wrote figures"
    )
    assert scraped(body, "django_db_execute_total") > 0
    assert scraped(body, "portal_pdf_renditions", status="ready") == 1
    if os.environ.get("REDIS_URL"):
        assert scraped(body, "portal_celery_broker_up") == 1
        assert scraped(body, "portal_celery_queue_length", queue="celery") >= 0
