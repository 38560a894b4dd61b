"""A public entry's row in the lists, rendered once and kept on the entry (`PublishedEntry.list_item` and
`summary`): what a list page shows of a report (`parts/entry.html`) and what the API's lists give
(`serializers.ReportSummarySerializer`, its addresses relative to the site until a request makes them absolute).

Rendering the twenty rows of a page cost more than everything else its request did (over 100,000 reports, a cold
list page spent most of its time in the template's include and the serializer's fields); a stored row is a string
and a small dict. They are rendered with the entry (`services`), and again when read if they were rendered
otherwise: by other templates or serializers (`row_format`), or marked outdated ("") because what they show besides the
report changed, an agency's or region's name or a cycle's deadlines (`signals`). A search's rows, which show the
text around the hit, are rendered as they are read.
"""

from __future__ import annotations

import functools
import hashlib
import inspect

from django.http import HttpRequest
from django.template.loader import get_template

from reports.publication import serializers
from reports.publication.models import PublishedEntry
from reports.publication.pages import page_format

# Raise when this module changes what a row holds in a way the templates and serializers do not show.
ROW_CODE_VERSION = 1
ROW_FIELDS = ["list_item", "summary", "row_format"]
# What a page of stored rows reads of each entry.
READ_FIELDS = ["report_id", "revision_id", "published_at", *ROW_FIELDS]
OUTDATED = ""
URL_FIELDS = ["url", "api_url", "pdf_url"]


@functools.cache
def row_format() -> str:
    """A digest of what besides the data a row is rendered from: the templates (`pages.page_format`) and the
    API's serializers."""
    digest = hashlib.sha256(f"{ROW_CODE_VERSION}:{page_format()}".encode())
    digest.update(inspect.getsource(serializers).encode())
    return digest.hexdigest()[:32]


def render_rows(entries: list[PublishedEntry]) -> None:
    """Render the entries' rows onto them; each needs its agency (with its region) and its cycle (with the
    provinces' terms) loaded."""
    template = get_template("publication/parts/entry.html")
    # One serializer for them all: a ModelSerializer builds its fields anew for each instance.
    summaries = serializers.ReportSummarySerializer(entries, many=True, context={}).data
    for entry, summary in zip(entries, summaries, strict=True):
        entry.list_item = template.render({"entry": entry})
        entry.summary = dict(summary)
        entry.row_format = row_format()


def _with_what_rows_show(entries):
    return entries.select_related("agency__region", "cycle").prefetch_related("cycle__provincial_settings__province")


def fresh(entries: list[PublishedEntry]) -> list[PublishedEntry]:
    """The entries of a page, their rows rendered again and kept where they were rendered otherwise."""
    stale = [entry.report_id for entry in entries if entry.row_format != row_format()]
    if not stale:
        return entries
    again = {
        entry.report_id: entry
        for entry in _with_what_rows_show(PublishedEntry.objects.filter(report_id__in=stale)).defer("body")
    }
    render_rows(list(again.values()))
    for entry in again.values():
        # Kept only if the entry is still the version rendered: a publication meanwhile has rendered its own.
        PublishedEntry.objects.filter(report_id=entry.report_id, revision_id=entry.revision_id).update(
            **{field: getattr(entry, field) for field in ROW_FIELDS}
        )
    for entry in entries:
        if entry.report_id in again:
            for field in ROW_FIELDS:
                setattr(entry, field, getattr(again[entry.report_id], field))
    return entries


def render_stale_rows(*, batch_size: int = 500) -> int:
    """Render and keep the rows of every entry rendered otherwise (after an upgrade, or marked outdated);
    returns how many."""
    rendered, last = 0, 0
    stale = PublishedEntry.objects.exclude(row_format=row_format()).defer("body", "figures").order_by("report_id")
    while batch := list(_with_what_rows_show(stale.filter(report_id__gt=last))[:batch_size]):
        render_rows(batch)
        PublishedEntry.objects.bulk_update(batch, ROW_FIELDS)
        rendered += len(batch)
        last = batch[-1].report_id
    return rendered


def summaries(entries: list[PublishedEntry], request: HttpRequest) -> list[dict]:
    """The API's summaries of the entries, their addresses on the site the request came to."""
    site = request.build_absolute_uri("/")[:-1]
    return [
        {**entry.summary, **{field: site + entry.summary[field] for field in URL_FIELDS}} for entry in fresh(entries)
    ]
