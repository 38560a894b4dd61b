"""What else a stored report page shows: the agency's name and region, and the cycle's deadlines (a province may
move its own). When staff change those, the pages they appear on are marked to be rendered again when next read
(`pages.stored_response`), and `check_upgrade` counts them until then.

The same changes mark the entries' stored rows in the lists outdated, rendered again when next read (`listing`).
The public entries copy where their agency stands (its region, the regions above it, its level and kind) to be
listed by it: when an agency or a region moves, its entries move to their new lists in the same transaction
(`services.relist_entries`). The agencies and their regions are edited in the console and the admin, floors below
this one, hence signals."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from reports.agencies.models import Agency, Region
from reports.filing.models import ProvincialCycleSettings, ReportingCycle
from reports.publication.listing import OUTDATED as ROW_OUTDATED
from reports.publication.models import PublishedEntry, StoredPage
from reports.publication.services import relist_agency, relist_region

OUTDATED = ""


def _agency_changed(sender, instance: Agency, created: bool = False, **kwargs) -> None:
    if created:
        return
    StoredPage.objects.filter(report__agency=instance).update(page_format=OUTDATED)
    PublishedEntry.objects.filter(agency=instance).update(row_format=ROW_OUTDATED)
    relist_agency(instance)


def _region_changed(sender, instance: Region, created: bool = False, **kwargs) -> None:
    if created:
        return
    PublishedEntry.objects.filter(agency__region=instance).update(row_format=ROW_OUTDATED)
    relist_region(instance)


def _cycle_changed(sender, instance: ReportingCycle, **kwargs) -> None:
    StoredPage.objects.filter(report__cycle=instance).update(page_format=OUTDATED)
    PublishedEntry.objects.filter(cycle=instance).update(row_format=ROW_OUTDATED)


def _provincial_terms_changed(sender, instance: ProvincialCycleSettings, **kwargs) -> None:
    StoredPage.objects.filter(report__cycle_id=instance.cycle_id).update(page_format=OUTDATED)
    PublishedEntry.objects.filter(cycle_id=instance.cycle_id).update(row_format=ROW_OUTDATED)


def connect() -> None:
    post_save.connect(_agency_changed, sender=Agency, dispatch_uid="stored_pages_agency")
    post_save.connect(_region_changed, sender=Region, dispatch_uid="public_entries_region")
    post_save.connect(_cycle_changed, sender=ReportingCycle, dispatch_uid="stored_pages_cycle")
    post_save.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
    post_delete.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
