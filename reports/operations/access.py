"""Who may read the monitoring pages (/readyz, /metrics): the allow-listed networks, or whoever has the token.

Behind the front server every request comes from its address, so the allow-list suits a monitoring system on
the same host or network as the web containers (and the container's own health check, from 127.0.0.1); from
farther away Prometheus sends `Authorization: Bearer <MONITORING_TOKEN>`. Anyone else gets a plain 404.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
from collections.abc import Callable

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


def may_monitor(*, remote_address: str, authorization: str) -> bool:
    token = settings.MONITORING_TOKEN
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(remote_address)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network) for network in settings.MONITORING_ALLOWED_NETWORKS)


def _check(request: HttpRequest) -> None:
    if not may_monitor(
        remote_address=request.META.get("REMOTE_ADDR", ""), authorization=request.headers.get("Authorization", "")
    ):
        raise Http404


def monitoring_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard a view, synchronous or asynchronous (django-health-check's views are asynchronous)."""
    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def guarded_async(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            _check(request)
            return await view(request, *args, **kwargs)

        return never_cache(guarded_async)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _check(request)
        return view(request, *args, **kwargs)

    return never_cache(guarded)
