"""How often one client may search and read the open-data API, so that no one client holds the web workers.

DRF's throttles count each client's requests in the cache (Redis in production): a search (the list page with a
search term) and every API request, whoever is not signed in. They count in front of the page cache, so that
asking the same page again counts too. Past the rate the answer is a 429 in Chinese with Retry-After: a page for
the search, JSON for the API. The rates are settings (SEARCH_RATE_LIMIT, API_RATE_LIMIT); the client is the
address the front server saw (REST_FRAMEWORK's NUM_PROXIES, from BEHIND_TLS_PROXY), never what a client says of
itself in X-Forwarded-For. nginx's `limit_req` (deploy/nginx) guards in front of this with wider bursts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from reports.accounts.middleware import may_be_signed_in

API_VIEWS = {
    "publication:api_reports",
    "publication:api_report",
    "publication:api_schema",
    "publication:indicators_csv",
}
SEARCH_VIEWS = {"publication:browse"}


class VisitorRateThrottle(AnonRateThrottle):
    """DRF's throttle of visitors, with the rate read when it counts (a changed setting applies at once) and the
    visitor told from staff without loading a session for a request that has none."""

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str | None:
        if may_be_signed_in(request) and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SearchRateThrottle(VisitorRateThrottle):
    scope = "search"


class ApiRateThrottle(VisitorRateThrottle):
    scope = "api"


def throttle_for(request: HttpRequest) -> type[VisitorRateThrottle] | None:
    match = request.resolver_match
    if match is None:
        return None
    if match.view_name in API_VIEWS:
        return ApiRateThrottle
    if match.view_name in SEARCH_VIEWS and request.GET.get("q", "").strip():
        return SearchRateThrottle
    return None


def too_many_requests(request: HttpRequest, *, wait: float | None, api: bool) -> HttpResponse:
    seconds = max(1, math.ceil(wait or 1))
    message = _("请求过于频繁，请稍后再试。")
    if api:
        response = JsonResponse(
            {"detail": message, "retry_after": seconds}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(request, "publication/too_many_requests.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    # RFC 6585: a 429 is never stored by a cache.
    response["Cache-Control"] = "no-store"
    return response


class PublicRateLimits:
    """Answers 429 to a visitor past the rate of searches or API requests (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        throttle_class = throttle_for(request)
        if throttle_class is None:
            return None
        throttle = throttle_class()
        if throttle.allow_request(request, None):
            return None
        return too_many_requests(request, wait=throttle.wait(), api=throttle_class is ApiRateThrottle)
