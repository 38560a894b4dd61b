"""Sign-in events come as signals from Django and django-axes; each is written to the security log."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from reports.audit.models import Kind
from reports.audit.services import record, region_of


@receiver(user_logged_in, dispatch_uid="audit_login")
def logged_in(sender, request, user, **kwargs) -> None:
    backend = getattr(user, "backend", "") or ""
    record(kind=Kind.LOGIN, actor=user, request=request, detail=backend.rsplit(".", 1)[-1])


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(kind=Kind.LOGOUT, actor=user, request=request)


def _known(username: str):
    return get_user_model().objects.filter(username=username).select_related("agency__region", "region").first()


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))
    user = _known(username)
    record(
        kind=Kind.LOGIN_FAILED,
        username=username,
        region=region_of(user),
        request=request,
        detail="" if user else _("用户名不存在"),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = _known(username or "")
    record(
        kind=Kind.LOCKED_OUT,
        username=username or "",
        region=region_of(user),
        request=request,
        detail=_("来源地址 %(address)s") % {"address": ip_address} if ip_address else "",
    )
