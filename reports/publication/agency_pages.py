"""An agency's public pages (its reports over the years, the comparison of two of them, the API's report) kept in
the database (`StoredAgencyPage`) and served on a cache miss while what they show is as it was when rendered.

These are the long tail of the public side: tens of thousands of agencies, each page read now and then, so nearly
every read misses the page cache. What such a page shows comes from a few agencies' public entries (the agency's
own, and on the comparison its peers') and those agencies' names and places, so a page is kept with the *facts* of
those agencies (`facts_of`: how many public entries, which revisions, when last published, the agencies' rows) and
served only while the facts read now are the same: a publication, correction or withdrawal of any report it shows,
or an agency renamed or moved, makes it a miss that renders and keeps it again. Facts are read before and after
rendering, and a page is kept only when both agree, so a change committed while it was rendered is never kept
under the facts of the state before. A change the facts do not see (a cycle's or a province's deadlines, or this
code's templates) is handled as for the version pages: `page_format` and `signals`.

Only readers without a session are served or stored a kept page, and only at an address without a query string
the page reads (the comparison of two chosen years is rendered each time). A page is kept per scheme and host:
the API's links are absolute.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse

from reports.agencies.models import Agency
from reports.filing.models import Report, ReportState
from reports.publication import api, charts, comparison, indicators, pages
from reports.publication.cache import serves_the_public
from reports.publication.models import PublishedEntry, StoredAgencyPage

Agencies = Callable[..., list[int]]


@functools.cache
def page_format() -> str:
    """The version pages' format (templates, static files, footer settings) and the code these pages are made by."""
    digest = hashlib.sha256(pages.page_format().encode())
    for module in (api, charts, comparison, indicators):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:32]


# Served on every miss of the page cache, so written as SQL once (the ORM's compiling of the same query cost more
# than running it). Public entries as `PublishedEntry.objects.public()` reads them: of reports not withdrawn.
FACTS_SQL = """
SELECT a.id, a.name, a.code, a.region_id, a.kind, a.retired_on, a.merged_into_id,
       COUNT(e.revision_id), SUM(e.revision_id), MAX(e.published_at)
FROM {agency} a
LEFT JOIN ({entry} e JOIN {report} r ON r.id = e.report_id AND r.withdrawn_at IS NULL AND r.state <> %s)
    ON e.agency_id = a.id
WHERE a.id IN ({ids})
GROUP BY a.id, a.name, a.code, a.region_id, a.kind, a.retired_on, a.merged_into_id
ORDER BY a.id
"""
KEPT_SQL = "SELECT agencies, facts, content_type, body FROM {page} WHERE address = %s AND page_format = %s"


def facts_of(agency_ids: list[int]) -> str:
    """What a page about these agencies shows that can change: their rows and their public entries (how many,
    which revisions, when last published), in one query."""
    ids = [int(pk) for pk in agency_ids]
    if not ids:
        return ""
    sql = FACTS_SQL.format(
        agency=Agency._meta.db_table,
        entry=PublishedEntry._meta.db_table,
        report=Report._meta.db_table,
        ids=", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        # The agencies listed once: a comparison names fifty, and with the list repeated inside the join (as an
        # earlier form of this query had it) PostgreSQL took longer to plan it (measured on 106,417 reports: a
        # comparison's facts 1.75 ms, now 1.35).
        cursor.execute(sql, [ReportState.WITHDRAWN, *ids])
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _kept(address: str) -> tuple[list[int], str, str, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(KEPT_SQL.format(page=StoredAgencyPage._meta.db_table), [address, page_format()])
        row = cursor.fetchone()
    if row is None:
        return None
    agencies, facts, content_type, body = row
    return (json.loads(agencies) if isinstance(agencies, str) else agencies), facts, content_type, body


def _address(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}{request.path}"


def kept_response(request: HttpRequest) -> HttpResponse | None:
    """The page kept at this address while its agencies' facts hold, else None (the caller renders it)."""
    kept = _kept(_address(request))
    if kept is None or facts_of(kept[0]) != kept[1]:
        return None
    return HttpResponse(kept[3], content_type=kept[2])


def kept_page(agencies: Agencies, *, reads: tuple[str, ...] = ()) -> Callable:
    """Serve the view's page from the database while its agencies' facts hold, else render and keep it.

    `agencies(**kwargs)` names the agencies the page shows (an empty list for an address that shows none: a 404);
    a request with any of the query parameters in `reads` is rendered as the view renders it."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def kept_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not serves_the_public(request) or any(name in request.GET for name in reads):
                return view(request, *args, **kwargs)
            kept = kept_response(request)
            if kept is not None:
                return kept
            address = _address(request)
            ids = agencies(**kwargs)
            if not ids:
                return view(request, *args, **kwargs)
            before = facts_of(ids)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                _keep_when_rendered(response, address, ids, before)
            return response

        return kept_view

    return decorate


def _keep_when_rendered(response: HttpResponse, address: str, ids: list[int], before: str) -> None:
    def keep(rendered: HttpResponse) -> None:
        if facts_of(ids) != before:
            return
        page = StoredAgencyPage(
            address=address,
            agencies=ids,
            facts=before,
            content_type=rendered["Content-Type"],
            body=rendered.content.decode(),
            page_format=page_format(),
        )
        fields = ["agencies", "facts", "content_type", "body", "page_format", "rendered_at"]
        StoredAgencyPage.objects.bulk_create(
            [page], update_conflicts=True, unique_fields=["address"], update_fields=fields
        )

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(keep)
    else:
        keep(response)


def the_agency(code: str, **kwargs) -> list[int]:
    return list(Agency.objects.filter(code=code).order_by().values_list("pk", flat=True))


def the_agency_and_its_peers(code: str, **kwargs) -> list[int]:
    agency = Agency.objects.select_related("region").filter(code=code).first()
    if agency is None:
        return []
    return [agency.pk, *comparison.peer_ids(agency)]


def agency_paths(code: str) -> list[str]:
    """The addresses of an agency's kept pages: its page, its comparison, each of its public reports in the API."""
    years = PublishedEntry.objects.public().filter(agency__code=code).values_list("year", flat=True)
    paths = [reverse("publication:agency", args=[code]), reverse("publication:compare", args=[code])]
    return paths + [reverse("publication:api_report", args=[year, code]) for year in years]


def keep_pages(paths: Iterable[str], origin: str, *, log=None) -> int:
    """Render and keep these pages for readers coming by `origin` ("https://host") as a first reader would, so
    that even pages nobody has read yet are served without rendering (`rebuild_public_index --agency-pages`).
    Pages kept that still hold are left alone. Returns how many answered 200."""
    kept = 0
    for done, path in enumerate(paths, 1):
        kept += _read_as_a_visitor(path, origin).status_code == 200
        if log and done % 1000 == 0:
            log(f"已生成 {done} 个页面")
    return kept


def _read_as_a_visitor(path: str, origin: str) -> HttpResponse:
    parts = urlsplit(origin)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META.update({"HTTP_HOST": parts.netloc, "SERVER_NAME": parts.hostname, "SERVER_PORT": parts.port or ""})
    request._get_scheme = lambda: parts.scheme
    request.user = AnonymousUser()
    request.resolver_match = match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response
