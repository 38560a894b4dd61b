import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import yaml

from reports.filing import services
from tests.publishing import (
    correct,
    first_published_on,
    published_report,
    report_from_snapshot,
    snapshot,
    withdraw,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def published(places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    sx = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="山西职责情况。")
    cz = published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer, text="长治职责情况。")
    first_published_on(sx, datetime.date(2025, 3, 30))
    first_published_on(cz, datetime.date(2025, 4, 3))
    return sx, cz


def test_the_api_lists_published_reports_newest_first_with_their_addresses(client, published):
    data = client.get("/api/v1/reports/").json()
    assert data["count"] == 2
    assert data["more_than_count"] is False
    first, second = data["results"]
    assert first["agency"]["code"] == "cz-yjglj"
    assert first["on_time"] is False
    assert second["on_time"] is True
    assert second["agency"]["region"] == {"code": "140000", "name": "山西省", "level": "province"}
    assert second["url"] == "http://testserver/published/2024/sx-yjglt/"
    assert second["pdf_url"] == "http://testserver/published/2024/sx-yjglt.pdf"
    assert second["publication_deadline"] == "2025-04-01"


def test_the_api_takes_the_same_filters_as_the_pages(client, published):
    assert [r["agency"]["code"] for r in client.get("/api/v1/reports/?region=140400").json()["results"]] == ["cz-yjglj"]
    assert client.get("/api/v1/reports/?level=province&kind=department").json()["count"] == 1
    assert client.get("/api/v1/reports/?year=2024&agency=sx-yjglt").json()["count"] == 1
    assert [r["agency"]["code"] for r in client.get("/api/v1/reports/?q=山西职责").json()["results"]] == ["sx-yjglt"]
    assert client.get("/api/v1/reports/?unknown=1").json()["count"] == 2


def test_bad_api_parameters_are_a_400_that_says_which(client, published):
    for query, field in [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=2", "page"),
        ("page_size=101", "page_size"),
        ("page_size=-1", "page_size"),
        ("year=abc", "year"),
        ("region=999999", "region"),
        ("kind=ministry", "kind"),
        ("region=%00", "region"),
        ("q=%00", "q"),
    ]:
        response = client.get(f"/api/v1/reports/?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), query


def test_the_api_pages_with_a_chosen_page_size(client, published):
    data = client.get("/api/v1/reports/?page_size=1&page=2").json()
    assert data["count"] == 2
    assert [r["agency"]["code"] for r in data["results"]] == ["sx-yjglt"]
    assert data["next"] is None
    assert "page_size=1" in data["previous"]


def test_a_report_in_the_api_has_its_versions_figures_and_text(client, published, sx_filer, sx_second_reviewer, places):
    correct(published[0], sx_filer, sx_second_reviewer, text="更正后的山西职责情况。", note="更正了职责情况。")
    data = client.get("/api/v1/reports/2024/sx-yjglt/").json()
    assert [(v["number"], v["change_note"], v["is_current"]) for v in data["versions"]] == [
        (1, "", False),
        (2, "更正了职责情况。", True),
    ]
    duties = next(s for s in data["document"]["sections"] if s["key"] == "duties")
    assert duties["text"] == ["更正后的山西职责情况。"]
    assert data["figures"]["indicators"] == []


def test_a_withdrawn_report_in_the_api_is_gone_with_its_reason(client, published, cz_reviewer):
    withdraw(published[1], cz_reviewer, reason="数据有误。")
    response = client.get("/api/v1/reports/2024/cz-yjglj/")
    assert response.status_code == 410
    assert response.json()["withdrawal_reason"] == "数据有误。"
    assert "长治职责情况" not in response.content.decode()
    assert client.get("/api/v1/reports/2024/nobody/").status_code == 404


def test_the_api_is_described_by_an_openapi_schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    listing = schema["paths"]["/api/v1/reports/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "q",
        "year",
        "region",
        "level",
        "kind",
        "agency",
        "page",
        "page_size",
    }
    assert "/api/v1/reports/{year}/{code}/" in schema["paths"]


def test_the_indicators_download_as_csv_one_figure_a_row(client, places):
    content = snapshot(
        places.sx_emergency,
        2023,
        measures={
            "chapters": [
                {
                    "heading": "",
                    "points": [
                        {
                            "heading": "执法",
                            "paragraphs": ["检查企业19.2万家。"],
                            "indicators": [{"name": "检查企业", "value": "19.2", "unit": "万家"}],
                        }
                    ],
                }
            ]
        },
        rulings={"defendant_new": 5, "defendant_lost": None},
    )
    report_from_snapshot(places.sx_emergency, services.open_cycle(year=2023), content, datetime.date(2024, 3, 1))
    response = client.get("/open-data/indicators.csv?year=2023")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff年度,机关代码")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][:2] == ["2023", "sx-yjglt"]
    assert [row[8:12] for row in rows[1:]] == [
        ["defendant_new", "作为被告的行政诉讼（新收）", "5", "件"],
        ["", "检查企业", "19.2", "万家"],
    ]
    assert rows[1][-1] == "http://testserver/published/2023/sx-yjglt/"
    assert client.get("/open-data/indicators.csv?year=abc").status_code == 400


def test_the_feed_lists_each_publication_and_correction(client, published, sx_filer, sx_second_reviewer):
    correct(published[0], sx_filer, sx_second_reviewer, text="更正后的山西职责情况。", note="更正了职责情况。")
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[0] == "山西省应急管理厅：关于2024年度法治政府建设情况的报告（第2版，更正）"
    assert len(titles) == 3
    assert "更正说明：更正了职责情况。" in entries[0].find(f"{ATOM}summary").text
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/published/2024/sx-yjglt/"
    older = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert "http://testserver/published/2024/sx-yjglt/v1/" in older


def test_the_sitemap_lists_every_public_report_and_agency(client, published):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-reports.xml" in sections
    reports = ET.fromstring(client.get("/sitemap-reports.xml").content)
    urls = {loc.text for loc in reports.iter(f"{SITEMAP}loc")}
    assert urls == {"http://testserver/published/2024/sx-yjglt/", "http://testserver/published/2024/cz-yjglj/"}
    agencies = ET.fromstring(client.get("/sitemap-agencies.xml").content)
    assert {loc.text for loc in agencies.iter(f"{SITEMAP}loc")} == {
        "http://testserver/agencies/sx-yjglt/",
        "http://testserver/agencies/cz-yjglj/",
    }


def test_open_data_responses_run_a_bounded_number_of_queries(client, published, django_assert_max_num_queries):
    for url in ["/api/v1/reports/", "/api/v1/reports/2024/sx-yjglt/", "/feed/", "/sitemap-reports.xml"]:
        # At most 8 of their own; the API's report on this first read also keeps itself (the kept row, the
        # agency, its facts before and after, the keeping: reports.publication.agency_pages).
        with django_assert_max_num_queries(11):
            assert client.get(url).status_code == 200, url
