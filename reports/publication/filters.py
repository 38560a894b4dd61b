"""The filters of the public lists, shared by the pages, the API and the CSV: they live in the URL."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency, AgencyKind, Level, Region
from reports.filing.models import ReportingCycle
from reports.publication.models import PublishedEntry, listing_key
from reports.publication.search import COUNT_LIMIT, search_terms

MAX_QUERY_CHARS = 50


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in ReportingCycle.objects.order_by("-year").values_list("year", flat=True)]


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_CHARS,
        help_text=_("在全文中查找；多个词用空格分开，须同时出现。"),
    )
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=year_choices, coerce=int)
    region = django_filters.ModelChoiceFilter(
        label=_("地区"),
        queryset=Region.objects.all(),
        to_field_name="code",
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
        data = self.form.cleaned_data
        if data.get("q") or data.get("agency"):
            return super().filter_queryset(queryset)
        region = data.get("region")
        key = listing_key(
            year=data.get("year") or None,
            level=data.get("level") or "",
            kind=data.get("kind") or "",
            region_code=region.code if region else "",
        )
        return queryset.filter(listings__key=key).order_by("-listings__published_at", "-listings__entry")

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


class CountedPaginator(Paginator):
    """Pages of a filtered list, newest first, counted up to COUNT_LIMIT like a search's: counting every report a
    broad filter matches costs a scan of them all on each new filter, and no reader pages past the first thousand
    (the page then says there are more and asks for narrower filters)."""

    @cached_property
    def found(self) -> int:
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.found > COUNT_LIMIT
