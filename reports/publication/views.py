"""What the public sees: only published snapshots, never a draft or a live model."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from reports.agencies.models import Agency
from reports.filing.models import ReportRevision
from reports.publication import agency_pages, board_pages, comparison, frames, list_pages, listing, pages, reading
from reports.publication.cache import PDF_PENDING_SECONDS, REPORT_SECONDS, cached_response, public_page
from reports.publication.filters import CountedPaginator, Listed, ReportFilter, public_entries
from reports.publication.forms import CompareForm
from reports.publication.indicators import peer_figures
from reports.publication.models import PublishedEntry
from reports.publication.places import RegionOption, places
from reports.publication.search import SearchPaginator, SearchTooBroad, snippet
from reports.rendering.delivery import stored_file_response
from reports.rendering.models import PdfRendition
from reports.rendering.services import rendition_for


@public_page(reads=())
def home(request: HttpRequest) -> HttpResponse:
    years = PublishedEntry.objects.public().values("year").annotate(reports=Count("pk")).order_by("-year")
    latest = public_entries().defer("body", "figures")[:10]
    return render(request, "publication/home.html", {"latest": latest, "years": years})


@public_page
def browse(request: HttpRequest) -> HttpResponse:
    """Every published report, newest first, narrowed by the filters and the full-text search in the URL; the
    form's lists and the results are rendered in parts (`list_pages`)."""
    filters = ReportFilter(request.GET, queryset=public_entries())
    if not filters.is_valid():
        return _browse_page(request, filters, places().region_options(None), {}, status=400)
    regions = places().region_options(filters.form.cleaned_data["region"])
    terms = filters.terms
    if not terms:
        if filters.listing is not None:
            entries = Listed(filters.listing)
        else:
            entries = filters.qs.select_related(None).prefetch_related(None).only(*listing.READ_FIELDS)
        page = CountedPaginator(entries, list_pages.PER_PAGE).get_page(request.GET.get("page"))
        rows = [(entry, "") for entry in listing.fresh(list(page))]
        return _browse_page(request, filters, regions, {"page": page, "rows": rows})
    try:
        page = SearchPaginator(filters.qs.defer("figures"), list_pages.PER_PAGE, terms).get_page(
            request.GET.get("page")
        )
    except SearchTooBroad:
        return _browse_page(request, filters, regions, {"too_broad": True})
    rows = [(entry, snippet(entry.body, terms)) for entry in page]
    return _browse_page(request, filters, regions, {"page": page, "rows": rows})


def _browse_page(
    request: HttpRequest, filters: ReportFilter, regions: list[RegionOption], shown: dict, status: int = 200
) -> HttpResponse:
    """The list page with the form's lists, the reader's choices chosen, and the results under it."""
    choices = list_pages.filter_choices(regions)
    context = {"filters": filters, "agency": filters.form.cleaned_data.get("agency")}
    for name, offered in choices.items():
        # The reader's choice read once: the template asking the form for it at every option cost more than the
        # list of reports.
        chosen = str(filters.form[name].value() or "")
        context[f"{name}_options"] = frames.option_tags((value, label, value == chosen) for value, label in offered)
    context["results"] = list_pages.results(request, filters=filters, **shown)
    return render(request, "publication/browse.html", context, status=status)


def report_page(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A report's current version: its stored page for the public (`pages`), else rendered."""
    return pages.stored_response(request, year, code) or _report_page(request, year, code)


def version_page(request: HttpRequest, year: int, code: str, number: int) -> HttpResponse:
    return pages.stored_response(request, year, code, number) or _version_page(request, year, code, number)


@public_page
def _report_page(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = reading.ever_published(year, code)
    if report.is_withdrawn:
        return render(request, "publication/withdrawn.html", {"report": report}, status=410)
    return _document_page(request, report, report.published_revision)


@public_page
def _version_page(request: HttpRequest, year: int, code: str, number: int) -> HttpResponse:
    report = reading.ever_published(year, code)
    revision = reading.version_revision(report, number)
    if revision.pk == report.published_revision_id:
        return redirect("publication:report", year, code)
    return _document_page(request, report, revision, number=number)


def _document_page(request, report, revision: ReportRevision, number: int | None = None) -> HttpResponse:
    """A published version in the document's own structure, as staff see it or before its page is stored.
    Cached under the versions it shows and its PDF's readiness: nothing else on the page can change."""
    pdf_status = pages.pdf_status_of(revision)

    def render_page() -> HttpResponse:
        return render(request, pages.TEMPLATE, pages.document_context(report, revision, number, pdf_status))

    facts = (revision.pk, report.published_revision_id, pdf_status)
    response = cached_response(request, facts, render_page, REPORT_SECONDS)
    if pdf_status != PdfRendition.Status.READY:
        response.public_cache_seconds = PDF_PENDING_SECONDS
    return response


def report_pdf(request: HttpRequest, year: int, code: str, number: int | None = None) -> HttpResponse:
    report = reading.ever_published(year, code)
    if report.is_withdrawn:
        return render(request, "publication/withdrawn.html", {"report": report}, status=410)
    revision = report.published_revision if number is None else reading.version_revision(report, number)
    rendition = rendition_for(revision)
    if rendition is None or rendition.status != PdfRendition.Status.READY:
        failed = rendition is not None and rendition.status == PdfRendition.Status.FAILED
        return render(request, "publication/pdf_pending.html", {"report": report, "failed": failed}, status=404)
    suffix = f"（第{number}版）" if number else ""
    filename = f"{report.agency.name}{revision.content.get('title', '')}{suffix}.pdf"
    ascii_filename = f"{year}-{code}{f'-v{number}' if number else ''}.pdf"
    return stored_file_response(
        rendition.file, filename=filename, ascii_filename=ascii_filename, content_type="application/pdf", inline=True
    )


@public_page(reads=())
@agency_pages.kept_page(agency_pages.the_agency)
def agency_page(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's reports over the years, its figures as charts, and the choice of two years to compare."""
    agency = get_object_or_404(Agency.objects.select_related("region"), code=code)
    entries = comparison.agency_entries(agency)
    rows = comparison.indicator_rows(entries)
    context = {
        "agency": agency,
        "entries": entries,
        "ruling_charts": comparison.count_charts(entries),
        "indicator_rows": rows,
        "indicator_charts": comparison.indicator_charts(entries, rows),
    }
    return render(request, "publication/agency.html", context)


@public_page(reads=("from", "to"))
@agency_pages.kept_page(agency_pages.the_agency_and_its_peers, reads=("from", "to"))
def compare_page(request: HttpRequest, code: str) -> HttpResponse:
    """Two of an agency's reports section by section (by default its latest and the year before), last year's
    plans beside this year's measures, and its peers' figures for the later year."""
    agency = get_object_or_404(Agency.objects.select_related("region"), code=code)
    by_year = {entry.year: entry for entry in comparison.agency_entries(agency)}
    if len(by_year) < 2:
        return render(request, "publication/compare.html", {"agency": agency})
    form = CompareForm(request.GET, years=list(by_year))
    if not form.is_valid():
        return render(request, "publication/compare.html", {"agency": agency, "form": form}, status=400)
    earlier, later = (by_year[year] for year in form.years())
    revisions = ReportRevision.objects.filter(pk__in=[earlier.revision_id, later.revision_id])
    snapshots = dict(revisions.values_list("pk", "content"))
    before, after = snapshots[earlier.revision_id], snapshots[later.revision_id]
    context = {
        "agency": agency,
        "form": form,
        "earlier": earlier,
        "later": later,
        "pairs": comparison.section_pairs(before, after),
        "promises": comparison.promises_kept(before, after),
        "peers": comparison.peers(agency, later.year),
        "peer_labels": [label for _section, _key, label in peer_figures()],
    }
    return render(request, "publication/compare.html", context)


@public_page
def compliance_page(request: HttpRequest) -> HttpResponse:
    shown, status = board_pages.board(request)
    return render(request, "publication/compliance.html", board_pages.parts(request, shown), status=status)
