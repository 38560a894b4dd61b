from django.db import models
from django.db.models import F

from reports.agencies.models import Agency
from reports.filing.models import Report, ReportingCycle, ReportRevision, ReportState


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
