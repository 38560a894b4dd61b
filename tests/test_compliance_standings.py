"""The compliance board reads standings and counts kept ready (reports/publication/standings.py): whatever
changes, it must say exactly what the live computation over the agencies and public entries says. `live_counts`
and `live_rows` below are that computation, as the board ran it before the standings existed."""

import datetime
import random

import pytest
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone

from reports.agencies.models import Agency, AgencyKind, Level, Region
from reports.agencies.signals import agencies_imported
from reports.filing import services
from reports.filing.models import ProvincialCycleSettings, Publication, Report, ReportingCycle, ReportRevision
from reports.filing.snapshot import content_hash
from reports.publication import compliance, standings
from reports.publication.forms import LATE, MISSING, ON_TIME
from reports.publication.models import ComplianceCount, ComplianceStanding, PublishedEntry
from reports.publication.services import rebuild_search_index, refresh_search_entry
from tests.publishing import correct, published_report, report_from_snapshot, snapshot, withdraw

STATUSES = ["", ON_TIME, LATE, MISSING]


def _agencies(region):
    return Agency.objects.filter(region__in=Region.objects.within(region)) if region else Agency.objects.all()


def _on_time(cycle, region_field):
    return (
        cycle.agencies_where(lambda terms: Q(first_published_at__lt=terms.publication_cutoff), region_field),
        cycle.agencies_where(lambda terms: Q(first_published_at__gte=terms.publication_cutoff), region_field),
    )


def live_counts(cycle, region):
    regions = Region.objects.within(region) if region else Region.objects.all()
    parents = dict(regions.values_list("pk", "parent_id"))
    agencies = dict(_agencies(region).values("region").annotate(n=Count("pk")).values_list("region", "n"))
    entries = PublishedEntry.objects.public().filter(year=cycle.year, agency__region__in=list(parents))
    on_time, late = _on_time(cycle, "agency__region")
    published = {
        row["agency__region"]: row
        for row in entries.values("agency__region").annotate(
            on_time=Count("pk", filter=on_time), late=Count("pk", filter=late)
        )
    }
    top = region.pk if region else None
    sums = {}
    for region_id in parents:
        bucket = region_id
        while bucket != top and parents.get(bucket) != top:
            bucket = parents[bucket]
        row = published.get(region_id, {})
        total = sums.setdefault(bucket, [0, 0, 0])
        total[0] += agencies.get(region_id, 0)
        total[1] += row.get("on_time", 0)
        total[2] += row.get("late", 0)
    by_pk = {r.pk: r for r in Region.objects.filter(pk__in=list(sums)).order_by("code")}
    rows = [(r.code, tuple(sums[pk])) for pk, r in by_pk.items() if sums[pk][0]]
    rows.sort(key=lambda row: (row[0] != getattr(region, "code", None), row[0]))
    overall = tuple(sum(values[i] for values in sums.values()) for i in range(3))
    return overall, rows


def live_rows(cycle, region, status):
    first = PublishedEntry.objects.public().filter(agency=OuterRef("pk"), year=cycle.year)
    withdrawn = Report.objects.withdrawn().filter(agency=OuterRef("pk"), cycle=cycle)
    rows = (
        _agencies(region)
        .select_related("region")
        .annotate(first_published_at=Subquery(first.values("first_published_at")[:1]), withdrawn=Exists(withdrawn))
    )
    on_time, late = _on_time(cycle, "region")
    rows = rows.annotate(on_time=ExpressionWrapper(on_time, output_field=BooleanField()))
    if status == ON_TIME:
        rows = rows.filter(on_time)
    elif status == LATE:
        rows = rows.filter(late)
    elif status == MISSING:
        rows = rows.filter(first_published_at__isnull=True)
    rows = rows.order_by("region__code", "kind", "name")
    return [
        (a.code, a.name, a.region.name, a.first_published_at, a.withdrawn, bool(a.first_published_at and a.on_time))
        for a in rows
    ]


def board(cycle, region, status):
    region = Region.objects.select_related("parent__parent").get(pk=region.pk) if region else None
    overall, by_region = compliance.board_counts(cycle, region)
    counts = ((overall.total, overall.on_time, overall.late), [(r.region.code, astuple(r.counts)) for r in by_region])
    rows = [
        (a.code, a.name, a.region_name, a.first_published_at, a.withdrawn, a.on_time)
        for a in compliance.agency_rows(cycle, region, status)
    ]
    return counts, rows, overall.listed(status)


def astuple(counts):
    return (counts.total, counts.on_time, counts.late)


def assert_board_is_live():
    """Every cycle, the whole country and every division, every status: the same counts, rows and order."""
    for cycle in ReportingCycle.objects.all():
        for region in [None, *Region.objects.all()]:
            for status in STATUSES:
                counts, rows, listed = board(cycle, region, status)
                where = (cycle.year, getattr(region, "code", None), status)
                assert counts == live_counts(cycle, region), where
                assert rows == live_rows(cycle, region, status), where
                assert listed == len(rows), where
    assert standings.standings_out_of_step() == 0


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def corrected_on(report: Report, day: datetime.date) -> Report:
    """A further version published that day, as a correction writes it (the first publication stays first)."""
    number = report.publications.count() + 1
    content = {**report.published_revision.content, "title": f"更正后的报告 {number}"}
    revision = ReportRevision.objects.create(
        report=report, number=number, content=content, content_hash=content_hash(content)
    )
    Publication.objects.create(report=report, number=number, revision=revision, published_at=at(day))
    Report.objects.filter(pk=report.pk).update(published_revision=revision, published_at=at(day))
    refresh_search_entry(report)
    return report


def withdrawn_on(report: Report, day: datetime.date) -> Report:
    Report.objects.filter(pk=report.pk).update(withdrawn_at=at(day), withdrawal_reason="有误")
    refresh_search_entry(report)
    return report


@pytest.fixture
def shanxi_early(cycle, places):
    """Shanxi's agencies publish by 1 March 2025, everyone else by the national 1 April."""
    return ProvincialCycleSettings.objects.create(
        cycle=cycle,
        province=places.shanxi,
        due_date=datetime.date(2025, 2, 1),
        publication_deadline=datetime.date(2025, 3, 1),
    )


@pytest.fixture
def varied(places, cycle, shanxi_early):
    """On time, late by Shanxi's date but not by the nation's, late, withdrawn, corrected after the deadline,
    withdrawn and published again, in a province with its own date and one without; more agencies to order."""
    hebei_city = Region.objects.create(code="130100", name="石家庄市", level=Level.CITY, parent=places.hebei)
    county = Region.objects.create(code="130102", name="长安区", level=Level.COUNTY, parent=hebei_city)
    more = [
        Agency.objects.create(code=f"extra-{n}", name=name, region=region, kind=kind)
        for n, (name, region, kind) in enumerate(
            [
                ("石家庄市人民政府", hebei_city, AgencyKind.GOVERNMENT),
                ("石家庄市应急管理局", hebei_city, AgencyKind.DEPARTMENT),
                ("石家庄市司法局", hebei_city, AgencyKind.JUSTICE),
                ("长安区人民政府", county, AgencyKind.GOVERNMENT),
                ("长安区应急管理局", county, AgencyKind.DEPARTMENT),
                ("长治市自然资源局", places.changzhi, AgencyKind.DEPARTMENT),
                ("潞城区应急管理局", places.lucheng, AgencyKind.DEPARTMENT),
            ]
        )
    ]
    days = {
        places.sx_emergency: datetime.date(2025, 2, 20),  # on time
        places.cz_emergency: datetime.date(2025, 3, 15),  # late in Shanxi, on time elsewhere
        places.hb_emergency: datetime.date(2025, 3, 15),  # on time by the national date
        more[0]: datetime.date(2025, 4, 1),  # the last day: on time
        more[1]: datetime.date(2025, 4, 2),  # late
        more[3]: datetime.date(2025, 1, 10),  # corrected after the deadline: still on time
        more[4]: datetime.date(2025, 2, 1),  # withdrawn
        more[5]: datetime.date(2025, 3, 1),  # Shanxi's last day, withdrawn, published again late
        more[6]: datetime.date(2025, 5, 1),  # late
    }
    reports = {agency: report_from_snapshot(agency, cycle, snapshot(agency, 2024), day) for agency, day in days.items()}
    corrected_on(reports[more[3]], datetime.date(2025, 6, 1))
    withdrawn_on(reports[more[4]], datetime.date(2025, 3, 1))
    withdrawn_on(reports[more[5]], datetime.date(2025, 3, 5))
    corrected_on(reports[more[5]], datetime.date(2025, 4, 10))
    Report.objects.filter(pk=reports[more[5]].pk).update(withdrawn_at=None)
    refresh_search_entry(reports[more[5]])
    return more


def test_the_board_says_what_the_live_count_says_over_varied_reports(varied):
    assert_board_is_live()
    cycle = ReportingCycle.objects.get(year=2024)
    assert {row.code: row.status for row in ComplianceStanding.objects.filter(cycle=cycle, code__startswith="ex")} == {
        "extra-0": ON_TIME,
        "extra-1": LATE,
        "extra-2": MISSING,
        "extra-3": ON_TIME,
        "extra-4": MISSING,
        "extra-5": ON_TIME,
        "extra-6": LATE,
    }


def test_the_board_follows_the_workflows_publication_withdrawal_and_correction(
    places, cycle, sx_filer, sx_reviewer, cz_filer, cz_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert_board_is_live()
    withdraw(report, sx_reviewer)
    assert_board_is_live()
    correct(report, sx_filer, sx_reviewer, text="更正后的职责。", note="更正了职责")
    assert_board_is_live()
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    assert_board_is_live()


def test_the_board_follows_new_dates_for_a_cycle_or_a_province(varied, places, shanxi_early):
    shanxi_early.publication_deadline = datetime.date(2025, 3, 20)
    shanxi_early.save()
    assert_board_is_live()
    cycle = ReportingCycle.objects.get(year=2024)
    cycle.publication_deadline = datetime.date(2025, 3, 31)
    cycle.save()
    assert_board_is_live()
    ProvincialCycleSettings.objects.create(
        cycle=cycle, province=places.hebei, due_date=cycle.due_date, publication_deadline=datetime.date(2025, 3, 10)
    )
    assert_board_is_live()
    shanxi_early.delete()
    assert_board_is_live()


def test_the_board_follows_agencies_added_renamed_moved_and_removed(varied, places):
    added = Agency.objects.create(code="new-one", name="河北省自然资源厅", region=places.hebei, kind="department")
    assert_board_is_live()
    added.name, added.region = "潞城区自然资源局", places.lucheng
    added.save()
    assert_board_is_live()
    places.cz_emergency.region = places.hebei  # a published report's agency moves to another province
    places.cz_emergency.save()
    assert_board_is_live()
    added.delete()
    assert_board_is_live()
    imported = Agency.objects.bulk_create(
        [Agency(code=f"imported-{n}", name=f"长治市第{n}局", region=places.changzhi, kind="department") for n in (1, 2)]
    )
    agencies_imported.send(sender=Agency, agency_ids=[agency.pk for agency in imported])
    assert_board_is_live()


def test_the_board_follows_a_division_renamed_or_moved(varied, places):
    places.changzhi.name = "长治"
    places.changzhi.save()
    assert_board_is_live()
    places.changzhi.parent = places.hebei  # its county and their agencies go with it
    places.changzhi.save()
    assert_board_is_live()


def test_a_new_cycle_lists_every_agency_as_missing(varied):
    cycle = services.open_cycle(year=2025)
    assert ComplianceStanding.objects.filter(cycle=cycle).count() == Agency.objects.count()
    assert set(ComplianceStanding.objects.filter(cycle=cycle).values_list("status", flat=True)) == {MISSING}
    assert_board_is_live()


def test_the_board_says_what_the_live_count_says_over_random_reports(places, cycle, shanxi_early):
    rng = random.Random(15)
    regions = list(Region.objects.all())
    for n in range(60):
        kind = rng.choice(AgencyKind.values)
        Agency.objects.create(
            code=f"r{n}", name=f"机关{rng.randrange(1000):03d}{n}", region=rng.choice(regions), kind=kind
        )
    for agency in Agency.objects.all():
        if rng.random() < 0.7:
            day = datetime.date(2025, 2, 1) + datetime.timedelta(days=rng.randrange(90))
            report = report_from_snapshot(agency, cycle, snapshot(agency, 2024), day)
            if rng.random() < 0.2:
                corrected_on(report, day + datetime.timedelta(days=rng.randrange(1, 60)))
            if rng.random() < 0.15:
                withdrawn_on(report, day + datetime.timedelta(days=rng.randrange(1, 60)))
    assert_board_is_live()


def test_a_rebuild_puts_right_what_a_write_past_the_standings_left(varied, places):
    assert rebuild_search_index() == (0, 0)
    cycle = ReportingCycle.objects.get(year=2024)
    Agency.objects.filter(pk=places.sx_emergency.pk).update(name="改名未同步的机关")
    ComplianceCount.objects.filter(cycle=cycle, region=places.shanxi).update(on_time=99)
    ComplianceStanding.objects.filter(cycle=cycle, agency=places.hb_emergency).delete()
    assert standings.standings_out_of_step() == 3
    rebuild_search_index()
    assert_board_is_live()
