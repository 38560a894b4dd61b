"""What the public side copies from rows that staff change on the floors below (the console, filing, the admin),
kept in step when they change:

- a stored report page shows the agency's name and region and the cycle's deadlines (a province may move its
  own): the pages they appear on are marked to be rendered again when next read (`pages.stored_response`), and
  `check_upgrade` counts them until then; an agency's kept pages (`agency_pages`) see a changed agency in their
  facts, and a changed cycle or province's terms forgets them all (it happens a few times a year);
- the compliance board's standings and counts (`standings`) hold each agency's name, kind and divisions and
  whether it published on time by its province's deadline: an agency added, changed or removed, a division
  renamed or moved, a cycle opened or its dates or a province's changed are taken in, in the same transaction.

A region, a cycle or a province's own terms for it saved or removed moves the public side's generation on, so
that the lists' filters and the board offer the years, terms and regions as they are (`places`) and no cached
page shows the old.

The same changes mark the entries' stored rows in the lists outdated, rendered again when next read (`listing`);
the entries copy where their agency stands (its region, the regions above it, its level and kind) to be listed by
it, so when an agency or a region moves its entries move to their new lists in the same transaction
(`services.relist_entries`).

Bulk writes send no post_save: an import of agencies sends `agencies_imported`; anything else written past these
(a raw fixture, an `update()`) is put right by `rebuild_public_index`, and `check_upgrade` counts it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete

from reports.agencies.models import Agency, Region
from reports.agencies.signals import agencies_imported
from reports.filing.models import ProvincialCycleSettings, ReportingCycle
from reports.publication import places, standings
from reports.publication.cache import bump_generation_now_and_on_commit
from reports.publication.listing import OUTDATED as ROW_OUTDATED
from reports.publication.models import PublishedEntry, StoredAgencyPage, StoredPage
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
    StoredAgencyPage.objects.all().delete()


def _provincial_terms_changed(sender, instance: ProvincialCycleSettings, **kwargs) -> None:
    StoredPage.objects.filter(report__cycle_id=instance.cycle_id).update(page_format=OUTDATED)
    PublishedEntry.objects.filter(cycle_id=instance.cycle_id).update(row_format=ROW_OUTDATED)
    StoredAgencyPage.objects.all().delete()


def _place_agency(sender, instance: Agency, raw: bool = False, **kwargs) -> None:
    if not raw:
        standings.place_agencies(Agency.objects.filter(pk=instance.pk))


def _place_imported(sender, agency_ids: list[int], **kwargs) -> None:
    standings.place_agencies(Agency.objects.filter(pk__in=agency_ids))
    _peers_joined()


def _peers_joined(sender=None, instance: Agency | None = None, created: bool = True, **kwargs) -> None:
    # A comparison shows the agency's peers: a new agency may be one of them.
    if created:
        StoredAgencyPage.objects.filter(address__contains="/compare/").delete()


def _remove_agency(sender, instance: Agency, **kwargs) -> None:
    standings.remove_agency(instance)


def _place_region(sender, instance: Region, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        standings.place_agencies(Agency.objects.within(instance))


def _restate_cycle(sender, instance: ReportingCycle, raw: bool = False, **kwargs) -> None:
    if not raw:
        standings.restate_cycle(instance)


def _restate_terms(sender, instance: ProvincialCycleSettings, raw: bool = False, origin=None, **kwargs) -> None:
    # Deleted with their cycle: the cycle's standings go with it.
    cycle_deleted = isinstance(origin, ReportingCycle) or (
        isinstance(origin, QuerySet) and origin.model is ReportingCycle
    )
    if not raw and not cycle_deleted:
        standings.restate_cycle(instance.cycle)


def _places_changed(sender, **kwargs) -> None:
    # The lists offer the years and regions, which each process keeps under the generation (`places`), and
    # every cached public page showing a region's name or a cycle's deadlines is kept under it too.
    places.forget()
    transaction.on_commit(places.forget)
    bump_generation_now_and_on_commit()


def connect() -> None:
    post_save.connect(_agency_changed, sender=Agency, dispatch_uid="stored_pages_agency")
    post_save.connect(_region_changed, sender=Region, dispatch_uid="public_entries_region")
    post_save.connect(_cycle_changed, sender=ReportingCycle, dispatch_uid="stored_pages_cycle")
    post_save.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
    post_delete.connect(_provincial_terms_changed, sender=ProvincialCycleSettings, dispatch_uid="stored_pages_terms")
    post_save.connect(_place_agency, sender=Agency, dispatch_uid="standings_agency")
    post_save.connect(_peers_joined, sender=Agency, dispatch_uid="kept_comparisons_agency")
    agencies_imported.connect(_place_imported, sender=Agency, dispatch_uid="standings_imported")
    pre_delete.connect(_remove_agency, sender=Agency, dispatch_uid="standings_agency_removed")
    post_save.connect(_place_region, sender=Region, dispatch_uid="standings_region")
    post_save.connect(_restate_cycle, sender=ReportingCycle, dispatch_uid="standings_cycle")
    post_save.connect(_restate_terms, sender=ProvincialCycleSettings, dispatch_uid="standings_terms")
    post_delete.connect(_restate_terms, sender=ProvincialCycleSettings, dispatch_uid="standings_terms")
    for sender in (Region, ReportingCycle, ProvincialCycleSettings):
        post_save.connect(_places_changed, sender=sender, dispatch_uid="public_places")
        post_delete.connect(_places_changed, sender=sender, dispatch_uid="public_places")
