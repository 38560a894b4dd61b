"""A visitor's stored page is answered at the front door (reports.publication.door), before the session, CSRF,
user and staff middlewares, with exactly the response the whole way through Django gives."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.db.models import F
from django.test import Client, override_settings

from reports.filing import services
from reports.filing.models import ReportEvent
from reports.publication import board_pages, list_pages, pages
from reports.rendering.models import PdfRendition
from tests.publishing import (
    correct,
    first_published_on,
    forget_cached_pages,
    published_report,
    report_from_snapshot,
    snapshot,
    withdraw,
)

DOOR = "reports.publication.door.PublicDoor"
THE_WHOLE_WAY = [name for name in settings.MIDDLEWARE if name != DOOR]
# Different on every request, by design.
PER_REQUEST = {"x-request-id"}


@pytest.fixture
def two_years(places, cycle, sx_filer, sx_reviewer, sx_second_reviewer):
    """山西省应急管理厅 with 2023 and a corrected 2024 (a /v1/ page), every page kept once read."""
    agency = places.sx_emergency
    report_from_snapshot(agency, services.open_cycle(year=2023), snapshot(agency, 2023), datetime.date(2024, 3, 20))
    report = published_report(agency, cycle, sx_filer, sx_reviewer, text="第一版的职责情况。")
    correct(report, sx_filer, sx_second_reviewer, text="更正后的职责情况。", note="更正了表述。")
    return report


# Each stored page, and what a reader must find on it.
SHOWN = {
    "/published/2024/sx-yjglt/": "更正后的职责情况。",
    "/published/2024/sx-yjglt/v1/": "第一版的职责情况。",
    "/published/2023/sx-yjglt/": "2023年",
    "/agencies/sx-yjglt/": "2023年度",
    "/agencies/sx-yjglt/compare/": "更正后的职责情况。",
    "/api/v1/reports/2024/sx-yjglt/": "更正后的职责情况。",
}
PAGES = list(SHOWN)


def _headers(response) -> dict[str, object]:
    headers: dict[str, object] = {
        name.lower(): value for name, value in response.items() if name.lower() not in PER_REQUEST
    }
    # django-csp writes the same directives in an order that differs between processes.
    if "content-security-policy" in headers:
        headers["content-security-policy"] = set(headers["content-security-policy"].split("; "))
    return headers


def _through_the_door(response) -> bool:
    # The door answers before AuthenticationMiddleware gives the request its user.
    return not hasattr(response.wsgi_request, "user")


def _read(client, path: str, **extra):
    forget_cached_pages()
    return client.get(path, **extra)


def _the_whole_way(path: str, **extra):
    """The same request with the door taken out of the settings (a new client: one builds its middlewares once)."""
    with override_settings(MIDDLEWARE=THE_WHOLE_WAY):
        return _read(Client(), path, **extra)


@pytest.mark.parametrize("path", PAGES)
def test_the_door_answers_a_stored_page_exactly_as_the_whole_way_does(client, two_years, path):
    _read(client, path)  # an agency's pages are kept when first read
    door = _read(client, path)
    whole = _the_whole_way(path)
    assert _through_the_door(door) and not _through_the_door(whole)
    assert door.status_code == whole.status_code == 200
    assert door.content == whole.content
    assert _headers(door) == _headers(whole)
    assert "public" in door["Cache-Control"] and "Cookie" in door["Vary"]
    assert door["Content-Security-Policy"] and door["X-Frame-Options"] == "DENY"
    assert SHOWN[path] in door.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_reader_whose_copy_is_current_gets_the_same_304_from_the_door(client, two_years, path):
    first = _read(client, path)
    first = _read(client, path)
    validators = {"HTTP_IF_NONE_MATCH": first["ETag"]}
    door = _read(client, path, **validators)
    whole = _the_whole_way(path, **validators)
    assert _through_the_door(door)
    assert door.status_code == whole.status_code == 304
    assert _headers(door) == _headers(whole)


def test_the_versioned_page_is_immutable_from_the_door_once_its_pdf_is_ready(client, two_years, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for publication in two_years.publications.select_related("revision"):
        rendition, _ = PdfRendition.objects.get_or_create(
            report=two_years, content_hash=publication.revision.content_hash
        )
        rendition.file.save(f"v{publication.number}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        rendition.status = PdfRendition.Status.READY
        rendition.save()
    door = _read(client, "/published/2024/sx-yjglt/v1/")
    whole = _the_whole_way("/published/2024/sx-yjglt/v1/")
    assert _through_the_door(door)
    assert "immutable" in door["Cache-Control"]
    assert _headers(door) == _headers(whole)


def test_staff_chosen_years_and_the_current_version_s_v_address_go_the_whole_way(client, two_years, sx_filer):
    # /v2/ is the current version: the whole way redirects it to the report's address.
    redirect = _read(client, "/published/2024/sx-yjglt/v2/")
    assert redirect.status_code == 302 and not _through_the_door(redirect)
    chosen = _read(client, "/agencies/sx-yjglt/compare/?from=2023&to=2024")
    assert chosen.status_code == 200 and not _through_the_door(chosen)
    client.force_login(sx_filer)
    staff = _read(client, "/published/2024/sx-yjglt/")
    assert not _through_the_door(staff)
    assert "退出" in staff.content.decode()
    assert "public" not in staff.get("Cache-Control", "")


def test_a_withdrawn_report_is_not_answered_at_the_door(client, two_years, sx_reviewer):
    assert _through_the_door(_read(client, "/published/2024/sx-yjglt/"))
    withdraw(two_years, sx_reviewer)
    gone = _read(client, "/published/2024/sx-yjglt/")
    assert gone.status_code == 410
    assert not _through_the_door(gone)
    assert "更正后的职责情况。" not in gone.content.decode()


def test_when_the_database_fails_at_the_door_the_request_goes_the_whole_way(client, two_years, monkeypatch):
    real, failures = pages._stored_row, []

    def fails_once(*args):
        if not failures:
            failures.append(args)
            raise DatabaseError("connection lost")
        return real(*args)

    monkeypatch.setattr(pages, "_stored_row", fails_once)
    response = _read(client, "/published/2024/sx-yjglt/")
    assert failures and response.status_code == 200
    assert not _through_the_door(response)
    assert "更正后的职责情况。" in response.content.decode()


def test_the_api_s_rate_holds_at_the_door_and_each_request_counts_once(client, two_years, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"search": "30/min", "api": "3/min"},
    }
    path = "/api/v1/reports/2024/sx-yjglt/"
    # An address of this test's own: no other test (nor an earlier run) has counted it.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    answers = [_read(client, path, REMOTE_ADDR=address) for _ in range(4)]
    # The first is rendered and kept (the whole way), the next two come from the door, the fourth is past the rate.
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [_through_the_door(a) for a in answers] == [False, True, True, False]
    assert "请求过于频繁" in answers[3].json()["detail"]


@pytest.fixture
def listed(two_years, places, cycle, cz_filer, cz_reviewer):
    """Beside 山西省应急管理厅's two years, 长治市应急管理局's 2024: three reports to list, one a page, published
    on earlier days (a list's Last-Modified is left out while the second of the latest change lasts)."""
    later = published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer, text="长治市的职责情况。")
    first_published_on(two_years, datetime.date(2025, 3, 20))
    first_published_on(later, datetime.date(2025, 3, 25))
    ReportEvent.objects.update(at=F("at") - datetime.timedelta(days=1))
    return two_years


# Lists of year, level, kind and region, some past their last page or with a page number that is not one.
LISTS = [
    "/published/",
    "/published/?year=2024",
    "/published/?region=140000&page=2",
    "/published/?region=140400&level=city&kind=department",
    "/published/?year=2023&region=140000&level=province&kind=department&page=9",
    "/published/?kind=justice",
    "/published/?page=abc&utm_source=feed",
    "/published/?q=&agency=&year=2024",
]


@pytest.mark.parametrize("path", LISTS)
def test_the_door_composes_a_list_page_exactly_as_the_whole_way_renders_it(client, listed, monkeypatch, path):
    monkeypatch.setattr(list_pages, "PER_PAGE", 1)
    _composed_as_the_whole_way(client, path)


def _composed_as_the_whole_way(client, path: str) -> None:
    """The page composed at the door is the one the whole way renders, body and headers."""
    door = _read(client, path)
    whole = _the_whole_way(path)
    assert _through_the_door(door) and not _through_the_door(whole)
    assert door.status_code == whole.status_code == 200
    assert door.content.decode() == whole.content.decode()
    assert _headers(door) == _headers(whole)
    assert "public" in door["Cache-Control"] and "Cookie" in door["Vary"]


def test_a_list_page_from_the_door_shows_the_choices_the_reports_and_the_pages(client, listed, monkeypatch):
    monkeypatch.setattr(list_pages, "PER_PAGE", 1)
    page = _read(client, "/published/?year=2024&region=140000&page=2")
    assert _through_the_door(page)
    shown = page.content.decode()
    assert '<option value="2024" selected>2024年度</option>' in shown
    assert '<option value="140000" selected>山西省</option>' in shown
    assert "共 2 份报告" in shown and "第 2 / 2 页" in shown
    assert 'href="?year=2024&amp;region=140000&amp;page=1"' in shown
    assert shown.count('<li class="list-group-item entry">') == 1
    # Newest first: 长治市应急管理局's report was published after 山西省应急管理厅's.
    assert "山西省应急管理厅" in shown.split('id="published-reports"')[1]


@pytest.mark.parametrize(
    "path",
    [
        "/published/?q=职责",
        "/published/?agency=sx-yjglt",
        "/published/?year=1999",
        "/published/?year=2024&year=2023",
        "/published/?year=02024",
        "/published/?region=%20140000",
        "/published/?level=nation",
    ],
)
def test_a_search_an_agency_s_list_and_anything_the_form_must_read_go_the_whole_way(client, listed, path):
    whole = _read(client, path)
    assert not _through_the_door(whole)
    assert whole.status_code in (200, 400)


def test_a_list_page_from_the_door_drops_a_withdrawn_report_and_reads_two_queries(
    client, listed, sx_reviewer, django_assert_num_queries
):
    # The frame is composed once by each process; the places and the latest change are kept meanwhile.
    _read(client, "/published/?year=2023")
    with django_assert_num_queries(2):  # the count and the page
        before = client.get("/published/?year=2024")
    assert _through_the_door(before)
    assert "山西省应急管理厅" in before.content.decode().split('id="published-reports"')[1]
    withdraw(listed, sx_reviewer)
    after = _read(client, "/published/?year=2024")
    assert _through_the_door(after)
    assert "山西省应急管理厅" not in after.content.decode().split('id="published-reports"')[1]
    assert "共 1 份报告" in after.content.decode()


BOARDS = [
    "/compliance/",
    "/compliance/?year=2024",
    "/compliance/?year=2024&region=140000&status=on_time",
    "/compliance/?region=140000&page=2",
    "/compliance/?year=2023&status=missing&page=abc",
]


@pytest.mark.parametrize("path", BOARDS)
def test_the_door_composes_the_compliance_board_exactly_as_the_whole_way_renders_it(client, listed, monkeypatch, path):
    monkeypatch.setattr(board_pages, "PER_PAGE", 1)
    _composed_as_the_whole_way(client, path)


def test_the_board_from_the_door_shows_the_year_the_region_and_its_agencies(client, listed):
    page = _read(client, "/compliance/?year=2024&region=140000")
    assert _through_the_door(page)
    shown = page.content.decode()
    assert "<title>2024年度报告公开情况 · " in shown
    assert "2024年度山西省报告公开情况</h1>" in shown
    assert '<option value="140000" selected>山西省</option>' in shown
    assert '<option value="2024" selected>2024年度</option>' in shown
    assert '<option value="" selected>' not in shown  # no status asked: 全部 shows as the first
    assert '<a href="/published/2024/sx-yjglt/">山西省应急管理厅</a>' in shown


@pytest.mark.parametrize("path", ["/compliance/?year=1999", "/compliance/?status=sometimes", "/compliance/?region=x"])
def test_a_board_asked_with_a_bad_value_goes_the_whole_way_to_its_400(client, listed, path):
    answer = _read(client, path)
    assert answer.status_code == 400
    assert not _through_the_door(answer)
    assert "查询条件有误" in answer.content.decode()
