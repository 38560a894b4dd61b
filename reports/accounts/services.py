"""Passwords, lockouts and sessions: the writes of sign-in, each written to the security log."""

from __future__ import annotations

import datetime
import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from reports.agencies.models import User
from reports.audit.models import Kind
from reports.audit.services import record

ONE_TIME_HASHER = "pbkdf2_sha256_onetime"
SSO_BACKENDS = ("reports.accounts.sso.PortalOIDCBackend", "reports.accounts.sso.PortalCASBackend")


def one_time_password() -> str:
    """Twelve characters of all four kinds, none easily misread (no 0/O, 1/l/I)."""
    upper, lower, digits, symbols = "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@!"
    pool = upper + lower + digits + symbols
    chosen = [secrets.choice(kind) for kind in (upper, lower, digits, symbols)]
    chosen += [secrets.choice(pool) for _ in range(8)]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


def password_expired(user: User, now: datetime.datetime | None = None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > datetime.timedelta(days=days)


def must_change_password(user: User) -> bool:
    return user.must_change_password or password_expired(user)


def signed_in_with_password(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) not in SSO_BACKENDS


@transaction.atomic
def set_password_by_administrator(*, user: User, by: User) -> str:
    """A new one-time password, to be changed at first login; the person's other sessions end. The password."""
    password = one_time_password()
    user.password = make_password(password, hasher=ONE_TIME_HASHER)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # Every session of that person ends: the password hash their sessions were signed with has changed.
    record(
        kind=Kind.PASSWORD_SET, actor=by, target=user.username, region=user.agency.region if user.agency_id else None
    )
    return password


@transaction.atomic
def password_changed_by_owner(
    *, user: User, kind: str = Kind.PASSWORD_CHANGED, request: HttpRequest | None = None
) -> None:
    """The person chose their own password (changed it, or reset it from the e-mail): no change is due any more."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    record(kind=kind, actor=user, request=request)


def unlock(*, username: str, by: User) -> int:
    """Lift a lockout of that user name from every address. The number of lockout records cleared."""
    cleared = axes_reset(username=username)
    target = User.objects.filter(username=username).select_related("agency__region").first()
    region = target.agency.region if target and target.agency_id else None
    record(kind=Kind.UNLOCKED, actor=by, target=username, region=region)
    return cleared
