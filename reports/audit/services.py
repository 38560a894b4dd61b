"""Writing, reading and pruning the security log.

`record` is the one way in. The address comes from the request being served (AuditMiddleware keeps it for the
length of the request), so a workflow action deep below a view is logged with the address it came from.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from reports.agencies.models import Region, User
from reports.audit.models import MINIMUM_RETENTION_DAYS, SecurityEvent

_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_address", default=None)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the proxy's X-Forwarded-For first hop where the portal sits behind its TLS proxy."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def remember_address(request: HttpRequest) -> contextvars.Token:
    return _address.set(client_address(request))


def forget_address(token: contextvars.Token) -> None:
    _address.reset(token)


def current_address() -> str | None:
    """The address of the request being served, for events written in bulk."""
    return _address.get()


def region_of(user: User | None) -> Region | None:
    if user is None or not getattr(user, "pk", None):
        return None
    if user.region_id:
        return user.region
    return user.agency.region if user.agency_id else None


def record(
    *,
    kind: str,
    actor: User | None = None,
    username: str = "",
    target: str = "",
    detail: str = "",
    region: Region | None = None,
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Add one event, in the caller's transaction if there is one, so that the log never claims what did not
    happen."""
    actor = actor if actor is not None and getattr(actor, "pk", None) else None
    address = client_address(request) if request is not None else _address.get()
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        username=(username or (actor.get_username() if actor else ""))[:150],
        address=address,
        region=region or region_of(actor),
        target=target[:300],
        detail=detail,
    )


def events_for(user: User) -> QuerySet[SecurityEvent]:
    """The log an administrator may read: their region's (a superuser reads all of it)."""
    events = SecurityEvent.objects.select_related("actor", "region")
    if user.is_superuser:
        return events
    region = user.administered_region
    if region is None:
        return events.none()
    return events.filter(region__in=Region.objects.within(region))


def search_events(
    events: QuerySet[SecurityEvent],
    *,
    kind: str = "",
    who: str = "",
    address: str = "",
    text: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[SecurityEvent]:
    if kind:
        events = events.filter(kind=kind)
    if who:
        events = events.filter(Q(username__icontains=who) | Q(actor__full_name__icontains=who))
    if address:
        events = events.filter(address=address)
    if text:
        events = events.filter(Q(target__icontains=text) | Q(detail__icontains=text))
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "SECURITY_LOG_RETENTION_DAYS", 365)))


@transaction.atomic
def prune_security_log(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than the retention (never fewer than 180 days). The number deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SecurityEvent._meta.db_table} WHERE at < %s", [cutoff])
        return cursor.rowcount


def rows(events: QuerySet[SecurityEvent]) -> Iterator[list[str]]:
    """The log as table rows, for the CSV and .xlsx exports."""
    labels = dict(SecurityEvent._meta.get_field("kind").choices)
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(labels.get(event.kind, event.kind)),
            event.username,
            event.actor.full_name if event.actor else "",
            event.address or "",
            event.region.name if event.region else "",
            event.target,
            event.detail,
        ]


HEADER = ["时间", "事件", "用户名", "姓名", "来源地址", "地区", "对象", "内容"]
