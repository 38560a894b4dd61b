"""A published version's page, rendered once and kept in the database (`StoredPage`), served on a cache miss.

A published snapshot never changes; what its page shows besides the snapshot changes only when a newer version is
published (the version history, the "已被更正" note), when its PDF becomes ready or fails, or when the report is
withdrawn. `store_pages` renders a report's pages in the transaction that publishes, corrects or withdraws it
(`services.refresh_search_entry`); a page whose PDF was still being made carries the status it was rendered with,
and the one query that serves it also reads the PDF's status now, so the page is rendered again once when that
changes. `page_format` names what rendered a page (templates, static file names, footer settings): a page rendered
otherwise is rendered again when read, and `rebuild_public_index` renders them all after an upgrade.

Only readers without a session are served a stored page, the page every anonymous reader gets: it is rendered for
an anonymous request, so it holds no one's name, messages or CSRF token.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from reports.filing import document
from reports.filing.document import compose_document
from reports.filing.models import Publication, Report, ReportRevision, ReportState
from reports.publication import reading
from reports.publication.cache import public_response, serves_the_public
from reports.publication.conditional import VersionFacts
from reports.publication.models import StoredPage
from reports.rendering.models import PdfRendition
from reports.rendering.services import rendition_for

# Raise when this module or `document` changes what a page holds in a way the templates do not show.
PAGE_CODE_VERSION = 1
TEMPLATE = "publication/report.html"


def document_context(report: Report, revision: ReportRevision, number: int | None, pdf_status: str) -> dict:
    """What a version's page shows: the snapshot in the document's own structure, the version history and the
    PDF's readiness."""
    history = reading.versions(report)
    first_published = history[0].published_at if history else report.published_at
    return {
        "report": report,
        "doc": compose_document(revision.content),
        "history": history,
        "number": number,
        "first_published": first_published,
        "on_time": report.terms.published_on_time(first_published),
        "pdf_ready": pdf_status == PdfRendition.Status.READY,
        "pdf_failed": pdf_status == PdfRendition.Status.FAILED,
    }


def pdf_status_of(revision: ReportRevision) -> str:
    rendition = rendition_for(revision)
    return rendition.status if rendition is not None else PdfRendition.Status.PENDING


@functools.cache
def page_format() -> str:
    """A digest of everything besides the data that a stored page is rendered from."""
    digest = hashlib.sha256(f"{PAGE_CODE_VERSION}".encode())
    base = Path(settings.BASE_DIR)
    for template in sorted([*base.glob("templates/**/*.html"), *base.glob("reports/*/templates/**/*.html")]):
        digest.update(str(template.relative_to(base)).encode())
        digest.update(template.read_bytes())
    for module in (document, reading):
        digest.update(inspect.getsource(module).encode())
    # Hashed static file names change when a stylesheet does; the footer's registration numbers come from settings.
    digest.update(repr(sorted(getattr(staticfiles_storage, "hashed_files", {}).items())).encode())
    digest.update(repr([getattr(settings, name) for name in dir(settings) if name.startswith("SITE_")]).encode())
    return digest.hexdigest()[:32]


def _anonymous_request(path: str) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META["SERVER_NAME"] = "localhost"
    request.user = AnonymousUser()
    return request


def _report(report_id: int) -> Report | None:
    return (
        Report.objects.published()
        .select_related("agency__region", "cycle", "published_revision")
        .defer("published_revision__content")
        .filter(pk=report_id)
        .first()
    )


def store_pages(report_id: int) -> int:
    """Render and keep the page of every published version of the report, or remove them all when the public may
    no longer read it; returns how many were rendered."""
    report = _report(report_id)
    if report is None:
        StoredPage.objects.filter(report_id=report_id).delete()
        return 0
    publications = list(Publication.objects.filter(report=report).select_related("revision").order_by("number"))
    pages = [_render(report, publication) for publication in publications]
    with transaction.atomic():
        StoredPage.objects.filter(report_id=report_id).exclude(number__in=[p.number for p in pages]).delete()
        StoredPage.objects.bulk_create(
            pages,
            update_conflicts=True,
            unique_fields=["report", "number"],
            update_fields=[
                "revision",
                "year",
                "agency_code",
                "is_current",
                "content_hash",
                "pdf_status",
                "page_format",
                "html",
                "rendered_at",
            ],
        )
    return len(pages)


def _render(report: Report, publication: Publication) -> StoredPage:
    revision = publication.revision
    is_current = revision.pk == report.published_revision_id
    number = None if is_current else publication.number
    year, code = report.cycle.year, report.agency.code
    path = (
        reverse("publication:report", args=[year, code])
        if is_current
        else reverse("publication:version", args=[year, code, number])
    )
    pdf_status = pdf_status_of(revision)
    html = render_to_string(
        TEMPLATE, document_context(report, revision, number, pdf_status), request=_anonymous_request(path)
    )
    return StoredPage(
        report=report,
        revision=revision,
        year=year,
        agency_code=code,
        number=publication.number,
        is_current=is_current,
        content_hash=revision.content_hash,
        pdf_status=pdf_status,
        page_format=page_format(),
        html=html,
    )


# Read on every miss of the page cache, so written as SQL once: the ORM's compiling of the same query cost several
# times its running. The pages of reports the public may read, with the PDF's status now (one rendition a report
# and content). `store_pages` removes a withdrawn report's pages in the same transaction; the join to the report
# makes a missed removal hide the page rather than show it.
STORED_SQL = """
SELECT p.report_id, p.is_current, p.pdf_status, f.status, f.file, f.rendered_at, p.page_format, p.html,
       r.published_at
FROM {page} p
JOIN {report} r ON r.id = p.report_id
LEFT JOIN {rendition} f ON f.report_id = p.report_id AND f.content_hash = p.content_hash
WHERE p.year = %s AND p.agency_code = %s AND {version}
  AND r.withdrawn_at IS NULL AND r.published_revision_id IS NOT NULL AND r.state <> %s
ORDER BY p.report_id
LIMIT 1
"""
STORED_COLUMNS = (
    "report_id",
    "is_current",
    "pdf_status",
    "pdf_now",
    "pdf_file",
    "pdf_made_at",
    "page_format",
    "html",
    "published_at",
)


def _stored_row(year: int, code: str, number: int | None) -> dict | None:
    sql = STORED_SQL.format(
        page=StoredPage._meta.db_table,
        report=Report._meta.db_table,
        rendition=PdfRendition._meta.db_table,
        version="p.is_current" if number is None else "p.number = %s",
    )
    params = [year, code, *([] if number is None else [number]), ReportState.WITHDRAWN]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(STORED_COLUMNS, row, strict=True)) if row is not None else None


def stored_response(
    request: HttpRequest, year: int, code: str, number: int | None = None, *, rendered_again: bool = False
) -> HttpResponse | None:
    """The stored page at this address for a reader without a session, or None (the view then renders it: a
    withdrawn report, an address no version has, a staff member's request)."""
    if not serves_the_public(request):
        return None
    row = _stored_row(year, code, number)
    if row is None:
        return None
    if number is not None and row["is_current"]:
        return redirect("publication:report", year, code)
    stale = row["page_format"] != page_format() or (row["pdf_now"] or PdfRendition.Status.PENDING) != row["pdf_status"]
    if stale and not rendered_again:
        store_pages(row["report_id"])
        return stored_response(request, year, code, number, rendered_again=True)
    response = public_response(HttpResponse(row["html"]))
    # What the validators need, read by the same query (reports.publication.conditional asks no other).
    ready = row["pdf_now"] == PdfRendition.Status.READY and bool(row["pdf_file"])
    response.version_facts = VersionFacts(
        published_at=row["published_at"],
        pdf_name=row["pdf_file"] if ready else None,
        pdf_made_at=row["pdf_made_at"] if ready else None,
    )
    return response


def stale_pages() -> tuple[int, int]:
    """(missing, outdated): published reports whose current version has no stored page of it, and stored pages
    rendered by other templates or code than these (`rebuild_stored_pages` puts both right)."""
    current = StoredPage.objects.filter(is_current=True, revision=OuterRef("published_revision"))
    missing = Report.objects.published().exclude(pk__in=Subquery(current.values("report_id"))).count()
    outdated = StoredPage.objects.exclude(page_format=page_format()).count()
    return missing, outdated


def rebuild_stored_pages(*, everything: bool = False, shard: tuple[int, int] = (0, 1), log=None) -> tuple[int, int]:
    """Render the pages of every published report lacking them or rendered otherwise (every one with
    `everything`), and remove those of reports no longer public; returns (rendered, removed). `shard` (k, n)
    takes the reports whose id is k modulo n, so that n processes can share the work."""
    removed, _ = StoredPage.objects.exclude(report__in=Report.objects.published()).delete()
    reports = Report.objects.published().order_by("pk")
    if not everything:
        current = StoredPage.objects.filter(
            is_current=True, revision=OuterRef("published_revision"), page_format=page_format()
        )
        reports = reports.exclude(pk__in=Subquery(current.values("report_id")))
    k, n = shard
    ids = [pk for pk in reports.values_list("pk", flat=True) if pk % n == k]
    rendered = 0
    for done, report_id in enumerate(ids, 1):
        rendered += store_pages(report_id)
        if log and done % 1000 == 0:
            log(f"已生成 {done}/{len(ids)} 份报告的页面")
    return rendered, removed
