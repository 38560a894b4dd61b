"""The filters of the public lists, shared by the pages, the API and the CSV: they live in the URL."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency, AgencyKind, Level, Region
from reports.filing.models import Report, ReportState
from reports.publication.models import EntryListing, PublishedEntry, listing_key
from reports.publication.places import RegionField, places
from reports.publication.search import COUNT_LIMIT, search_terms

MAX_QUERY_CHARS = 50


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in places().years]


class RegionFilter(django_filters.Filter):
    field_class = RegionField


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_CHARS,
        help_text=_("在全文中查找；多个词用空格分开，须同时出现。"),
    )
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=year_choices, coerce=int)
    region = RegionFilter(
        label=_("地区"),
        method="filter_region",
        help_text=_("行政区划代码，含下级地区，如 140000。"),
    )
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices, field_name="agency__region__level")
    kind = django_filters.ChoiceFilter(label=_("机关类别"), choices=AgencyKind.choices, field_name="agency__kind")
    agency = django_filters.ModelChoiceFilter(
        label=_("机关"), queryset=Agency.objects.all(), to_field_name="code", help_text=_("机关代码，如 sx-yjglt。")
    )

    class Meta:
        model = PublishedEntry
        fields = ["q", "year", "region", "level", "kind", "agency"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The years read once: as a callable, the form field asked the database each time it read its choices.
        self.filters["year"].extra["choices"] = year_choices()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """A list of year, level, kind and region, newest first: the entries of its `EntryListing` key, in the
        listing's order (one walk along its index). A search, or an agency's few reports, by the filters' joins
        (the search's plans were chosen with them, see `search`)."""
        if self.listing is None:
            return super().filter_queryset(queryset)
        return queryset.filter(listings__key=self.listing).order_by("-listings__published_at", "-listings__entry")

    @property
    def listing(self) -> int | None:
        """The `EntryListing` key of a valid list of year, level, kind and region (`Listed`); None for a search
        or an agency's reports."""
        data = self.form.cleaned_data
        if data.get("q") or data.get("agency"):
            return None
        region = data.get("region")
        return listing_key(
            year=data.get("year") or None,
            level=data.get("level") or "",
            kind=data.get("kind") or "",
            region_code=region.code if region else "",
        )

    def filter_q(self, entries: QuerySet, name: str, value: str) -> QuerySet:
        """Validated here, applied by the caller: a page through search.SearchPaginator, which plans the query,
        and a whole set (the CSV) through search.matching."""
        return entries

    def filter_region(self, entries: QuerySet, name: str, value: Region) -> QuerySet:
        return entries.filter(agency__region__in=Region.objects.within(value))

    @property
    def terms(self) -> list[str]:
        return search_terms(self.form.cleaned_data.get("q") or "") if self.is_valid() else []

    def error_text(self) -> str:
        return "；".join(f"{self.form.fields[name].label}：{' '.join(errors)}" for name, errors in self.errors.items())


def public_entries() -> QuerySet:
    entries = (
        PublishedEntry.objects.public()
        .select_related("agency__region", "cycle")
        .prefetch_related("cycle__provincial_settings__province")
    )
    return entries.order_by("-published_at", "-report_id")


class Listed:
    """The public entries of one list of year, level, kind and region (its `EntryListing` key), newest first, as
    a paginator reads them: a page of their stored rows (`listing.READ_FIELDS`) and a count up to a cap, each by
    one plain query; over 100,000 reports, compiling the ORM's queries cost more than PostgreSQL took to answer
    them.

    Both find their places along the listing's index alone, and only the page's entries are joined to their
    reports, as `PublishedEntry.public` joins them: an entry goes with its listings when its report is withdrawn,
    and the join, which hides a withdrawn report whose entry a missed refresh left behind, made the count and a
    deep page (the 50th skips 980 places) read every skipped report's row. Such a report leaves a gap in its
    page rather than moving the later ones up."""

    PAGE_SQL = """
WITH place AS (
    SELECT entry_id, published_at FROM {listing} WHERE key = %s
    ORDER BY published_at DESC, entry_id DESC LIMIT %s OFFSET %s
)
SELECT e.report_id, e.revision_id, e.published_at, e.list_item, e.summary, e.row_format
FROM place
JOIN {entry} e ON e.report_id = place.entry_id
JOIN {report} r ON r.id = e.report_id
WHERE r.withdrawn_at IS NULL AND r.state <> %s
ORDER BY place.published_at DESC, place.entry_id DESC
"""
    COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM {listing} WHERE key = %s LIMIT %s) AS counted"

    def __init__(self, key: int) -> None:
        self.key = key

    def __getitem__(self, window: slice) -> list[PublishedEntry]:
        sql = self.PAGE_SQL.format(
            listing=EntryListing._meta.db_table, entry=PublishedEntry._meta.db_table, report=Report._meta.db_table
        )
        params = [self.key, window.stop - window.start, window.start, ReportState.WITHDRAWN]
        return list(PublishedEntry.objects.raw(sql, params))

    def count_up_to(self, limit: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.COUNT_SQL.format(listing=EntryListing._meta.db_table), [self.key, limit])
            return cursor.fetchone()[0]


class CountedPaginator(Paginator):
    """Pages of a filtered list, newest first, counted up to COUNT_LIMIT like a search's: counting every report a
    broad filter matches costs a scan of them all on each new filter, and no reader pages past the first thousand
    (the page then says there are more and asks for narrower filters). The entries are a queryset or, for a
    list of year, level, kind and region, `Listed`."""

    @cached_property
    def found(self) -> int:
        if isinstance(self.object_list, Listed):
            return self.object_list.count_up_to(COUNT_LIMIT + 1)
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.found > COUNT_LIMIT
