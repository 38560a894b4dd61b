"""A province's own cycle settings are the answer for its agencies only: an earlier due date makes Shanxi's
agencies late while Hebei's, on the national dates, are not."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reports.agencies.models import AgencyKind, Role
from reports.filing.models import ProvincialCycleSettings, Report, ReportingCycle
from reports.notifications.models import Notification
from reports.publication import compliance
from reports.review.progress import agencies_in, progress_rows
from reports.workflow import actions
from reports.workflow.reminders import send_due_reminders
from tests.factories import filer_of, fill_required_sections, make_user, reviewer_of
from tests.publishing import first_published_on, published_report

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def early_shanxi(cycle, places):
    """Shanxi asks for its reports by 1 February and their publication by 1 March (national: 1 March, 1 April)."""
    return ProvincialCycleSettings.objects.create(
        cycle=cycle,
        province=places.shanxi,
        due_date=datetime.date(2025, 2, 1),
        publication_deadline=datetime.date(2025, 3, 1),
        requires_sign_off=False,
    )


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=SHANGHAI)


def fresh(cycle: ReportingCycle) -> ReportingCycle:
    return ReportingCycle.objects.get(pk=cycle.pk)


def test_the_terms_are_the_provinces_for_its_agencies_and_national_elsewhere(early_shanxi, cycle, places):
    cycle = fresh(cycle)
    for region in (places.shanxi, places.changzhi, places.lucheng):
        terms = cycle.terms_for(region)
        assert (terms.due_date, terms.publication_deadline) == (datetime.date(2025, 2, 1), datetime.date(2025, 3, 1))
    hebei = cycle.terms_for(places.hebei)
    assert (hebei.due_date, hebei.publication_deadline, hebei.requires_sign_off) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 4, 1),
        False,
    )


def test_a_report_submitted_after_the_provinces_due_date_is_late_there_and_on_time_elsewhere(
    early_shanxi, cycle, places
):
    shanxi = Report.objects.create(
        agency=places.cz_emergency, cycle=cycle, title="t", submitted_at=at("2025-02-10T09:00")
    )
    hebei = Report.objects.create(
        agency=places.hb_emergency, cycle=cycle, title="t", submitted_at=at("2025-02-10T09:00")
    )
    assert Report.objects.get(pk=shanxi.pk).submitted_late
    assert not Report.objects.get(pk=hebei.pk).submitted_late


def test_the_reviewers_progress_counts_days_late_from_the_provinces_date(early_shanxi, cycle, places):
    rows = progress_rows(agencies_in(places.sx_justice), fresh(cycle), datetime.date(2025, 2, 11))
    assert {row.days_late for row in rows} == {10}
    hebei_justice = places.hb_emergency.__class__.objects.create(
        code="hb-sft", name="河北省司法厅", region=places.hebei, kind=AgencyKind.JUSTICE
    )
    rows = progress_rows(agencies_in(hebei_justice), fresh(cycle), datetime.date(2025, 2, 11))
    assert {row.days_late for row in rows} == {0}


def test_reminders_count_down_to_each_provinces_own_due_date(early_shanxi, cycle, places):
    make_user("cz-filer", places.cz_emergency)
    make_user("hb-filer", places.hb_emergency)
    assert send_due_reminders(datetime.date(2025, 1, 25)) == 1  # 7 days before Shanxi's 1 February
    reminded = Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list(
        "recipient__username", flat=True
    )
    assert list(reminded) == ["cz-filer"]
    assert "2025年2月1日" in Notification.objects.get(recipient__username="cz-filer").body
    assert send_due_reminders(datetime.date(2025, 2, 22)) == 1  # 7 days before the national 1 March
    assert Notification.objects.filter(recipient__username="hb-filer").exists()


def test_the_provinces_sign_off_rule_holds_for_its_agencies_only(early_shanxi, cycle, places):
    early_shanxi.requires_sign_off = True
    early_shanxi.save()
    shanxi_report = fill_required_sections(actions_start(places.cz_emergency, cycle))
    actions.submit_report(report=shanxi_report, by=make_user("cz-f", places.cz_emergency))
    hebei_report = fill_required_sections(actions_start(places.hb_emergency, cycle))
    actions.submit_report(report=hebei_report, by=make_user("hb-f", places.hb_emergency))
    assert Report.objects.get(pk=shanxi_report.pk).state == "awaiting_sign_off"
    assert Report.objects.get(pk=hebei_report.pk).state == "submitted"


def actions_start(agency, cycle):
    from reports.filing.services import start_report

    return start_report(agency=agency, cycle=cycle)


def test_the_public_on_time_mark_and_board_use_each_provinces_deadline(early_shanxi, cycle, places, client):
    # Published on 15 March: after Shanxi's 1 March, before the national 1 April.
    shanxi, _hebei = (
        first_published_on(
            published_report(agency, cycle, filer_of(agency), reviewer_of(agency)), datetime.date(2025, 3, 15)
        )
        for agency in (places.cz_emergency, places.sx_government)
    )
    # Saved as the console and the admin save it: the board's standings are restated with the new dates.
    early_shanxi.province = places.hebei
    early_shanxi.save()
    cycle = fresh(cycle)
    # Now Hebei has the early dates; Shanxi's two reports are on the national dates, so on time.
    _overall, by_region = compliance.board_counts(cycle, None)
    counts = {row.region.code: row.counts for row in by_region}
    assert (counts["140000"].on_time, counts["140000"].late) == (2, 0)
    early_shanxi.province = places.shanxi
    early_shanxi.save()
    cycle = fresh(cycle)
    _overall, by_region = compliance.board_counts(cycle, None)
    counts = {row.region.code: row.counts for row in by_region}
    assert (counts["140000"].on_time, counts["140000"].late) == (0, 2)
    assert {a.code for a in compliance.agency_rows(cycle, None, "late")} == {"cz-yjglj", "sx-zf"}
    page = client.get(f"/published/{cycle.year}/{shanxi.agency.code}/").content.decode()
    assert "2025年3月1日" in page


def test_a_report_published_after_a_provinces_deadline_is_late_while_another_provinces_is_not(
    early_shanxi, cycle, places, client
):
    hebei_justice = places.hb_emergency.__class__.objects.create(
        code="hb-sft", name="河北省司法厅", region=places.hebei, kind=AgencyKind.JUSTICE
    )
    make_user("hb-sft-reviewer", hebei_justice, Role.REVIEWER)
    reports = {
        agency.code: first_published_on(
            published_report(agency, cycle, filer_of(agency), reviewer_of(agency)), datetime.date(2025, 3, 15)
        )
        for agency in (places.cz_emergency, places.hb_emergency)
    }
    cycle = fresh(cycle)
    on_time = {row.code: row.on_time for row in compliance.agency_rows(cycle, None, "") if row.first_published_at}
    assert on_time == {"cz-yjglj": False, "hb-yjglt": True}
    shanxi_page = client.get(f"/published/{cycle.year}/cz-yjglj/").content.decode()
    hebei_page = client.get(f"/published/{cycle.year}/hb-yjglt/").content.decode()
    assert "2025年3月1日" in shanxi_page and "2025年4月1日" in hebei_page
    assert reports["cz-yjglj"].public_entry.on_time is False
    assert reports["hb-yjglt"].public_entry.on_time is True


def test_the_report_page_shows_the_provinces_due_date(early_shanxi, client, places, cycle):
    filer = make_user("cz-page", places.cz_emergency, Role.FILER)
    report = actions_start(places.cz_emergency, cycle)
    client.force_login(filer)
    page = client.get(f"/work/reports/{report.pk}/").content.decode()
    assert "2025年2月1日" in page
    assert timezone.localdate() > datetime.date(2025, 2, 1) and "已逾期" in page
