"""sitemap.xml: every public report's permanent address and every agency with a public report."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from reports.agencies.models import Agency
from reports.publication.models import PublishedEntry

# Pages of 5,000 addresses (the protocol allows 50,000) keep each sitemap page quick to build.
PAGE = 5000


class ReportSitemap(Sitemap):
    limit = PAGE

    def items(self) -> QuerySet:
        entries = PublishedEntry.objects.public().select_related("agency")
        return entries.only("year", "published_at", "agency__code").order_by("report_id")

    def location(self, entry: PublishedEntry) -> str:
        return reverse("publication:report", args=[entry.year, entry.agency.code])

    def lastmod(self, entry: PublishedEntry):
        return entry.published_at


class AgencySitemap(Sitemap):
    limit = PAGE

    def items(self) -> QuerySet:
        public = PublishedEntry.objects.public().values("agency")
        return Agency.objects.filter(pk__in=public).order_by("pk")

    def location(self, agency: Agency) -> str:
        return reverse("publication:agency", args=[agency.code])


class PageSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["publication:home", "publication:browse", "publication:compliance", "publication:open_data"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"reports": ReportSitemap, "agencies": AgencySitemap, "pages": PageSitemap}
