"""The public list page (`views.browse`) in its parts, and a list of year, level, kind and region composed of
them for a visitor without a session at the front door (`door`).

Every cold list page was rendered through `browse.html` and the templates it extends: the site's navigation, the
filter form, the footer, some two hundred nodes whose output is the same on every list page but for the
options chosen in the form and the results under it, and which cost more than the two indexed queries that find
the page's reports (`filters.Listed`; measured on a 2-core machine over 100,000 reports, the template was about
two fifths of a cold list page's time and the middlewares before the view most of the rest). So the page is
written in parts: the options of each list in the form (`option_tags`) and the results (`results`, its own
small template) are rendered by the view and placed into `browse.html`. For a visitor's list of year, level,
kind and region, the door fills them into a *frame*: `browse.html` rendered once by each process, for a visitor
with no session, with a marker where each part goes. `tests/test_public_door.py` checks that the pages composed
so are the whole way's byte for byte.

The frame holds nothing that a publication changes: the templates, the settings (the footer) and the static
files' names, read once by the process; it is kept per language and forgotten when a test changes the settings.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from reports.agencies.models import AgencyKind, Level
from reports.publication import listing
from reports.publication.filters import CountedPaginator, Listed, ReportFilter
from reports.publication.models import listing_key
from reports.publication.places import places

PER_PAGE = 20
LISTS = ("year", "region", "level", "kind")
SLOTS = (*LISTS, "results")


def option_tags(options: Iterable[tuple[str, str, bool]]) -> SafeString:
    """A filter list's `<option>`s, each (value, label, chosen), the chosen one selected: written in one pass (in
    the template language each option's three variables and its condition cost more than the rest of the form)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if chosen else "", label) for value, label, chosen in options),
    )


def results(request: HttpRequest, **context) -> SafeString:
    """The part under the form: the count, the rows and the pages, or what was wrong. It reads only the request
    of what context processors give, so it is rendered without them."""
    template = get_template("publication/parts/results.html").template
    plain = Context({"request": request, **context})
    # Where `{% querystring %}` reads the request, as a RequestContext holds it.
    plain.request = request
    return mark_safe(template.render(plain))


class Frame:
    """`browse.html` as a visitor with no session gets it, in the pieces around the parts (`SLOTS`)."""

    def __init__(self) -> None:
        marker = secrets.token_hex(8)
        marks = {slot: mark_safe(f"\x00{marker}:{slot}\x00") for slot in SLOTS}
        request = HttpRequest()
        request.path = request.path_info = reverse("publication:browse")
        request.method = "GET"
        request.user = AnonymousUser()
        context = {
            "filters": ReportFilter(None),
            "options": {name: marks[name] for name in LISTS},
            "results": marks["results"],
        }
        page = render_to_string("publication/browse.html", context, request=request)
        pieces = [page]
        for slot in SLOTS:
            before, after = pieces.pop().split(marks[slot])
            pieces += [before, after]
        self.pieces = pieces

    def filled(self, parts: dict[str, str]) -> str:
        written = [self.pieces[0]]
        for slot, piece in zip(SLOTS, self.pieces[1:], strict=True):
            written += [parts[slot], piece]
        return "".join(written)


_frames: dict[str, Frame] = {}


def frame() -> Frame:
    language = translation.get_language()
    kept = _frames.get(language)
    if kept is None:
        kept = _frames[language] = Frame()
    return kept


@receiver(setting_changed)
def _forget_frames(**kwargs) -> None:
    _frames.clear()


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
        name: option_tags((value, label, value == chosen[name]) for value, label in choices)
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
