"""The public list page (`views.browse`) in its parts, and a list of year, level, kind and region composed of
them in its frame (`frames`) for a visitor without a session at the front door (`door`).

The view renders the options of each list in the form (`frames.option_tags`) and the results (`results`, a small
template of their own) and places them into `browse.html`; the door fills the same parts into the page's kept
frame. Measured on a 2-core machine over 100,000 reports, the template had been about two fifths of a cold list
page's time and the middlewares before the view most of the rest.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.safestring import SafeString

from reports.agencies.models import AgencyKind, Level
from reports.publication import frames, listing
from reports.publication.filters import CountedPaginator, Listed, ReportFilter
from reports.publication.models import listing_key
from reports.publication.places import places

PER_PAGE = 20
LISTS = ("year", "region", "level", "kind")
SLOTS = (*(f"{name}_options" for name in LISTS), "results")


def results(request: HttpRequest, **context) -> SafeString:
    """The part under the form: the count, the rows and the pages, or what was wrong."""
    return frames.part("publication/parts/results.html", request, context)


def frame() -> frames.Frame:
    """`browse.html` with markers for the form's lists and the results (no search asked, no error)."""
    return frames.frame("publication/browse.html", "publication:browse", lambda: {"filters": ReportFilter(None)}, SLOTS)


def asked_listing(query: QueryDict) -> int | None:
    """The `EntryListing` key of a list of year, level, kind and region asked in these plain terms (each filter
    given once, exactly as the form offers it, no search or agency), or None: anything else is the view's to
    read and answer."""
    if any(len(query.getlist(name)) > 1 for name in (*LISTS, "q", "agency", "page")):
        return None
    if query.get("q") or query.get("agency"):
        return None
    year, region, level, kind = (query.get(name, "") for name in LISTS)
    known = places()
    if year and not (year.isdigit() and int(year) in known.cycles and str(int(year)) == year):
        return None
    if region and region not in known.by_code:
        return None
    if (level and level not in Level.values) or (kind and kind not in AgencyKind.values):
        return None
    return listing_key(year=int(year) if year else None, level=level, kind=kind, region_code=region)


def listed_page(request: HttpRequest) -> HttpResponse | None:
    """A visitor's list of year, level, kind and region, composed in the frame; None for any other list."""
    key = asked_listing(request.GET)
    if key is None:
        return None
    known = places()
    query = request.GET
    page = CountedPaginator(Listed(key), PER_PAGE).get_page(query.get("page"))
    rows = [(entry, "") for entry in listing.fresh(list(page))]
    chosen = {name: query.get(name, "") for name in LISTS}
    parts = {
        f"{name}_options": frames.option_tags((value, label, value == chosen[name]) for value, label in choices)
        for name, choices in filter_choices(known.region_options(known.by_code.get(chosen["region"]))).items()
    }
    parts["results"] = results(request, page=page, rows=rows)
    return HttpResponse(frame().filled(parts))


def filter_choices(regions) -> dict[str, list[tuple[str, str]]]:
    """What each list in the form offers, (value, label), beside its "any" option."""
    return {
        "year": [(str(year), translation.gettext("%(year)s年度") % {"year": year}) for year in places().years],
        "region": [(region.code, region.label) for region in regions],
        "level": [(str(value), str(label)) for value, label in Level.choices],
        "kind": [(str(value), str(label)) for value, label in AgencyKind.choices],
    }
