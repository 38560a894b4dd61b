"""The public side's front door: a stored page is served before the rest of the request's way through Django.

A report's page, a version's, an agency's, its comparison of its latest two years and its reports in the API are
kept rendered in the database (`pages`, `agency_pages`) and read back by one or two indexed queries; a list of year,
level, kind and region and the compliance board are composed of a kept frame and their parts (`frames`). On its way
to the view a request passes some twenty middlewares, and for a visitor reading such a page most of them have
nothing to do: sessions, CSRF, the signed-in user, messages, the staff pages' checks, axes (the API's rate is
counted here as there). Measured on a 2-core machine, passing them cost as much as finding and sending the page. So
for a reader without a session cookie asking GET or HEAD for one of these addresses, `PublicDoor` (after the request
log, the metrics, SecurityMiddleware and WhiteNoise) answers with the stored page at once. Everything else goes the
whole way as before: a staff member's request, any other address, an address whose page is not stored (or no longer
holds), a comparison of two chosen years, a visitor past the API's rate, and any request the database fails during.

A response from the door is the one the whole way gives, header for header: it passes through the same code that
gives every public page its headers (CommonMiddleware, LocaleMiddleware, `conditional`'s validators and 304s,
X-Frame-Options, Permissions-Policy, CSP), in the order the whole way applies it. `tests/test_public_door.py`
compares the two for each kind of page, so a middleware added to settings that changes a public page shows there.
The request log has its line and django-prometheus counts the request and its latency (both are outside the door);
the per-view and per-status counts of PrometheusAfterMiddleware, the innermost, do not see these answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve

from reports.accounts.middleware import PermissionsPolicyMiddleware
from reports.publication import agency_pages, board_pages, list_pages, pages
from reports.publication.cache import public_response, serves_the_public
from reports.publication.conditional import PublicPageValidators
from reports.publication.throttling import throttle_for

logger = logging.getLogger(__name__)

# What the whole way's middlewares add to a visitor's public page, outermost first (see settings.MIDDLEWARE).
HEADERS_ON_THE_WAY = [
    LocaleMiddleware,
    CommonMiddleware,
    PublicPageValidators,
    XFrameOptionsMiddleware,
    PermissionsPolicyMiddleware,
    CSPMiddleware,
]


def _version_page(request: HttpRequest, year: int, code: str, number: int | None = None) -> HttpResponse | None:
    response = pages.stored_response(request, year, code, number)
    # A /v<n>/ of the current version redirects: the whole way gives the same redirect, with its own headers.
    return response if response is not None and response.status_code == 200 else None


def _agency_page(request: HttpRequest, **kwargs) -> HttpResponse | None:
    response = agency_pages.kept_response(request)
    # As `cache.public_page` marks the page on the whole way.
    return public_response(response) if response is not None else None


def _default_comparison(request: HttpRequest, **kwargs) -> HttpResponse | None:
    # The comparison of two chosen years is rendered each time (`views.compare_page`).
    if "from" in request.GET or "to" in request.GET:
        return None
    return _agency_page(request)


def _api_report(request: HttpRequest, **kwargs) -> HttpResponse | None:
    response = _agency_page(request)
    # Counted against the visitor's API rate only when answered here: past it, the whole way counts nothing more
    # and answers its 429 (reports.publication.throttling).
    if response is None or not _within_the_rate(request):
        return None
    return response


def _listed_page(request: HttpRequest, **kwargs) -> HttpResponse | None:
    # Composed of the kept frame and the list's parts (`list_pages`); any other list goes the whole way.
    response = list_pages.listed_page(request)
    return public_response(response) if response is not None else None


def _board_page(request: HttpRequest, **kwargs) -> HttpResponse | None:
    # Composed of its kept frame and its parts (`board_pages`); a bad value goes the whole way, to its 400.
    response = board_pages.composed(request)
    # Staff get the board with their own navigation: it varies by the session cookie, as the whole way says.
    return public_response(response) if response is not None else None


def _within_the_rate(request: HttpRequest) -> bool:
    throttle = throttle_for(request)
    return throttle is None or throttle().allow_request(request, None)


STORED: dict[str, Callable[..., HttpResponse | None]] = {
    "publication:report": _version_page,
    "publication:version": _version_page,
    "publication:agency": _agency_page,
    "publication:compare": _default_comparison,
    "publication:api_report": _api_report,
    "publication:browse": _listed_page,
    "publication:compliance": _board_page,
}


def stored_page(request: HttpRequest) -> HttpResponse | None:
    """The stored page at this address for a reader without a session, or None."""
    if not serves_the_public(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    serve = STORED.get(match.view_name)
    if serve is None:
        return None
    request.resolver_match = match
    try:
        return serve(request, **match.kwargs)
    except DatabaseError:
        # The whole way answers as it answers any failure (its error page, its log line).
        logger.warning("公开页面快速通道读取失败，改走完整处理流程", exc_info=True)
        return None


class PublicDoor:
    """Serves a visitor's stored public page before the session, CSRF, user and staff middlewares (see above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        way: Callable[[HttpRequest], HttpResponse] = _the_stored_page
        for middleware in reversed(HEADERS_ON_THE_WAY):
            way = middleware(way)
        self.headers_on_the_way = way

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = stored_page(request)
        if response is None:
            request.resolver_match = None
            return self.get_response(request)
        request.door_response = response
        return self.headers_on_the_way(request)


def _the_stored_page(request: HttpRequest) -> HttpResponse:
    return request.door_response
