"""Web hardening (等保 2.0): `check --deploy` clean in production, HSTS and the HTTPS redirect there, a Content
Security Policy with no inline script, security headers on every response, the admin for superusers only at a
path of the deployment's choosing."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import clear_url_caches

from reports.agencies.models import User
from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **extra) -> dict:
    """The environment deploy/portal.env.example describes, with a real-looking secret key."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DEBUG="false",
        PORTAL_DEMO="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://portal.example.gov.cn",
        SECURE_COOKIES="true",
        BEHIND_TLS_PROXY="true",
        VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_notice_a_weakened_setting(tmp_path):
    result = manage(production_env(tmp_path, HSTS_SECONDS="0"), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == (
        "True 31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


PAGES = ["/", "/published/", "/accounts/login/", "/work/", "/review/", "/console/", "/province/", "/inbox/"]


@pytest.fixture
def everyone(places, cycle, sx_filer, sx_reviewer, sx_draft):
    from tests.factories import make_administrator

    return {"filer": sx_filer, "reviewer": sx_reviewer, "admin": make_administrator("sx-admin", places.shanxi)}


def test_no_page_has_inline_script_and_every_response_carries_the_policy(client, everyone, sx_draft):
    pages = [*PAGES, f"/work/reports/{sx_draft.pk}/", f"/work/reports/{sx_draft.pk}/sections/measures/"]
    seen = 0
    for user in (None, *everyone.values()):
        if user:
            client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen += 1
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
            html = response.content.decode()
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
            assert not re.search(r"\son[a-z]+\s*=", html), url
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["X-Frame-Options"] == "DENY"
            assert response["Referrer-Policy"] == "same-origin"
            assert "camera=()" in response["Permissions-Policy"]
    assert seen >= 20


def test_the_admin_is_for_superusers_only(client, places):
    staff = make_user("sx-staff", places.sx_emergency)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    client.login(username="sx-staff", password=PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    root = User.objects.create_superuser("root", password=PASSWORD, agency=places.sx_justice)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200


def test_the_admin_lives_at_the_configured_path(client, settings, places):
    import portal.urls

    settings.ADMIN_URL = "gate-7f3/"
    try:
        importlib.reload(portal.urls)
        clear_url_caches()
        client.force_login(User.objects.create_superuser("root", password=PASSWORD, agency=places.sx_justice))
        assert client.get("/gate-7f3/").status_code == 200
        assert client.get("/admin/").status_code == 404
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(portal.urls)
        clear_url_caches()
