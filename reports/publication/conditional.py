"""HTTP's part on the public pages and PDFs: validators, 304s, and how long a reader's copy may be kept.

For a visitor who is not signed in, every public page gets

- an ETag: a digest of the page itself (the same bytes give the same tag in every worker, and a page that changed in
  any way gets a new one), or for a PDF a digest of which stored file it is and when it was made;
- a Last-Modified: when what the page shows last changed: for a report, a version or a PDF, the report's latest
  publication (or its PDF's making, if later); for the lists, feeds and the API, the latest publication or
  withdrawal anywhere. Pages whose content also moves with the calendar (the compliance board) and pages that
  change only with the code (the schema) carry the ETag alone;
- a 304 when the reader's copy is still current (`django.utils.cache.get_conditional_response`);
- Cache-Control: a published version never changes, so `/v<n>/` and `v<n>.pdf` are `immutable` for a year once
  its PDF is ready; every other success keeps the short lifetime of the current pages, and an answer that is not a
  success (a withdrawn report's 410, a PDF still being made) is left as its view made it, never immutable.

Staff who are signed in get none of this: their pages stay `no-store` (reports.filing.middleware).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from reports.accounts.middleware import may_be_signed_in
from reports.agencies.models import Agency
from reports.filing.models import Publication, Report, ReportEvent, ReportingCycle, ReportRevision
from reports.publication.cache import generation, recent_generation
from reports.publication.models import PublishedEntry
from reports.rendering.models import PdfRendition

CURRENT_SECONDS = 60
# RFC 8246: a year, and the browser need not ask again even when the reader reloads.
IMMUTABLE = "public, max-age=31536000, immutable"
# How long the facts behind a report's validators are kept under one generation: a publication or withdrawal moves
# the generation at once; a PDF becoming ready or being made again shows within these seconds (the page cache
# keeps a page that says the PDF is being prepared as briefly).
FACTS_SECONDS = 60
PENDING_FACTS_SECONDS = 5
PUBLIC_CHANGES = [ReportEvent.Action.PUBLISH, ReportEvent.Action.WITHDRAW]


@dataclass(frozen=True)
class VersionFacts:
    """What the validators of a report's page and PDF depend on."""

    published_at: datetime.datetime
    pdf_name: str | None
    pdf_made_at: datetime.datetime | None

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf_name)

    @property
    def page_changed_at(self) -> datetime.datetime:
        # The later of the two: a correction back to an earlier text is published again with the same PDF.
        return max(filter(None, [self.published_at, self.pdf_made_at]))

    @property
    def pdf_etag(self) -> str:
        digest = hashlib.md5(f"{self.pdf_name}|{self.pdf_made_at}".encode(), usedforsecurity=False)
        return f'"{digest.hexdigest()}"'


def version_facts(year: int, code: str, number: int | None) -> VersionFacts | None:
    """The facts of a published version (the current one when `number` is None), kept briefly under the current
    generation; None when there is no such version."""
    key = f"publication:validators:{generation()}:{year}:{code}:{number or ''}"
    stored = cache.get(key)
    if stored is not None:
        return stored[0]
    facts = _facts_from_the_database(year, code, number)
    seconds = FACTS_SECONDS if facts is not None and facts.pdf_ready else PENDING_FACTS_SECONDS
    cache.set(key, (facts,), seconds)
    return facts


# Read on a miss of the facts' cache by every report page, version page, PDF and API report, so written as SQL once
# (the ORM's compiling of it cost more than running it): the version (the published one when no number is given)
# with its report's latest publication and its PDF, when one is ready.
FACTS_SQL = """
SELECT r.published_at, p.published_at, f.file, f.rendered_at
FROM {publication} p
JOIN {report} r ON r.id = p.report_id
JOIN {cycle} c ON c.id = r.cycle_id
JOIN {agency} a ON a.id = r.agency_id
JOIN {revision} v ON v.id = p.revision_id
LEFT JOIN {rendition} f ON f.report_id = p.report_id AND f.content_hash = v.content_hash
    AND f.status = %s AND f.file <> ''
WHERE c.year = %s AND a.code = %s AND {version}
ORDER BY p.number DESC
LIMIT 1
"""


def _facts_from_the_database(year: int, code: str, number: int | None) -> VersionFacts | None:
    sql = FACTS_SQL.format(
        publication=Publication._meta.db_table,
        report=Report._meta.db_table,
        cycle=ReportingCycle._meta.db_table,
        agency=Agency._meta.db_table,
        revision=ReportRevision._meta.db_table,
        rendition=PdfRendition._meta.db_table,
        version="p.revision_id = r.published_revision_id" if number is None else "p.number = %s",
    )
    params = [PdfRendition.Status.READY, year, code, *([] if number is None else [number])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    report_published_at, published_at, pdf_name, pdf_made_at = row
    return VersionFacts(
        published_at=report_published_at or published_at,
        pdf_name=pdf_name or None,
        pdf_made_at=pdf_made_at if pdf_name else None,
    )


@dataclass(frozen=True)
class _Change:
    generation: int
    at: datetime.datetime | None
    read_at: float


_latest: _Change | None = None


def latest_public_change() -> datetime.datetime | None:
    """When what the public may read last changed anywhere: the latest publication or withdrawal. Kept by the
    process under the generation it read within the last second (`cache.recent_generation`), for at most as long
    as the cache keeps it: every list's and agency page's Last-Modified asks for it."""
    global _latest
    current, now = recent_generation(), time.monotonic()
    kept = _latest
    if kept is not None and kept.generation == current and now - kept.read_at < CURRENT_SECONDS:
        return kept.at
    _latest = _Change(current, _latest_public_change(current), now)
    return _latest.at


def _latest_public_change(generation: int) -> datetime.datetime | None:
    key = f"publication:last-change:{generation}"
    stored = cache.get(key)
    if stored is not None:
        return stored[0]
    # The audit trail's time is when the action happened, also for a past year's report published with its
    # historical date; the entries cover reports published without an event (the synthetic benchmark data).
    # Newest first by primary key: a short walk back along the index, where Max(at) would read the whole trail.
    event = ReportEvent.objects.filter(action__in=PUBLIC_CHANGES).order_by("-pk").values_list("at", flat=True).first()
    entry = PublishedEntry.objects.aggregate(latest=Max("published_at"))["latest"]
    value = max(filter(None, [event, entry]), default=None)
    cache.set(key, (value,), CURRENT_SECONDS)
    return value


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: datetime.datetime | None = None
    immutable: bool = False


def _page_of_a_version(kwargs: dict, known: VersionFacts | None = None) -> Validators:
    facts = known or version_facts(kwargs["year"], kwargs["code"], kwargs.get("number"))
    if facts is None:
        return Validators()
    return Validators(last_modified=facts.page_changed_at, immutable="number" in kwargs and facts.pdf_ready)


def _pdf_of_a_version(kwargs: dict) -> Validators:
    facts = version_facts(kwargs["year"], kwargs["code"], kwargs.get("number"))
    if facts is None or not facts.pdf_ready:
        return Validators()
    return Validators(etag=facts.pdf_etag, last_modified=facts.page_changed_at, immutable="number" in kwargs)


def _list(kwargs: dict) -> Validators:
    return Validators(last_modified=latest_public_change())


def _content_only(kwargs: dict) -> Validators:
    return Validators()


PAGES: dict[str, Callable[[dict], Validators]] = {
    "publication:home": _list,
    "publication:browse": _list,
    "publication:report": _page_of_a_version,
    "publication:version": _page_of_a_version,
    "publication:pdf": _pdf_of_a_version,
    "publication:version_pdf": _pdf_of_a_version,
    "publication:agency": _list,
    "publication:compare": _list,
    "publication:compliance": _content_only,
    "publication:open_data": _content_only,
    "publication:indicators_csv": _list,
    "publication:feed": _list,
    "publication:sitemap": _list,
    "publication:sitemap_section": _list,
    "publication:api_reports": _list,
    "publication:api_report": _page_of_a_version,
    "publication:api_schema": _content_only,
}


class PublicPageValidators:
    """ETag, Last-Modified, Cache-Control and 304 on the public pages (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return validated(request, self.get_response(request))


def validated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response with the validators and lifetime of its page, or a 304 for a reader whose copy is current."""
    match = request.resolver_match
    validators = PAGES.get(match.view_name) if match is not None else None
    if validators is None or request.method not in ("GET", "HEAD") or _signed_in(request):
        return response
    if not 200 <= response.status_code < 300:
        return response
    # A stored page brings the facts its query read (reports.publication.pages): no second query.
    known = getattr(response, "version_facts", None)
    found = _page_of_a_version(match.kwargs, known) if known is not None else validators(match.kwargs)
    if found.etag:
        response.headers.setdefault("ETag", found.etag)
    elif not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    last_modified = _settled(found.last_modified)
    if last_modified is not None:
        # In place of a view's own (a sitemap's is its newest entry's, which a withdrawal does not move).
        response["Last-Modified"] = http_date(last_modified)
    elif response.has_header("Last-Modified"):
        del response["Last-Modified"]
    if found.immutable:
        response["Cache-Control"] = IMMUTABLE
    else:
        patch_cache_control(response, public=True, max_age=CURRENT_SECONDS)
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)


def _signed_in(request: HttpRequest) -> bool:
    # Asked only of a request with a session: asking every visitor would load a session and vary every page on it.
    return may_be_signed_in(request) and request.user.is_authenticated


def _settled(moment: datetime.datetime | None) -> int | None:
    """The time in whole seconds, as HTTP dates are; None while that second is not over: a reader sent a change of
    this second could be sent another of the same second under the same date (RFC 9110 8.8.2.2), so until it is
    over the page goes by its ETag alone."""
    if moment is None or int(moment.timestamp()) >= int(time.time()):
        return None
    return int(moment.timestamp())
