"""Abuse does not take the site down: a visitor's searches and API requests are counted per address and answered
429 in Chinese, with Retry-After, past the rate; reading reports is never counted."""

import json
import uuid

import pytest

from tests.publishing import forget_cached_pages, published_report


@pytest.fixture(autouse=True)
def low_rates(settings):
    forget_cached_pages()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"search": "3/min", "api": "4/min"},
    }


@pytest.fixture
def address():
    """A documentation address of this test's own: no other test (nor an earlier run) has counted it."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}"


@pytest.fixture
def report(places, cycle, sx_filer, sx_reviewer):
    return published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)


def test_a_visitor_searching_too_often_is_asked_in_chinese_to_wait(client, report, address):
    searches = [client.get("/published/", {"q": "职责"}, REMOTE_ADDR=address) for _ in range(3)]
    assert [response.status_code for response in searches] == [200, 200, 200]
    refused = client.get("/published/", {"q": "职责情况"}, REMOTE_ADDR=address)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "请求过于频繁，请稍后再试" in page and "<html" in page
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]

    # Reading and browsing are not searches.
    for _ in range(10):
        assert client.get("/published/2024/sx-yjglt/", REMOTE_ADDR=address).status_code == 200
        assert client.get("/published/", {"year": 2024}, REMOTE_ADDR=address).status_code == 200
    assert client.get("/published/", {"q": "职责"}, REMOTE_ADDR="2001:db8::1:1").status_code == 200, (
        "another address has its own count"
    )


def test_the_api_answers_429_in_chinese_json_past_its_rate_even_for_a_cached_page(client, report, address):
    for _ in range(4):
        assert client.get("/api/v1/reports/", REMOTE_ADDR=address).status_code == 200
    refused = client.get("/api/v1/reports/2024/sx-yjglt/", REMOTE_ADDR=address)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert json.loads(refused.content)["detail"] == "请求过于频繁，请稍后再试。"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client.get("/open-data/indicators.csv", REMOTE_ADDR=address).status_code == 429


def test_a_visitor_cannot_escape_the_count_by_naming_another_address(client, report, address):
    statuses = [
        client.get("/published/", {"q": "职责"}, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_the_tls_proxy_the_client_is_the_address_the_proxy_saw(client, report, settings, address):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    nginx = "127.0.0.1"

    def search(claimed: str):
        forwarded = f"{claimed}, {address}"
        return client.get("/published/", {"q": "职责"}, REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR=forwarded)

    assert [search(f"192.0.2.{n}").status_code for n in range(4)] == [200, 200, 200, 429]
    other = client.get("/published/", {"q": "职责"}, REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="2001:db8::2:2")
    assert other.status_code == 200, "a different client behind the same proxy"


def test_staff_who_are_signed_in_are_not_counted(client, report, sx_filer, address):
    client.force_login(sx_filer)
    assert all(client.get("/published/", {"q": "职责"}, REMOTE_ADDR=address).status_code == 200 for _ in range(6))
