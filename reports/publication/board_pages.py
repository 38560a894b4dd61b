"""The compliance board's page (`views.compliance_page`) in its parts, the title and the board under the
navigation, and composed of them in its frame (`frames`) for a visitor without a session at the front door
(`door`): every cold board page had been rendered through the site's templates, which cost more than its two
queries and the board's rows (`templatetags.board`) together."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from reports.publication import compliance, frames
from reports.publication.forms import BoardForm
from reports.publication.places import places

PER_PAGE = 50
SLOTS = ("title", "board")


def board(request: HttpRequest) -> tuple[dict, int]:
    """What the board shows for the year, region and status asked, and the answer's status (400 for a bad
    value)."""
    form = BoardForm(request.GET)
    if not form.is_valid():
        return {"form": form}, 400
    cycle, region = form.cycle(), form.cleaned_data["region"]
    if cycle is None:
        return {"form": form}, 200
    status = form.cleaned_data["status"]
    overall, by_region = compliance.board_counts(cycle, region)
    rows = compliance.agency_rows(cycle, region, status)
    page = compliance.BoardPaginator(rows, PER_PAGE, count=overall.listed(status)).get_page(request.GET.get("page"))
    terms = cycle.terms_for(region)
    return {
        "form": form,
        "cycle": cycle,
        "region": region,
        "overall": overall,
        "by_region": by_region,
        "page": page,
        "terms": terms,
        "cutoff": terms.publication_cutoff,
        "due": terms.publication_cutoff <= timezone.now(),
        "regions": places().region_options(region),
    }, 200


def parts(request: HttpRequest, shown: dict) -> dict[str, SafeString]:
    shown = {**shown, **_options(shown)}
    title = frames.part("publication/parts/board_title.html", request, shown)
    return {"title": mark_safe(title.strip()), "board": frames.part("publication/parts/board.html", request, shown)}


def _options(shown: dict) -> dict[str, SafeString]:
    """The form's lists of years and statuses, the board's own chosen."""
    form, cycle = shown["form"], shown.get("cycle")
    years = [
        (str(year), gettext("%(year)s年度") % {"year": year}, year == getattr(cycle, "year", None))
        for year in form.cycles
    ]
    # As the reader gave it: none given, no option is marked (the browser shows the first, 全部).
    chosen = form["status"].value()
    statuses = [(value, str(label), value == chosen) for value, label in form.fields["status"].choices]
    return {"year_options": frames.option_tags(years), "status_options": frames.option_tags(statuses)}


def composed(request: HttpRequest) -> HttpResponse | None:
    """A visitor's board page composed in its frame; None for an answer other than a board (a bad value)."""
    shown, status = board(request)
    if status != 200:
        return None
    frame = frames.frame("publication/compliance.html", "publication:compliance", dict, SLOTS)
    return HttpResponse(frame.filled(parts(request, shown)))
