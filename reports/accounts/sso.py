"""Single sign-on with a province's 统一身份认证 platform: OIDC (mozilla-django-oidc) or CAS (django-cas-ng).

A person the platform vouches for is matched to an existing portal account by one configured claim (OIDC) or
attribute (CAS); nobody is ever given an account this way. An unknown person is told plainly whom to ask.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_cas_ng.backends import CASBackend
from django_cas_ng.views import LoginView as CASLoginView
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from reports.agencies.models import User
from reports.audit.models import Kind
from reports.audit.services import record

UNKNOWN_PERSON = _("统一身份认证平台已确认您的身份，但本平台没有与之对应的账号。请联系本地区管理员开通账号后再登录。")


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        value = claims.get(settings.OIDC_MATCH_CLAIM)
        if not value:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(**{settings.SSO_MATCH_FIELD: value}, is_active=True)

    def create_user(self, claims):
        raise PermissionDenied  # never reached: OIDC_CREATE_USER is off, but an account is never made here

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None and self.request is not None:
            self.request.sso_unmatched = True
        return user


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        if getattr(self.request, "sso_unmatched", False):
            record(kind=Kind.SSO_REFUSED, request=self.request, detail="OIDC")
            messages.error(self.request, UNKNOWN_PERSON)
        else:
            messages.error(self.request, _("统一身份认证登录未完成，请重试或使用用户名和密码登录。"))
        return redirect("login")


class PortalCASBackend(CASBackend):
    def user_can_authenticate(self, user: User | None) -> bool:
        return user is not None and user.is_active


class CASLogin(CASLoginView):
    def get(self, request):
        try:
            return super().get(request)
        except PermissionDenied:
            record(kind=Kind.SSO_REFUSED, request=request, detail="CAS")
            messages.error(request, UNKNOWN_PERSON)
            return redirect("login")


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def cas_enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", ""))
