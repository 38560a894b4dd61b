"""Identification and authentication (等保 2.0): password rules, forced and periodic change, reset by e-mail,
lockout after five failures, sessions that end when idle and everywhere on a password change."""

import datetime
import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from reports.agencies.models import User
from reports.audit.models import Kind, SecurityEvent
from tests.factories import PASSWORD, make_administrator

NEW_PASSWORD = "Jinzhong#2025"


def login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def messages_of(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_password_rules_an_assessor_expects(sx_filer):
    assert "密码太短，至少需要 8 个字符。" in messages_of("Ab1#", sx_filer)
    assert "这个密码太常见，容易被猜中，请换一个。" in messages_of("Password1!", sx_filer)
    assert any("至少 3 种" in m for m in messages_of("abcdefgh123", sx_filer))  # two kinds only
    assert any("用户名" in m for m in messages_of("X" + sx_filer.username + "1!", sx_filer))
    assert messages_of(NEW_PASSWORD, sx_filer) == []


def test_none_of_the_last_five_passwords_may_be_chosen_again(sx_filer):
    used = [f"Taiyuan#{n}x" for n in range(6)]
    for password in used:
        sx_filer.set_password(password)
        sx_filer.save()
    assert any("最近 5 次" in m for m in messages_of(used[-1], sx_filer))
    assert any("最近 5 次" in m for m in messages_of(used[1], sx_filer))
    assert messages_of(used[0], sx_filer) == []  # six passwords ago: forgotten


def test_a_password_set_by_an_administrator_is_changed_at_first_login(client, sx_filer):
    User.objects.filter(pk=sx_filer.pk).update(must_change_password=True)
    assert login(client, sx_filer.username, PASSWORD).status_code == 302
    response = client.get("/work/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    assert "请先修改为只有您自己知道的密码" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    assert client.get("/work/").status_code == 200
    assert not User.objects.get(pk=sx_filer.pk).must_change_password
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, actor=sx_filer).exists()


def test_an_expired_password_must_be_changed(client, sx_filer, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=sx_filer.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    login(client, sx_filer.username, PASSWORD)
    response = client.get("/work/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    assert "已超过有效期" in response.content.decode()


def test_changing_the_password_logs_out_everywhere_else(sx_filer):
    here, there = Client(), Client()
    login(here, sx_filer.username, PASSWORD)
    login(there, sx_filer.username, PASSWORD, address="10.0.0.2")
    assert there.get("/work/").status_code == 200
    here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert here.get("/work/").status_code == 200
    assert there.get("/work/")["Location"].startswith("/accounts/login/")


def test_a_forgotten_password_is_reset_by_e_mail(client, sx_filer):
    User.objects.filter(pk=sx_filer.pk).update(email="filer@sx.gov.cn")
    response = client.post("/accounts/password/reset/", {"email": "filer@sx.gov.cn"}, follow=True)
    assert "请查收邮件" in response.content.decode()
    assert len(mail.outbox) == 1 and "重置密码" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert login(Client(), sx_filer.username, NEW_PASSWORD).status_code == 302
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {Kind.PASSWORD_RESET_REQUESTED, Kind.PASSWORD_RESET} <= kinds
    # The link works once.
    assert "链接已失效" in client.get(link, follow=True).content.decode()


def test_five_wrong_passwords_lock_the_account_from_that_address_with_a_chinese_message(client, sx_filer):
    for _ in range(4):
        response = login(client, sx_filer.username, "wrong-password")
        assert response.status_code == 200
        assert "连续输错 5 次，账号将被锁定 15 分钟" in response.content.decode()
    locked = login(client, sx_filer.username, "wrong-password")
    assert locked.status_code == 429
    assert "密码连续输错 5 次" in locked.content.decode() and "锁定 15 分钟" in locked.content.decode()
    assert login(client, sx_filer.username, PASSWORD).status_code == 429  # the right password too, for now
    # django-axes' user_locked_out signal fired: the security log has the lockout.
    assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username=sx_filer.username).exists()
    # Five wrong passwords, and the right one refused while locked out.
    assert SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED, username=sx_filer.username).count() == 6
    # Another address is not locked out (user and address together).
    assert login(Client(), sx_filer.username, PASSWORD, address="10.9.9.9").status_code == 302


def test_the_administrator_unlocks_an_account(client, sx_filer, places):
    for _ in range(5):
        login(client, sx_filer.username, "wrong-password")
    admin = make_administrator("sx-admin", places.shanxi)
    console = Client()
    console.force_login(admin)
    assert sx_filer.username in console.get("/console/").content.decode()
    response = console.post("/console/unlock/", {"username": sx_filer.username}, follow=True)
    assert "已解除" in response.content.decode()
    assert login(client, sx_filer.username, PASSWORD).status_code == 302
    assert SecurityEvent.objects.filter(kind=Kind.UNLOCKED, target=sx_filer.username, actor=admin).exists()


def test_an_idle_session_ends_with_a_message_and_comes_back_to_the_page(client, sx_filer, sx_draft, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    login(client, sx_filer.username, PASSWORD)
    assert client.get("/work/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    url = f"/work/reports/{sx_draft.pk}/"
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][0] == f"/accounts/login/?next={url.replace('/', '%2F')}"
    assert "30 分钟未操作" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=Kind.SESSION_EXPIRED, actor=sx_filer).exists()


def test_a_signed_in_page_carries_the_idle_timeout_and_its_warning(client, sx_filer, settings):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_IDLE_WARNING = 1800, 300
    client.force_login(sx_filer)
    page = client.get("/work/").content.decode()
    assert 'data-session-timeout="1800"' in page and 'data-session-warning="300"' in page
    assert 'id="session-warning"' in page and "js/session.js" in page


@pytest.mark.parametrize("address", ["10.0.0.7"])
def test_logins_and_logouts_are_in_the_security_log_with_their_address(client, sx_filer, address):
    login(client, sx_filer.username, "wrong-password", address)
    login(client, "nobody-here", "wrong-password", address)
    login(client, sx_filer.username, PASSWORD, address)
    client.post("/accounts/logout/", REMOTE_ADDR=address)
    events = list(SecurityEvent.objects.order_by("pk").values_list("kind", "username", "address"))
    assert events == [
        (Kind.LOGIN_FAILED, sx_filer.username, address),
        (Kind.LOGIN_FAILED, "nobody-here", address),
        (Kind.LOGIN, sx_filer.username, address),
        (Kind.LOGOUT, sx_filer.username, address),
    ]
