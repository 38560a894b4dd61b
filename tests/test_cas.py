"""Single sign-on by CAS (django-cas-ng) against a CAS 3.0 server on the loopback: a minimal one, standing in for
the province's platform, that validates service tickets as the protocol says. The person is matched to an
existing account by the configured attribute and never given one."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from reports.agencies.models import User
from reports.audit.models import Kind, SecurityEvent

SUCCESS = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>
<cas:user>{user}</cas:user><cas:attributes><cas:mail>{mail}</cas:mail></cas:attributes>
</cas:authenticationSuccess></cas:serviceResponse>"""
FAILURE = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
<cas:authenticationFailure code="INVALID_TICKET">ticket not recognized</cas:authenticationFailure>
</cas:serviceResponse>"""
# Tickets the server issued: ticket -> (login name, e-mail, the service it was issued for).
TICKETS: dict[str, tuple[str, str, str]] = {}


class CASServer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/cas/p3/serviceValidate":
            issued = TICKETS.pop(query.get("ticket", ""), None)
            valid = issued is not None and issued[2] == query.get("service")
            body = SUCCESS.format(user=issued[0], mail=issued[1]) if valid else FAILURE
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def cas_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), CASServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{server.server_address[1]}/cas/"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "reports.accounts.sso.PortalCASBackend"]
    yield settings.CAS_SERVER_URL
    server.shutdown()


def sign_in(client, cas_server, login: str, mail: str):
    """The browser goes to the platform, which sends it back with a ticket for the service it asked for."""
    to_platform = client.get("/accounts/cas/login/")
    assert to_platform["Location"].startswith(f"{cas_server}login?service=")
    service = parse_qs(urlparse(to_platform["Location"]).query)["service"][0]
    ticket = f"ST-{len(TICKETS) + 1}-{login}"
    TICKETS[ticket] = (login, mail, service)
    back = urlparse(service)
    return client.get(back.path, {**{k: v[0] for k, v in parse_qs(back.query).items()}, "ticket": ticket}, follow=True)


def test_the_login_page_offers_the_platform(client, cas_server):
    assert "使用统一身份认证登录" in client.get("/accounts/login/").content.decode()


def test_a_person_the_cas_platform_vouches_for_signs_in_to_their_existing_account(client, cas_server, sx_filer):
    page = sign_in(client, cas_server, sx_filer.username, "filer@sx.gov.cn")
    assert page.redirect_chain[-1][0] == "/work/"
    assert "山西省应急管理厅的填报人" in page.content.decode()
    assert SecurityEvent.objects.get(kind=Kind.LOGIN, actor=sx_filer).detail == "PortalCASBackend"


def test_the_account_may_be_matched_by_e_mail(client, cas_server, sx_filer, settings):
    settings.CAS_USERNAME_ATTRIBUTE, settings.CAS_LOCAL_NAME_FIELD = "mail", "email"
    User.objects.filter(pk=sx_filer.pk).update(email="filer@sx.gov.cn")
    page = sign_in(client, cas_server, "zhang.san", "filer@sx.gov.cn")
    assert page.redirect_chain[-1][0] == "/work/"
    assert page.context["user"] == sx_filer


def test_an_unknown_person_gets_no_account_and_a_clear_message(client, cas_server, sx_filer):
    before = User.objects.count()
    page = sign_in(client, cas_server, "stranger", "s@example.gov.cn")
    assert page.redirect_chain[-1][0] == "/accounts/login/"
    assert "本平台没有与之对应的账号" in page.content.decode()
    assert User.objects.count() == before
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED, detail="CAS").exists()
