"""Two session rules of 等保 2.0: an idle session ends, and a password due for change is changed first."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reports.accounts.services import must_change_password, signed_in_with_password
from reports.audit.models import Kind
from reports.audit.services import record

LAST_SEEN = "last_seen"
# Writing the session on every request costs a write each; a minute's precision is enough for a 30-minute rule.
TOUCH_EVERY = 60


def may_be_signed_in(request) -> bool:
    """Whether the request carries a session at all. A visitor without one is not asked who they are: that
    would load the session and mark every public response `Vary: Cookie`, which no shared cache can keep."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _exempt(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, "/accounts/")) or path == "/favicon.ico"


class IdleTimeoutMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if may_be_signed_in(request) and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT:
                user = request.user
                logout(request)
                record(kind=Kind.SESSION_EXPIRED, actor=user, request=request)
                messages.warning(
                    request,
                    _("您已超过 %(minutes)s 分钟未操作，为保护账号安全已自动退出，请重新登录。")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60 or 1},
                )
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if now - last >= min(TOUCH_EVERY, settings.SESSION_IDLE_TIMEOUT // 2) or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if (
            may_be_signed_in(request)
            and (user := request.user).is_authenticated
            and not _exempt(request.path)
            and must_change_password(user)
            and signed_in_with_password(request)
        ):
            if user.must_change_password:
                messages.warning(request, _("您的密码由管理员设置，请先修改为只有您自己知道的密码。"))
            else:
                messages.warning(request, _("您的密码已超过有效期，请先修改密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The browser features no page of the portal uses stay off (a header on every response)."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
