"""The compliance board's figures kept ready, so that a board page over 100,000 reports is one short walk of an
index and one small read instead of a count of every agency and report (`compliance`).

- `ComplianceStanding`: one row per cycle and agency, with what the board shows, orders and filters by: when the
  public may first have read the year's report, whether it was withdrawn, and so on time, late or missing.
- `ComplianceCount`: one row per cycle and division, its agencies at every level under it and at its own, with
  how many of them made the report public on time and late.

The rule is the board's own: an agency has made the year's report public when it has a public entry
(`PublishedEntry.public`); on time when it was first made public before its province's cutoff
(`ReportingCycle.terms_for`, `CycleTerms.published_on_time`); a withdrawn report counts as not published.

Where each change is taken in:
- a report made public, corrected or withdrawn: `services.refresh_search_entry` calls `refresh_standing`;
- an agency added, renamed, moved or removed, a division renamed or moved, a cycle opened, a cycle's or a
  province's dates changed: `signals` (these are written on the floors below: filing, the console, the admin);
- `services.rebuild_search_index` (and so `rebuild_public_index`) puts every standing and count right, and
  `standings_out_of_step` counts what it would change (`check_upgrade`).

Counts move by increments in the writing transaction (`n = n + d`), so that concurrent publications add up, and
their rows are locked in one order (by division). A writer holds its cycles' rows FOR SHARE; a restatement of a
whole cycle (new dates, a rebuild) holds it FOR UPDATE, so it never interleaves with a publication.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet

from reports.agencies.models import Agency, Region
from reports.filing.models import CycleTerms, Report, ReportingCycle
from reports.publication.forms import LATE, MISSING, ON_TIME
from reports.publication.models import ComplianceCount, ComplianceStanding, PublishedEntry


class Row(NamedTuple):
    """A standing's columns, in the order of `COLUMNS`."""

    code: str
    name: str
    kind: str
    region_id: int
    region_code: str
    region_name: str
    tier1_id: int
    tier2_id: int | None
    tier3_id: int | None
    first_published_at: datetime.datetime | None
    withdrawn: bool
    status: str

    @property
    def tiers(self) -> list[int]:
        return [tier for tier in (self.tier1_id, self.tier2_id, self.tier3_id) if tier is not None]


COLUMNS = list(Row._fields)
COUNTS = ["agencies", "on_time", "late", "own_agencies", "own_on_time", "own_late"]


class _Place(NamedTuple):
    code: str
    name: str
    tiers: tuple[int | None, int | None, int | None]


def _places(region_ids: Iterable[int] | None = None) -> dict[int, _Place]:
    """Each division's code, name and the divisions it lies in from the top, itself the last (three deep)."""
    rows = Region.objects.values_list("pk", "code", "name", "parent_id", "parent__parent_id")
    if region_ids is not None:
        rows = rows.filter(pk__in=list(region_ids))
    places = {}
    for pk, code, name, parent, grandparent in rows:
        tiers = [tier for tier in (grandparent, parent, pk) if tier is not None]
        places[pk] = _Place(code, name, tuple(tiers + [None] * (3 - len(tiers))))
    return places


def expected_rows(cycle: ReportingCycle, agencies: QuerySet | None = None) -> dict[int, Row]:
    """What the standings of these agencies (every agency when None) on the cycle should hold, by agency id."""
    scope = Agency.objects.all() if agencies is None else agencies
    listed = list(scope.values_list("pk", "code", "name", "kind", "region_id"))
    entries = PublishedEntry.objects.public().filter(year=cycle.year)
    withdrawn = Report.objects.withdrawn().filter(cycle=cycle)
    if agencies is not None:
        entries, withdrawn = entries.filter(agency__in=scope), withdrawn.filter(agency__in=scope)
    first = dict(entries.values_list("agency_id", "first_published_at"))
    taken_down = set(withdrawn.values_list("agency_id", flat=True))
    places = _places(None if agencies is None else {row[4] for row in listed})
    terms: dict[int, CycleTerms] = {}
    rows = {}
    for pk, code, name, kind, region_id in listed:
        place = places[region_id]
        if region_id not in terms:
            terms[region_id] = cycle.terms_for(Region(pk=region_id, code=place.code))
        published = first.get(pk)
        if published is None:
            status = MISSING
        else:
            status = ON_TIME if terms[region_id].published_on_time(published) else LATE
        rows[pk] = Row(
            code, name, kind, region_id, place.code, place.name, *place.tiers, published, pk in taken_down, status
        )
    return rows


def stored_rows(cycle: ReportingCycle, agency_ids: list[int] | None = None, *, lock: bool = False) -> dict[int, Row]:
    standings = ComplianceStanding.objects.filter(cycle=cycle)
    if agency_ids is not None:
        standings = standings.filter(agency_id__in=agency_ids)
    if lock:
        standings = standings.select_for_update()
    return {pk: Row(*values) for pk, *values in standings.order_by("agency_id").values_list("agency_id", *COLUMNS)}


def _hold(cycles: list[ReportingCycle], *, exclusive: bool) -> None:
    """Lock the cycles' rows: shared by writers of a few standings, exclusive for a whole cycle's restatement."""
    if connection.vendor != "postgresql" or not cycles:
        return
    mode = "UPDATE" if exclusive else "SHARE"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {ReportingCycle._meta.db_table} WHERE id = ANY(%s) ORDER BY id FOR {mode}",
            [sorted(cycle.pk for cycle in cycles)],
        )


def _tally(rows: Iterable[Row], sign: int, into: dict[int, list[int]]) -> None:
    for row in rows:
        figures = (sign, sign * (row.status == ON_TIME), sign * (row.status == LATE))
        for tier in row.tiers:
            counts = into.setdefault(tier, [0] * 6)
            for i, figure in enumerate(figures):
                counts[i] += figure
        own = into[row.region_id]
        for i, figure in enumerate(figures):
            own[3 + i] += figure


def _add_counts(cycle: ReportingCycle, deltas: dict[int, list[int]]) -> None:
    table = ComplianceCount._meta.db_table
    columns = ", ".join(COUNTS)
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTS)
    values = [(cycle.pk, region, *delta) for region, delta in sorted(deltas.items()) if any(delta)]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (cycle_id, region_id, {columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                f"ON CONFLICT (cycle_id, region_id) DO UPDATE SET {added}",
                values,
            )


def _write(cycle: ReportingCycle, stored: dict[int, Row], expected: dict[int, Row | None]) -> int:
    """Bring the standings of the agencies in `expected` (None: no standing) from `stored` to `expected`, and the
    counts with them; the number of standings changed."""
    changed = [pk for pk, row in expected.items() if stored.get(pk) != row]
    if not changed:
        return 0
    ComplianceStanding.objects.filter(cycle=cycle, agency_id__in=changed).delete()
    ComplianceStanding.objects.bulk_create(
        [
            ComplianceStanding(cycle=cycle, agency_id=pk, **expected[pk]._asdict())
            for pk in changed
            if expected[pk] is not None
        ],
        batch_size=2000,
    )
    deltas: dict[int, list[int]] = {}
    _tally((stored[pk] for pk in changed if pk in stored), -1, deltas)
    _tally((expected[pk] for pk in changed if expected[pk] is not None), 1, deltas)
    _add_counts(cycle, deltas)
    return len(changed)


def _update(cycles: Iterable[ReportingCycle], agencies: QuerySet) -> int:
    cycles = sorted(cycles, key=lambda cycle: cycle.pk)
    _hold(cycles, exclusive=False)
    changed = 0
    for cycle in cycles:
        expected: dict[int, Row | None] = dict(expected_rows(cycle, agencies))
        stored = stored_rows(cycle, list(expected), lock=True)
        changed += _write(cycle, stored, expected)
    return changed


@transaction.atomic
def refresh_standing(report: Report) -> int:
    """The report's agency's standing on its cycle, after the report was published, corrected or withdrawn."""
    return _update(ReportingCycle.objects.filter(pk=report.cycle_id), Agency.objects.filter(pk=report.agency_id))


@transaction.atomic
def place_agencies(agencies: QuerySet) -> int:
    """The agencies' standings on every cycle, after they were added, renamed or moved (or their division was)."""
    return _update(ReportingCycle.objects.all(), agencies)


@transaction.atomic
def remove_agency(agency: Agency) -> int:
    """Take the agency off every board (before it is deleted)."""
    cycles = sorted(ReportingCycle.objects.all(), key=lambda cycle: cycle.pk)
    _hold(cycles, exclusive=False)
    return sum(_write(cycle, stored_rows(cycle, [agency.pk], lock=True), {agency.pk: None}) for cycle in cycles)


@transaction.atomic
def restate_cycle(cycle: ReportingCycle) -> int:
    """Every standing of the cycle as it should be, and its counts recounted from them: after the cycle was opened
    or its dates or a province's changed, or to put right whatever else it finds. The number of standings
    changed."""
    cycle = ReportingCycle.objects.get(pk=cycle.pk)
    _hold([cycle], exclusive=True)
    stored = stored_rows(cycle, lock=True)
    expected: dict[int, Row | None] = {pk: None for pk in stored}
    expected.update(expected_rows(cycle))
    changed = _write(cycle, stored, expected)
    _recount(cycle)
    return changed


def counts_from(rows: Iterable[Row]) -> dict[int, list[int]]:
    counts: dict[int, list[int]] = {}
    _tally(rows, 1, counts)
    return {region: figures for region, figures in counts.items() if any(figures)}


def stored_counts(cycle: ReportingCycle) -> dict[int, list[int]]:
    rows = ComplianceCount.objects.filter(cycle=cycle).values_list("region_id", *COUNTS)
    return {region: list(figures) for region, *figures in rows if any(figures)}


def _recount(cycle: ReportingCycle) -> None:
    """The cycle's counts made to match its standings (they differ only after a write that missed them)."""
    wanted, have = counts_from(stored_rows(cycle).values()), stored_counts(cycle)
    if wanted == have:
        return
    ComplianceCount.objects.filter(cycle=cycle).delete()
    ComplianceCount.objects.bulk_create(
        [
            ComplianceCount(cycle=cycle, region_id=region, **dict(zip(COUNTS, figures, strict=True)))
            for region, figures in wanted.items()
        ]
    )


def rebuild_standings() -> int:
    """Every cycle restated (`restate_cycle`), each in its own transaction; the number of standings changed."""
    return sum(restate_cycle(cycle) for cycle in ReportingCycle.objects.order_by("year"))


def standings_out_of_step() -> int:
    """How many standings and counts `rebuild_standings` would change."""
    differing = 0
    for cycle in ReportingCycle.objects.order_by("year"):
        stored, expected = stored_rows(cycle), expected_rows(cycle)
        differing += sum(1 for pk in stored.keys() | expected.keys() if stored.get(pk) != expected.get(pk))
        wanted, have = counts_from(expected.values()), stored_counts(cycle)
        differing += sum(1 for region in wanted.keys() | have.keys() if wanted.get(region) != have.get(region))
    return differing
