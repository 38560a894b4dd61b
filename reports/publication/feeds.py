"""An Atom feed of new publications: each first publication and each correction, newest first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Publication, Report

ITEMS = 50


class NewPublications(Feed):
    feed_type = Atom1Feed
    title = _("法治政府建设年度报告：新公开的报告")
    subtitle = _("各机关新公开的年度报告和对已公开报告的更正。")

    def link(self) -> str:
        return reverse("publication:home")

    def items(self) -> QuerySet:
        return (
            Publication.objects.filter(report__in=Report.objects.published())
            .select_related("report__agency", "report__cycle")
            .annotate(document_title=KeyTextTransform("title", "revision__content"))
            .defer("revision__content")
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_title(self, publication: Publication) -> str:
        title = f"{publication.report.agency.name}：{publication.document_title}"
        return title if publication.number == 1 else f"{title}（第{publication.number}版，更正）"

    def item_description(self, publication: Publication) -> str:
        if publication.number == 1:
            return _("%(year)s年度报告首次公开。") % {"year": publication.report.cycle.year}
        return _("更正说明：%(note)s") % {"note": publication.change_note}

    def item_link(self, publication: Publication) -> str:
        report = publication.report
        if publication.revision_id == report.published_revision_id:
            return reverse("publication:report", args=[report.cycle.year, report.agency.code])
        return reverse("publication:version", args=[report.cycle.year, report.agency.code, publication.number])

    def item_guid(self, publication: Publication) -> str:
        report = publication.report
        return reverse("publication:version", args=[report.cycle.year, report.agency.code, publication.number])

    item_guid_is_permalink = False

    def item_pubdate(self, publication: Publication):
        return publication.published_at

    def item_updateddate(self, publication: Publication):
        return publication.published_at
