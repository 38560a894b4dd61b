"""Sign-in, sign-out, passwords and the session's keep-alive; the templates speak Chinese."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.accounts import services, sso
from reports.audit.models import Kind
from reports.audit.services import record


def _lockout_terms() -> dict:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE), in Chinese."""
    return render(request, "accounts/locked_out.html", _lockout_terms(), status=429)


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **_lockout_terms(),
            "oidc_enabled": sso.oidc_enabled(),
            "cas_enabled": sso.cas_enabled(),
            "sso_name": settings.SSO_DISPLAY_NAME,
        }


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("filing:workspace")

    def form_valid(self, form):
        # Django keeps this session and ends every other one: their session hash no longer matches.
        response = super().form_valid(form)
        services.password_changed_by_owner(user=form.user, request=self.request)
        messages.success(self.request, _("密码已修改。您在其他设备上的登录已全部退出。"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        record(kind=Kind.PASSWORD_RESET_REQUESTED, request=self.request, detail=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_by_owner(user=form.user, kind=Kind.PASSWORD_RESET, request=self.request)
        return response


@login_required
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The warning's 继续工作 button: the session counts as used now (the idle middleware has just touched it)."""
    return JsonResponse({"idle_timeout": settings.SESSION_IDLE_TIMEOUT})
