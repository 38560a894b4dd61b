"""Pages for people who are logged in hold what the public may not read (drafts, comments, the reviewers' lists):
no browser cache, shared computer's history or proxy between may keep a copy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from reports.accounts.middleware import may_be_signed_in


class StaffPagesAreNotStored:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and may_be_signed_in(request) and user.is_authenticated:
            # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and a past Expires).
            add_never_cache_headers(response)
        return response
