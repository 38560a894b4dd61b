"""Single sign-on against a real OpenID provider: django-oauth-toolkit's, started by the test in a second server
process (tests/oidc_provider/). The platform vouches for a person; the portal matches an existing account by the
configured claim and never makes one; an unknown person is told whom to ask."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from reports.agencies.models import User
from reports.audit.models import Kind, SecurityEvent
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "portal-test-client", "portal-test-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def provider(live_server, tmp_path):
    """The provider on its own port, knowing the portal as a client; stopped after the test."""
    port = free_port()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
        "PROVIDER_PORT": str(port),
        "PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": key.decode(),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/accounts/oidc/callback/",
        "PEOPLE": "cz-yjglj-filer:Platform#2025:cz@example.gov.cn,stranger:Platform#2025:s@example.gov.cn",
    }
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "oidc_provider" / "serve.py")], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/o/.well-known/jwks.json", timeout=1)
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "provider.log").read_text()
                time.sleep(0.1)
        else:
            raise AssertionError("the OpenID provider did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def oidc_settings(settings, provider):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/o/.well-known/jwks.json"
    settings.OIDC_MATCH_CLAIM = "preferred_username"
    settings.SSO_MATCH_FIELD = "username"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "reports.accounts.sso.PortalOIDCBackend"]
    return settings


def sign_in_at_the_platform(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    page.get_by_label("账号").fill(username)
    page.get_by_label("口令").fill("Platform#2025")
    page.get_by_role("button", name="认证登录").click()


def test_a_person_the_platform_vouches_for_signs_in_to_their_existing_account(
    page, live_server, oidc_settings, cz_filer
):
    sign_in_at_the_platform(page, live_server, "cz-yjglj-filer")
    page.wait_for_url(f"{live_server.url}/work/")
    assert "cz-yjglj-filer" in page.locator("nav").inner_text()
    assert "长治市应急管理局的填报人" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"), full_page=True)
    login = SecurityEvent.objects.get(kind=Kind.LOGIN, actor=cz_filer)
    assert login.detail == "PortalOIDCBackend"


def test_an_unknown_person_gets_no_account_and_a_clear_message(page, live_server, oidc_settings, cz_filer):
    before = User.objects.count()
    sign_in_at_the_platform(page, live_server, "stranger")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert "本平台没有与之对应的账号" in page.content()
    assert User.objects.count() == before
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).exists()
