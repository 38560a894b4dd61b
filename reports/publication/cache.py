"""Whole-page caching of the public pages for anonymous readers.

Two kinds of key:

- Every public page is stored under its URL and the current *generation*, a number that every change to what the
  public may read moves on (`services.refresh_search_entry` bumps it in the publishing transaction and again when
  that transaction commits, so a reader between the two cannot keep a stale page). A short lifetime bounds what
  the generation does not see, such as a deadline passing or a PDF becoming ready.
- Beneath that, a report's page is also stored under the facts it shows that can change: which version is
  published and whether its PDF is ready. A published snapshot never changes, so after a generation moves on (any
  publication anywhere) a report page costs two small queries instead of being composed and rendered again.

Only visitors without a session cookie are served from the cache or stored in it: staff pages show their name and
CSRF tokens, and a message waiting in a session must not be shown to everyone.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "publication:generation"
LIST_SECONDS = 60
REPORT_SECONDS = 60 * 60
# A report page whose PDF is still being made is kept only this long: the PDF's readiness moves no generation.
PDF_PENDING_SECONDS = 5
BROWSER_SECONDS = 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # After an eviction start from the clock, never from a number pages may still be stored under.
        value = time.time_ns() // 1000
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


# How long a process goes by the generation it read last before asking again: see `recent_generation`.
RECENT_SECONDS = 1.0
_recent: tuple[int, float] | None = None


def recent_generation() -> int:
    """The generation as this process read it within the last second. For what each process keeps under the
    generation (the lists' places, the validators' latest change), where asking at every request cost a round
    trip as long as the rest of a page read at the front door: another process's change shows within a second,
    this process's at once (`bump_generation`)."""
    global _recent
    now = time.monotonic()
    seen = _recent
    if seen is not None and now - seen[1] < RECENT_SECONDS:
        return seen[0]
    current = generation()
    _recent = (current, now)
    return current


def bump_generation() -> None:
    global _recent
    _recent = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns() // 1000, None)


def bump_generation_now_and_on_commit() -> None:
    bump_generation()
    transaction.on_commit(bump_generation)


def serves_the_public(request: HttpRequest) -> bool:
    """A reader without a session: served the page every such reader gets."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _key(request: HttpRequest, facts: tuple[Hashable, ...], reads: tuple[str, ...] | None = None) -> str:
    # Pages hold absolute URLs (the API's links, the feed, the sitemap): one host's or scheme's are never served
    # to a reader who came by another. A page that reads no query string (`reads`: the names it reads) is one page
    # under any: a parameter added to its address cannot make each request a miss.
    if reads is None:
        path = request.get_full_path()
    else:
        path = (request.path, sorted((name, request.GET.getlist(name)) for name in reads if name in request.GET))
    address = (request.scheme, request.get_host(), path)
    digest = hashlib.sha256(repr((address, translation.get_language(), facts)).encode()).hexdigest()
    return f"publication:page:{digest}"


def public_response(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response


def cached_response(
    request: HttpRequest,
    facts: tuple[Hashable, ...],
    render: Callable[[], HttpResponse],
    seconds: int,
    reads: tuple[str, ...] | None = None,
) -> HttpResponse:
    """The page for this URL and these facts from the cache, or rendered and kept when it is a 200. `reads`: the
    query parameters the page reads, when it says which (else the whole query string is part of the key)."""
    if not serves_the_public(request):
        return render()
    key = _key(request, facts, reads)
    stored = cache.get(key)
    if stored is not None:
        content, headers = stored
        return public_response(HttpResponse(content, headers=headers))
    response = render()
    if response.status_code == 200 and not response.streaming:
        _store_when_rendered(response, key, seconds)
    return public_response(response)


def public_page(view: Callable[..., HttpResponse] | None = None, *, reads: tuple[str, ...] | None = None):
    """Cache a page that depends on what is published anywhere, under the current generation. `reads=()` for a
    page that reads no query parameter (the home page, the feed): every address with a query string is the same
    page, kept once."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            render = lambda: view(request, *args, **kwargs)  # noqa: E731
            return cached_response(request, (generation(),), render, LIST_SECONDS, reads)

        return cached_view

    return decorate(view) if view is not None else decorate


def _store_when_rendered(response: HttpResponse, key: str, seconds: int) -> None:
    def store(rendered: HttpResponse) -> None:
        headers = {name: value for name, value in rendered.items() if name.lower() in ("content-type", "link")}
        cache.set(key, (rendered.content, headers), getattr(rendered, "public_cache_seconds", seconds))

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    else:
        store(response)
