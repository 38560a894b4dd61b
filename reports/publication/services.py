"""Keeping the public entries in step with what the public may read, and with them the compliance board's
standings (`standings`). The only writes of this app, with the board's `signals`."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, QuerySet, Sum

from reports.agencies.models import Agency, Region
from reports.filing.document import compose_document
from reports.filing.models import Publication, Report
from reports.publication.cache import bump_generation, bump_generation_now_and_on_commit
from reports.publication.indicators import figures_of
from reports.publication.listing import ROW_FIELDS, render_rows, render_stale_rows, row_format
from reports.publication.models import EntryListing, PublishedEntry, listing_keys
from reports.publication.pages import store_pages
from reports.publication.search import searchable_text, tsvector_literal
from reports.publication.standings import rebuild_standings, refresh_standing

ENTRY_FIELDS = [
    "revision",
    "agency",
    "cycle",
    "year",
    "title",
    "published_at",
    "first_published_at",
    "version",
    "body",
    "figures",
    "level",
    "kind",
    "region_path",
]
STANDING = ["level", "kind", "region_path"]


def _public_reports():
    return (
        Report.objects.published()
        .select_related("cycle", "published_revision", "agency__region__parent__parent")
        .prefetch_related("cycle__provincial_settings__province")
    )


@transaction.atomic
def refresh_search_entry(report: Report) -> None:
    """Make the report's public entry match what the public may read of it now: its published version, or
    nothing once it is withdrawn. Filing calls this in the transaction that publishes, corrects or withdraws;
    every public page shows the change as soon as that transaction commits. The report's version pages are
    rendered and stored here too (`pages.store_pages`), or removed with its entry, and its agency's standing on
    the compliance board brought in step (`standings.refresh_standing`)."""
    current = _public_reports().filter(pk=report.pk).order_by("pk").first()
    if current is None:
        PublishedEntry.objects.filter(report_id=report.pk).delete()
    else:
        _save_entries([current])
    store_pages(report.pk)
    refresh_standing(report)
    bump_generation_now_and_on_commit()


def rebuild_search_index(*, everything: bool = False, batch_size: int = 500) -> tuple[int, int]:
    """Bring every entry in step with the published reports, and the compliance board's standings and counts
    with them (`standings.rebuild_standings`); returns (entries written, entries removed).

    Only entries whose published version changed are rewritten, and the rows of those rendered otherwise
    (`listing`), unless `everything` (after a change to what an entry holds)."""
    removed, _ = PublishedEntry.objects.exclude(report__in=Report.objects.published()).delete()
    reports = _public_reports().order_by("pk")
    if not everything:
        reports = reports.exclude(public_entry__revision=F("published_revision"))
    written, last = 0, 0
    while batch := list(reports.filter(pk__gt=last)[:batch_size]):
        with transaction.atomic():
            _save_entries(batch)
        written += len(batch)
        last = batch[-1].pk
    written += render_stale_rows()
    rebuild_standings()
    bump_generation()
    return written, removed


def entries_out_of_step(*, batch_size: int = 500) -> tuple[int, int]:
    """What the public index lacks after an upgrade or a missed refresh: (behind, differing).

    `behind` counts published reports without an entry of their published version, entries of reports no
    longer public and entries whose rows in the lists were rendered otherwise (`rebuild_search_index()` puts
    them right); `differing`, entries of the right version that
    this code would write differently, as after an upgrade that changes what an entry holds
    (`rebuild_search_index(everything=True)`)."""
    behind = PublishedEntry.objects.exclude(report__in=Report.objects.published()).count()
    behind += _public_reports().exclude(public_entry__revision=F("published_revision")).count()
    behind += PublishedEntry.objects.exclude(row_format=row_format()).count()
    reports = _public_reports().filter(public_entry__revision=F("published_revision")).order_by("pk")
    differing, last = 0, 0
    while batch := list(reports.filter(pk__gt=last)[:batch_size]):
        stored = PublishedEntry.objects.in_bulk([report.pk for report in batch])
        expected = _entries(batch)
        columns = [PublishedEntry._meta.get_field(field).attname for field in ENTRY_FIELDS]
        differ = {
            entry.report_id
            for entry in expected
            if any(getattr(entry, column) != getattr(stored[entry.report_id], column) for column in columns)
        }
        if connection.vendor == "postgresql":
            differ |= _bigrams_differ(expected)
        differ |= _lists_differ(expected)
        differing += len(differ)
        last = batch[-1].pk
    return behind, differing


def _lists_differ(entries: list[PublishedEntry]) -> set[int]:
    """The entries whose listing rows are not the ones they should have: compared by their number, the sum of
    their keys and their time, which any missing, extra or stale row changes."""
    stored = {
        row["entry"]: (row["rows"], row["keys"], row["first"], row["last"])
        for row in EntryListing.objects.filter(entry__in=[entry.report_id for entry in entries])
        .values("entry")
        .annotate(rows=Count("key"), keys=Sum("key"), first=Min("published_at"), last=Max("published_at"))
    }
    expected = {
        entry.report_id: (len(keys), sum(keys), entry.published_at, entry.published_at)
        for entry in entries
        for keys in [listing_keys(entry)]
    }
    return {report_id for report_id, figures in expected.items() if stored.get(report_id) != figures}


def _bigrams_differ(entries: list[PublishedEntry]) -> set[int]:
    rows = ", ".join(["(%s, %s::tsvector)"] * len(entries))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.report_id FROM {PublishedEntry._meta.db_table} e JOIN (VALUES {rows}) AS v(id, bigrams) "
            "ON e.report_id = v.id WHERE e.search_bigrams IS DISTINCT FROM v.bigrams",
            [value for entry in entries for value in (entry.report_id, tsvector_literal(entry.body))],
        )
        return {report_id for (report_id,) in cursor.fetchall()}


def _entries(reports: list[Report]) -> list[PublishedEntry]:
    versions = {
        row["report"]: row
        for row in Publication.objects.filter(report__in=reports)
        .values("report")
        .annotate(first=Min("published_at"), last=Max("published_at"), count=Count("pk"))
    }
    entries = [_entry(report, versions.get(report.pk, {})) for report in reports]
    render_rows(entries)
    return entries


def _save_entries(reports: list[Report]) -> None:
    entries = _entries(reports)
    PublishedEntry.objects.bulk_create(
        entries, update_conflicts=True, unique_fields=["report"], update_fields=[*ENTRY_FIELDS, *ROW_FIELDS]
    )
    _list(entries)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {PublishedEntry._meta.db_table} SET search_bigrams = %s::tsvector WHERE report_id = %s",
                [(tsvector_literal(entry.body), entry.report_id) for entry in entries],
            )


def _list(entries: list[PublishedEntry]) -> None:
    """Put the entries in their lists (`EntryListing`), in place of wherever they were."""
    EntryListing.objects.filter(entry__in=[entry.report_id for entry in entries]).delete()
    rows = [
        EntryListing(key=key, published_at=entry.published_at, entry_id=entry.report_id)
        for entry in entries
        for key in sorted(listing_keys(entry))
    ]
    EntryListing.objects.bulk_create(rows, batch_size=5000)


def _standing(agency: Agency) -> dict[str, str]:
    """What an entry copies of where its agency stands (see PublishedEntry)."""
    codes, region = [], agency.region
    while region is not None:
        codes.append(region.code)
        region = region.parent
    return {"level": agency.region.level, "kind": agency.kind, "region_path": "/".join(reversed(codes))}


@transaction.atomic
def relist_entries(entries: QuerySet) -> int:
    """After an agency moved to another region or kind, or a region under another region or level: bring the
    entries' copy of where their agency stands, and so their lists, in step. Returns how many moved."""
    moved = []
    chosen = entries.select_related("agency__region__parent__parent").defer("body", "figures")
    for entry in chosen.order_by("pk").iterator(chunk_size=2000):
        standing = _standing(entry.agency)
        if any(getattr(entry, field) != value for field, value in standing.items()):
            for field, value in standing.items():
                setattr(entry, field, value)
            moved.append(entry)
    for start in range(0, len(moved), 500):
        batch = moved[start : start + 500]
        PublishedEntry.objects.bulk_update(batch, STANDING)
        _list(batch)
    if moved:
        bump_generation_now_and_on_commit()
    return len(moved)


def relist_agency(agency: Agency) -> int:
    return relist_entries(PublishedEntry.objects.filter(agency=agency))


def relist_region(region: Region) -> int:
    return relist_entries(PublishedEntry.objects.filter(agency__region__in=Region.objects.within(region)))


def _entry(report: Report, versions: dict) -> PublishedEntry:
    snapshot = report.published_revision.content
    published_at = report.published_at or versions["last"]
    return PublishedEntry(
        report=report,
        revision_id=report.published_revision_id,
        agency=report.agency,
        cycle=report.cycle,
        year=report.cycle.year,
        title=snapshot.get("title", ""),
        published_at=published_at,
        first_published_at=versions.get("first") or published_at,
        version=versions.get("count") or 1,
        body=searchable_text(compose_document(snapshot).plain_text()),
        figures=figures_of(snapshot),
        **_standing(report.agency),
    )
