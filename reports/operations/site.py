"""What a Chinese government website shows every visitor: robots.txt, the footer's registration numbers,
the favicon, and error pages in Chinese (the demo runs with DEBUG on, and visitors still get them)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import cache_control
from django.views.defaults import page_not_found, server_error

logger = logging.getLogger("django.request")

# Answered by Django itself with a 403 or 400 (and logged by it), DEBUG or not.
DJANGOS_OWN_4XX = (PermissionDenied, BadRequest, SuspiciousOperation)
# Pages for staff and machines: nothing there for a search engine.
ROBOTS_DISALLOWED = ("/work/", "/review/", "/inbox/", "/accounts/", "/admin/", "/healthz", "/readyz", "/metrics")


@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    # Lists filtered or searched in every combination are endless; the sitemap names every report.
    lines.append("Disallow: /published/?")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('publication:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; nginx answers it itself from the static files."""
    return redirect(static("favicon.ico"))


def site_footer(request: HttpRequest) -> dict:
    """Context processor: the registration details every page's footer shows (those the settings give)."""
    security = settings.SITE_PUBLIC_SECURITY_RECORD
    return {
        "site_footer": {
            "sponsor": settings.SITE_SPONSOR,
            "identifier": settings.SITE_IDENTIFIER,
            "icp_record": settings.SITE_ICP_RECORD,
            "public_security_record": security,
            # The record's number is what the Ministry of Public Security's look-up takes.
            "public_security_code": "".join(re.findall(r"\d", security)),
        }
    }


class ChineseErrorPagesMiddleware:
    """With DEBUG on, Django answers a missing page or an error with its technical page, in English, listing the
    URL patterns or the code. Visitors of the demo get templates/404.html and 500.html instead (the traceback
    still goes to the log); DEBUG_ERROR_PAGES=true gives developers Django's pages back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                # Returned as a 404, so CommonMiddleware still redirects /work to /work/.
                return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if not isinstance(exception, DJANGOS_OWN_4XX):
            signals.got_request_exception.send(sender=None, request=request)
            logger.error("Internal Server Error: %s", request.path, exc_info=exception)
            return server_error(request)
        return None

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not settings.DEBUG_ERROR_PAGES
