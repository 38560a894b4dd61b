"""The indicators of the published reports as CSV, one row per figure, with the filters of the lists."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.publication.filters import ReportFilter, public_entries
from reports.publication.indicators import counting_sections, indicators_of
from reports.publication.models import PublishedEntry
from reports.publication.search import matching

BATCH = 2000


class _Line:
    """A file-like object for csv.writer that hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def header() -> list[str]:
    return [
        _("年度"),
        _("机关代码"),
        _("机关名称"),
        _("行政区划代码"),
        _("地区"),
        _("层级"),
        _("机关类别"),
        _("指标类别"),
        _("指标代码"),
        _("指标"),
        _("数值"),
        _("单位"),
        _("报告网址"),
    ]


def rows(entry: PublishedEntry, url: str) -> Iterator[list]:
    agency, region = entry.agency, entry.agency.region
    start = [entry.year, agency.code, agency.name, region.code, region.name, region.get_level_display()]
    start.append(agency.get_kind_display())
    for section in counting_sections():
        counts = entry.figures.get(section.key) if isinstance(entry.figures, dict) else None
        for key, value in (counts or {}).items():
            yield [*start, section.counts.title, key, section.counts.label(key), value, section.counts.unit, url]
    for indicator in indicators_of(entry.figures):
        yield [*start, _("主要举措和成效"), "", indicator.name, indicator.value, indicator.unit, url]


def indicators_csv(request: HttpRequest) -> HttpResponse:
    filters = ReportFilter(request.GET, queryset=public_entries().defer("body"))
    if not filters.is_valid():
        return HttpResponse(filters.error_text(), status=400, content_type="text/plain; charset=utf-8")
    base = request.build_absolute_uri("/")[:-1]

    def lines() -> Iterator[str]:
        writer = csv.writer(_Line())
        # The byte-order mark makes spreadsheet programs read the file as UTF-8.
        yield "\ufeff" + writer.writerow(header())
        for entry in matching(filters.qs, filters.terms).iterator(chunk_size=BATCH):
            url = base + reverse("publication:report", args=[entry.year, entry.agency.code])
            for row in rows(entry, url):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indicators.csv"'
    return response
