"""What else a stored report page shows: the agency's name and region, and the cycle's deadlines (a province may
move its own). When staff change those, the pages they appear on are marked to be rendered again when next read
(`pages.stored_response`), and `check_upgrade` counts them until then. An agency's kept pages (`agency_pages`) see
a changed agency in their facts; a changed cycle or province's terms forgets them all (it happens a few times a
year)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from reports.agencies.models import Agency
from reports.filing.models import ProvincialCycleSettings, ReportingCycle
from reports.publication.models import StoredAgencyPage, StoredPage

OUTDATED = ""


def _agency_changed(sender, instance: Agency, **kwargs) -> None:
    StoredPage.objects.filter(report__agency=instance).update(page_format=OUTDATED)


def _cycle_changed(sender, instance: ReportingCycle, **kwargs) -> None:
    StoredPage.objects.filter(report__cycle=instance).update(page_format=OUTDATED)
    StoredAgencyPage.objects.all().delete()


def _provincial_terms_changed(sender, instance: ProvincialCycleSettings, **kwargs) -> None:
    StoredPage.objects.filter(report__cycle_id=instance.cycle_id).update(page_format=OUTDATED)
    StoredAgencyPage.objects.all().delete()


def connect() -> None:
    post_save.connect(_agency_changed, sender=Agency, dispatch_uid="stored_pages_agency")
    post_save.connect(_cycle_changed, sender=ReportingCycle, dispatch_uid="stored_pages_cycle")
    post_save.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
    post_delete.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
