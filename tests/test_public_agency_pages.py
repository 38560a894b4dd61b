"""An agency's pages (its reports over the years, the comparison, the API's report) are kept in the database and
served on a cache miss while the reports and agencies they show are as they were; any change shows at once."""

import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.filing import services
from reports.publication import agency_pages
from reports.publication.models import StoredAgencyPage
from tests.publishing import (
    correct,
    forget_cached_pages,
    published_report,
    report_from_snapshot,
    snapshot,
    withdraw,
)


def read(client, url, **extra):
    """A reader's request after every cached page was forgotten: a miss of the page cache."""
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_an_agency_page_read_once_is_served_again_from_the_database_without_rendering(
    client, places, cycle, sx_filer, sx_reviewer
):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first, rendering_queries = read(client, "/agencies/sx-yjglt/")
    assert first.templates
    again, queries = read(client, "/agencies/sx-yjglt/")
    assert again.status_code == 200
    assert not again.templates
    assert again.content == first.content
    assert "2024年度" in again.content.decode()
    # The kept page, the facts it is checked against, and the validators' latest change (then cached).
    assert queries <= 5 < rendering_queries
    assert "public" in again["Cache-Control"]


def test_a_new_year_a_correction_and_a_withdrawal_show_on_the_agency_page_at_once(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    read(client, "/agencies/sx-yjglt/")
    earlier = snapshot(places.sx_emergency, 2023)
    report_from_snapshot(places.sx_emergency, services.open_cycle(year=2023), earlier, datetime.date(2024, 3, 20))
    page = read(client, "/agencies/sx-yjglt/")[0].content.decode()
    assert "2023年度" in page and "2024年度" in page
    correct(report, sx_filer, sx_second_reviewer, text="更正后的职责情况。", note="更正了表述。")
    # The corrected version is another revision: the kept page no longer holds and is rendered again.
    assert read(client, "/agencies/sx-yjglt/")[0].templates
    assert not read(client, "/agencies/sx-yjglt/")[0].templates
    withdraw(report, sx_reviewer)
    page = read(client, "/agencies/sx-yjglt/")[0].content.decode()
    assert "2023年度" in page
    assert "/published/2024/sx-yjglt/" not in page


def test_a_page_kept_before_a_withdrawal_is_never_served_after_it(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    read(client, "/agencies/sx-yjglt/")
    read(client, "/api/v1/reports/2024/sx-yjglt/")
    kept = list(StoredAgencyPage.objects.all())
    assert len(kept) == 2
    withdraw(report, sx_reviewer)
    # Put back as a missed removal would leave them: the facts no longer hold, so they are not served.
    StoredAgencyPage.objects.all().delete()
    StoredAgencyPage.objects.bulk_create(kept)
    assert "/published/2024/sx-yjglt/" not in read(client, "/agencies/sx-yjglt/")[0].content.decode()
    assert read(client, "/api/v1/reports/2024/sx-yjglt/")[0].status_code == 410


def test_a_page_rendered_while_a_report_it_shows_was_withdrawn_is_not_kept(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    ids = [places.sx_emergency.pk]
    before = agency_pages.facts_of(ids)
    rendered = client.get("/agencies/sx-yjglt/", HTTP_COOKIE="")
    StoredAgencyPage.objects.all().delete()
    withdraw(report, sx_reviewer)
    agency_pages._keep_when_rendered(rendered, "http://testserver/agencies/sx-yjglt/", ids, before)
    assert not StoredAgencyPage.objects.exists()


def test_a_peer_publishing_shows_on_the_comparison_and_chosen_years_are_rendered_each_time(
    client, places, cycle, sx_filer, sx_reviewer
):
    agency = places.sx_emergency
    report_from_snapshot(agency, services.open_cycle(year=2023), snapshot(agency, 2023), datetime.date(2024, 3, 20))
    published_report(agency, cycle, sx_filer, sx_reviewer)
    first = read(client, "/agencies/sx-yjglt/compare/")[0].content.decode()
    assert "河北省应急管理厅" in first
    peer = snapshot(places.hb_emergency, 2024, rulings={"defendant_new": 9, "defendant_lost": 3})
    report_from_snapshot(places.hb_emergency, cycle, peer, datetime.date(2025, 3, 20))
    page, _queries = read(client, "/agencies/sx-yjglt/compare/")
    hebei = page.content.decode().split('id="peers-heading"')[1].split("河北省应急管理厅")[1].split("</tr>")[0]
    assert "<td>9</td><td>3</td>" in hebei
    again, _queries = read(client, "/agencies/sx-yjglt/compare/")
    assert not again.templates
    chosen, _queries = read(client, "/agencies/sx-yjglt/compare/?from=2023&to=2024")
    assert chosen.templates
    assert StoredAgencyPage.objects.filter(address__contains="compare").count() == 1


def test_an_agency_renamed_shows_on_its_kept_page(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    read(client, "/agencies/sx-yjglt/")
    places.sx_emergency.name = "山西省应急管理厅（新名称）"
    places.sx_emergency.save()
    assert "山西省应急管理厅（新名称）" in read(client, "/agencies/sx-yjglt/")[0].content.decode()


def test_the_api_report_is_kept_per_host_so_its_links_name_the_host_the_reader_came_by(
    client, places, cycle, sx_filer, sx_reviewer, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.gov.cn"]
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    read(client, "/api/v1/reports/2024/sx-yjglt/")
    here, _queries = read(client, "/api/v1/reports/2024/sx-yjglt/")
    assert not hasattr(here, "data")
    assert here.json()["url"] == "http://testserver/published/2024/sx-yjglt/"
    there, _queries = read(client, "/api/v1/reports/2024/sx-yjglt/", HTTP_HOST="portal.example.gov.cn")
    assert there.json()["url"] == "http://portal.example.gov.cn/published/2024/sx-yjglt/"
    assert StoredAgencyPage.objects.count() == 2


def test_staff_with_a_session_are_never_served_or_stored_a_kept_page(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_filer)
    response, _queries = read(client, "/agencies/sx-yjglt/")
    assert response.templates
    assert not StoredAgencyPage.objects.exists()


def test_pages_nobody_has_read_can_be_kept_beforehand_for_the_site_s_address(
    client, places, cycle, sx_filer, sx_reviewer
):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    call_command("rebuild_public_index", "--pages-only", "--agency-pages", "http://testserver", stdout=io.StringIO())
    assert StoredAgencyPage.objects.filter(address="http://testserver/agencies/sx-yjglt/").exists()
    for path in ["/agencies/sx-yjglt/", "/agencies/sx-yjglt/compare/"]:
        response, _queries = read(client, path)
        assert response.status_code == 200, path
        assert not response.templates, path
    api, _queries = read(client, "/api/v1/reports/2024/sx-yjglt/")
    # Served as kept: a plain response, not one DRF's serializer made.
    assert api.status_code == 200 and not hasattr(api, "data")
    assert api.json()["agency"]["code"] == "sx-yjglt"
    assert read(client, "/agencies/sx-yjglt/")[0].content.decode().count("2024年度") >= 1


def test_a_parameter_a_page_does_not_read_cannot_make_every_request_a_miss(
    client, places, cycle, sx_filer, sx_reviewer
):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    for path in ["/", "/feed/", "/agencies/sx-yjglt/"]:
        first, _queries = read(client, path)
        with CaptureQueriesContext(connection) as queries:
            busting = client.get(f"{path}?nocache=12345&utm_source=x")
        assert busting.status_code == 200
        assert busting.content == first.content, path
        assert not busting.templates, path
        # The home page and the feed from the page cache; the agency's page from its kept row at the front door
        # (reports.publication.door): the row and its agency's facts.
        assert len(queries) == (2 if path.startswith("/agencies/") else 0), path
    # A page that reads its query string is not one page under any: the comparison of two chosen years.
    with CaptureQueriesContext(connection) as queries:
        client.get("/agencies/sx-yjglt/compare/?from=2023")
    assert len(queries) > 0


def test_an_agency_added_among_the_peers_shows_on_the_kept_comparisons(client, places, cycle, sx_filer, sx_reviewer):
    from reports.agencies.models import Agency, AgencyKind, Level, Region

    agency = places.sx_emergency
    report_from_snapshot(agency, services.open_cycle(year=2023), snapshot(agency, 2023), datetime.date(2024, 3, 20))
    published_report(agency, cycle, sx_filer, sx_reviewer)
    assert "内蒙古自治区应急管理厅" not in read(client, "/agencies/sx-yjglt/compare/")[0].content.decode()
    region = Region.objects.create(code="150000", name="内蒙古自治区", level=Level.PROVINCE)
    Agency.objects.create(code="nm-yjglt", name="内蒙古自治区应急管理厅", region=region, kind=AgencyKind.DEPARTMENT)
    assert "内蒙古自治区应急管理厅" in read(client, "/agencies/sx-yjglt/compare/")[0].content.decode()
