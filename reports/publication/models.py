from django.db import models
from django.db.models import F

from reports.agencies.models import Agency, AgencyKind, Level, Region
from reports.filing.models import Report, ReportingCycle, ReportRevision, ReportState
from reports.publication.forms import ON_TIME


class PublishedEntryQuerySet(models.QuerySet):
    def public(self) -> "PublishedEntryQuerySet":
        """Entries whose report has not been withdrawn.

        The entries are kept in step by `services.refresh_search_entry`; this join makes a missed refresh hide a
        withdrawn report rather than show it. (A missed refresh after a correction leaves the previous version,
        which was public too. Comparing the revisions here as well made PostgreSQL misjudge every list's size.)
        """
        return self.filter(report__withdrawn_at__isnull=True).exclude(report__state=ReportState.WITHDRAWN)


class PublishedEntry(models.Model):
    """One report as the public may read it: what lists, search, feeds and open data read.

    Derived from the report's published snapshot (never from a draft) by `services.refresh_search_entry`.
    On PostgreSQL the table also has a `search_bigrams` tsvector column (bigrams and trigrams) with a GIN index,
    which the model does not declare (see `search`).
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, primary_key=True, related_name="public_entry")
    revision = models.ForeignKey(ReportRevision, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    version = models.PositiveIntegerField()
    body = models.TextField()
    figures = models.JSONField(default=dict)
    # Where the agency stands, copied so that the entry's lists (`EntryListing`) follow from the entry alone:
    # its region's level, its kind, and the codes of its region and the regions above it, the province first.
    level = models.CharField(max_length=16, choices=Level.choices)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    region_path = models.CharField(max_length=32)
    # The entry's row in the lists as rendered, and by what (`listing`).
    list_item = models.TextField(default="")
    summary = models.JSONField(default=dict)
    row_format = models.CharField(max_length=32, default="")

    objects = PublishedEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(F("published_at").desc(), F("report").desc(), name="entry_newest_first"),
            models.Index(F("year"), F("published_at").desc(), name="entry_year_newest_first"),
            models.Index(fields=["agency", "year"], name="entry_agency_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.agency_id} v{self.version}"

    @property
    def terms(self):
        """The cycle's dates as they hold for this agency's province."""
        return self.cycle.terms_for(self.agency.region)

    @property
    def on_time(self) -> bool:
        """First made public by the province's deadline (a later correction does not make it late)."""
        return self.terms.published_on_time(self.first_published_at)


LEVEL_DIGITS = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3}
KIND_DIGITS = {AgencyKind.GOVERNMENT: 1, AgencyKind.DEPARTMENT: 2, AgencyKind.JUSTICE: 3}


def listing_key(*, year: int | None = None, level: str = "", kind: str = "", region_code: str = "") -> int:
    """The list of the entries of that year, level, kind and region (its divisions included); empty is any.
    In decimal it reads as the filters: 2024_3_2_140400 is 2024's county (3) departments (2) under 140400
    长治市, 0_0_0_140000 everything under 山西省, 0 every report. Region codes are six digits (GB/T 2260)."""
    level_digit = LEVEL_DIGITS[level] if level else 0
    kind_digit = KIND_DIGITS[kind] if kind else 0
    return (((year or 0) * 10 + level_digit) * 10 + kind_digit) * 1_000_000 + int(region_code or 0)


class EntryListing(models.Model):
    """One filtered list a public entry is in, with its place there: for every combination of its year, level,
    kind and region (or a region above it), each either given or any, a row, up to 32 an entry.

    A list page of those filters is then one short walk back along the primary key's index, (key, newest first),
    stopping at the end of the page, and counting a list up to its cap reads that many index entries; with the
    filters applied as joins instead, PostgreSQL walked or sorted every report until it had found a page of
    matches (a narrow combination, such as a province's own governments, has a handful among 100,000). Written
    with the entry by `services` (`relist_entries` when an agency or region moves), removed with it.
    """

    pk = models.CompositePrimaryKey("key", "published_at", "entry")
    key = models.BigIntegerField()
    published_at = models.DateTimeField()
    entry = models.ForeignKey(PublishedEntry, on_delete=models.CASCADE, related_name="listings")

    def __str__(self) -> str:
        return f"{self.key} {self.entry_id}"


def listing_keys(entry: PublishedEntry) -> set[int]:
    """Every list the entry is in."""
    regions = ["", *entry.region_path.split("/")] if entry.region_path else [""]
    return {
        listing_key(year=year, level=level, kind=kind, region_code=region)
        for year in (entry.year, None)
        for level in (entry.level, "")
        for kind in (entry.kind, "")
        for region in regions
    }


class StoredPage(models.Model):
    """One published version's page as a reader without a session sees it, rendered once when it is published
    (again when a newer version is published, its PDF becomes ready or this code's templates change) and served
    as it is on a cache miss: one indexed query, no template rendering. See `pages`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(ReportRevision, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    agency_code = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    # The report's published version: read at /published/<year>/<code>/ (its /v<n>/ address redirects there).
    is_current = models.BooleanField()
    content_hash = models.CharField(max_length=64)
    pdf_status = models.CharField(max_length=16)
    # What rendered it: templates, static files and footer settings (`pages.page_format`); another means stale.
    page_format = models.CharField(max_length=64)
    html = models.TextField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_stored_page_per_version")]
        indexes = [models.Index(fields=["year", "agency_code", "number"], name="stored_page_address")]

    def __str__(self) -> str:
        return f"{self.year} {self.agency_code} v{self.number}"


class StoredAgencyPage(models.Model):
    """An agency's page, its comparison or its report in the API, as a reader without a session got it at this
    address, kept with the facts of the agencies it shows and served while they hold. See `agency_pages`."""

    # Scheme, host and path: the API's links are absolute.
    address = models.CharField(max_length=400, unique=True)
    agencies = models.JSONField()
    facts = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    body = models.TextField()
    page_format = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.address


class ComplianceStanding(models.Model):
    """Where one agency stands on one cycle's compliance board, kept ready so a board page is one short walk of an
    index (`standings`): when the public may first have read its report (None while it reads none), whether it
    was withdrawn, and so on time, late or missing by its province's deadline. Copies what the board orders and
    filters by (the agency's name, kind and division, and the divisions that division lies in) from the agency.

    Kept in step by `standings`: at each publication, correction and withdrawal, when an agency is added, moved,
    renamed or removed, when a division moves, and when a cycle's or a province's deadline changes."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    region_code = models.CharField(max_length=6)
    region_name = models.CharField(max_length=64)
    # The divisions its region lies in, from the top (a province, a city, a county: they nest three deep), the
    # region itself the last one given. A board of a division at depth n reads the agencies whose tier n it is.
    tier1 = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    tier2 = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    tier3 = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    first_published_at = models.DateTimeField(null=True)
    withdrawn = models.BooleanField(default=False)
    status = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "cycle"], name="one_standing_per_agency_and_cycle")]
        indexes = [
            models.Index(
                fields=["cycle", *scope, *status, "region_code", "kind", "name", "agency"], name=f"standing_{name}"
            )
            for scope, scope_name in [([], "all"), (["tier1"], "t1"), (["tier2"], "t2"), (["tier3"], "t3")]
            for status, name in [([], scope_name), (["status"], f"{scope_name}_status")]
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.code} {self.status}"

    @property
    def on_time(self) -> bool:
        return self.status == ON_TIME


class ComplianceCount(models.Model):
    """The board's counts of one division for one cycle, kept in step with the standings (`standings`): its
    agencies at every level under it, and those of its own level (本级), with how many made the year's report public
    on time and late."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    agencies = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    own_agencies = models.IntegerField(default=0)
    own_on_time = models.IntegerField(default=0)
    own_late = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "region"], name="one_count_per_cycle_and_region")]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.region_id} {self.agencies}"
