"""HTTP does its part on the public side: validators and 304 on every public page and PDF, versioned addresses
kept for a year, the PDF opened in the browser under its Chinese name, and none of it for staff."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.http import http_date

from reports.filing.models import Publication, Report, ReportEvent
from reports.publication.services import refresh_search_entry
from reports.rendering.models import PdfRendition
from tests.publishing import correct, first_published_on, forget_cached_pages, published_report, withdraw

IMMUTABLE = "public, max-age=31536000, immutable"
PUBLISHED_ON = datetime.date(2025, 3, 1)


def pdf_ready(report, settings, tmp_path, *, content=b"%PDF-1.7 test"):
    """The PDF of the report's published version, made now."""
    settings.MEDIA_ROOT = tmp_path
    rendition = PdfRendition.objects.get(report=report, content_hash=report.published_revision.content_hash)
    rendition.file.save("r.pdf", ContentFile(content), save=False)
    rendition.status = PdfRendition.Status.READY
    rendition.rendered_at = timezone.now() - datetime.timedelta(minutes=5)
    rendition.save()
    return rendition


def a_minute_ago() -> None:
    """Every publication so far made a minute ago: a Last-Modified is sent once its second is over."""
    earlier = F("at") - datetime.timedelta(minutes=1)
    ReportEvent.objects.update(at=earlier)
    Publication.objects.update(published_at=F("published_at") - datetime.timedelta(minutes=1))
    for report in Report.objects.exclude(published_at=None):
        Report.objects.filter(pk=report.pk).update(published_at=F("published_at") - datetime.timedelta(minutes=1))
        refresh_search_entry(report)
    forget_cached_pages()


@pytest.fixture
def report(places, cycle, sx_filer, sx_reviewer, settings, tmp_path):
    """A report published on 1 March 2025, whose PDF is ready."""
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="第一版的职责情况。")
    report = first_published_on(report, PUBLISHED_ON)
    moment = timezone.make_aware(datetime.datetime.combine(PUBLISHED_ON, datetime.time(10)))
    ReportEvent.objects.filter(report=report).update(at=moment)
    pdf_ready(report, settings, tmp_path)
    forget_cached_pages()
    return report


def copy_of(client, url):
    """What a reader's browser keeps of a page: its validators."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def asked_again(client, url, copy, *, etag=True, last_modified=True):
    headers = {}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = copy["ETag"]
    if last_modified:
        headers["HTTP_IF_MODIFIED_SINCE"] = copy["Last-Modified"]
    return client.get(url, **headers)


def test_a_report_page_answers_304_to_each_validator_of_a_current_copy(client, report):
    url = "/published/2024/sx-yjglt/"
    copy = copy_of(client, url)
    published = timezone.make_aware(datetime.datetime.combine(PUBLISHED_ON, datetime.time(10)))
    rendered = PdfRendition.objects.get(report=report).rendered_at
    assert copy["Last-Modified"] == http_date(max(published, rendered).timestamp())
    assert copy["ETag"].startswith('"')

    for by_etag, by_date in [(True, False), (False, True), (True, True)]:
        again = asked_again(client, url, copy, etag=by_etag, last_modified=by_date)
        assert again.status_code == 304, (by_etag, by_date)
        assert again.content == b""
        assert again["ETag"] == copy["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_pdf_answers_304_to_each_validator_and_opens_in_the_browser_under_its_chinese_name(client, report):
    url = "/published/2024/sx-yjglt.pdf"
    copy = copy_of(client, url)
    assert copy["Content-Type"] == "application/pdf"
    name = quote("山西省应急管理厅关于2024年度法治政府建设情况的报告.pdf")
    assert copy["Content-Disposition"] == f"inline; filename=\"2024-sx-yjglt.pdf\"; filename*=UTF-8''{name}"
    assert b"".join(copy.streaming_content) == b"%PDF-1.7 test"
    assert copy["Last-Modified"] == http_date(PdfRendition.objects.get(report=report).rendered_at.timestamp())
    for by_etag, by_date in [(True, False), (False, True)]:
        again = asked_again(client, url, copy, etag=by_etag, last_modified=by_date)
        assert again.status_code == 304, (by_etag, by_date)
        assert not again.has_header("Content-Disposition") and again.content == b""


def test_every_public_page_carries_an_etag_and_answers_304_to_it(
    client, report, cz_filer, sx_second_reviewer, places, cycle, cz_reviewer, sx_filer, sx_reviewer
):
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    correct(report, sx_filer, sx_second_reviewer, text="第二版的职责情况。", note="更正职责情况。")
    a_minute_ago()
    lists = [
        "/",
        "/published/",
        "/published/?year=2024&region=140000",
        "/published/?q=职责情况",
        "/agencies/sx-yjglt/",
        "/agencies/sx-yjglt/compare/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-reports.xml",
        "/api/v1/reports/",
        "/api/v1/reports/?q=职责情况",
    ]
    versions = ["/published/2024/sx-yjglt/", "/published/2024/sx-yjglt/v1/", "/api/v1/reports/2024/sx-yjglt/"]
    by_content_only = ["/compliance/", "/open-data/", "/api/v1/schema/"]
    for url in lists + versions + by_content_only:
        copy = copy_of(client, url)
        assert asked_again(client, url, copy, last_modified=False).status_code == 304, url
        assert copy.has_header("Last-Modified") == (url not in by_content_only), url
    # The lists' date is the latest publication anywhere: the correction, a minute ago.
    correction = Publication.objects.get(report=report, number=2).published_at
    recorded = ReportEvent.objects.filter(action=ReportEvent.Action.PUBLISH).latest("pk").at
    assert copy_of(client, "/published/")["Last-Modified"] == http_date(max(correction, recorded).timestamp())

    csv = copy_of(client, "/open-data/indicators.csv")
    assert not csv.has_header("ETag"), "streamed, so no digest of it; its date serves"
    assert asked_again(client, "/open-data/indicators.csv", csv, etag=False).status_code == 304

    # A sitemap's own date is its newest entry's, which a withdrawal does not move; the page's date is moved.
    sitemap = copy_of(client, "/sitemap-reports.xml")
    withdraw(report, sx_reviewer)
    assert asked_again(client, "/sitemap-reports.xml", sitemap, etag=False).status_code == 200
    assert "sx-yjglt" not in client.get("/sitemap-reports.xml").content.decode()


def test_a_head_request_gets_the_same_validators(client, report):
    copy = copy_of(client, "/published/2024/sx-yjglt/")
    head = client.head("/published/2024/sx-yjglt/")
    assert head["ETag"] == copy["ETag"] and head["Last-Modified"] == copy["Last-Modified"]
    assert client.head("/published/2024/sx-yjglt/", HTTP_IF_NONE_MATCH=copy["ETag"]).status_code == 304


def test_publishing_a_correction_makes_every_copy_of_the_old_version_stale(
    client, report, sx_filer, sx_second_reviewer, settings, tmp_path
):
    urls = ["/published/2024/sx-yjglt/", "/published/", "/", "/api/v1/reports/2024/sx-yjglt/", "/feed/"]
    copies = {url: copy_of(client, url) for url in urls}
    pdf = copy_of(client, "/published/2024/sx-yjglt.pdf")

    report = correct(report, sx_filer, sx_second_reviewer, text="第二版的职责情况。", note="更正职责情况。")
    pdf_ready(report, settings, tmp_path, content=b"%PDF-1.7 second version")
    for url, copy in copies.items():
        for by_etag, by_date in [(True, False), (False, True), (True, True)]:
            again = asked_again(client, url, copy, etag=by_etag, last_modified=by_date)
            assert again.status_code == 200, (url, by_etag, by_date)
    assert "第二版的职责情况。" in client.get("/published/2024/sx-yjglt/").content.decode()
    for by_etag, by_date in [(True, False), (False, True)]:
        again = asked_again(client, "/published/2024/sx-yjglt.pdf", pdf, etag=by_etag, last_modified=by_date)
        assert again.status_code == 200
        assert b"".join(again.streaming_content) == b"%PDF-1.7 second version"


def test_withdrawing_a_report_is_never_answered_304(client, report, sx_reviewer):
    page, pdf = copy_of(client, "/published/2024/sx-yjglt/"), copy_of(client, "/published/2024/sx-yjglt.pdf")
    listing = copy_of(client, "/published/")
    withdraw(report, sx_reviewer)
    assert asked_again(client, "/published/2024/sx-yjglt/", page).status_code == 410
    assert asked_again(client, "/published/2024/sx-yjglt.pdf", pdf).status_code == 410
    for by_etag, by_date in [(True, False), (False, True)]:
        again = asked_again(client, "/published/", listing, etag=by_etag, last_modified=by_date)
        assert again.status_code == 200
        assert "山西省应急管理厅" not in again.content.decode()


def test_a_published_version_is_kept_for_a_year_and_the_current_address_briefly(
    client, report, sx_filer, sx_second_reviewer, sx_reviewer, settings, tmp_path
):
    report = correct(report, sx_filer, sx_second_reviewer, text="第二版的职责情况。", note="更正职责情况。")
    assert client.get("/published/2024/sx-yjglt/v1/")["Cache-Control"] == IMMUTABLE
    assert client.get("/published/2024/sx-yjglt/v1.pdf")["Cache-Control"] == IMMUTABLE
    v1_disposition = client.get("/published/2024/sx-yjglt/v1.pdf")["Content-Disposition"]
    assert v1_disposition.startswith('inline; filename="2024-sx-yjglt-v1.pdf"; ')
    assert quote("（第1版）.pdf") in v1_disposition

    # The new version's PDF is still being made: its page says so, so it is not kept for a year.
    current = client.get("/published/2024/sx-yjglt/")
    assert "immutable" not in current["Cache-Control"] and "max-age=60" in current["Cache-Control"]
    assert client.get("/published/2024/sx-yjglt/v2/").status_code == 302
    pdf_ready(report, settings, tmp_path)
    current_pdf = client.get("/published/2024/sx-yjglt.pdf")
    assert current_pdf["Cache-Control"] == "public, max-age=60"

    withdraw(report, sx_reviewer)
    for url in ["/published/2024/sx-yjglt/v1/", "/published/2024/sx-yjglt/v1.pdf", "/published/2024/sx-yjglt.pdf"]:
        gone = client.get(url)
        assert gone.status_code in (404, 410), url
        assert "immutable" not in gone.get("Cache-Control", ""), url


def test_a_version_whose_pdf_is_still_being_made_is_not_kept_for_a_year(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    correct(report, sx_filer, sx_second_reviewer, text="第二版。", note="更正。")
    page = client.get("/published/2024/sx-yjglt/v1/")
    assert "PDF 正在生成" in page.content.decode()
    assert "immutable" not in page["Cache-Control"]


def test_the_front_server_sends_the_pdf_when_it_is_configured(client, report, settings):
    settings.X_ACCEL_MEDIA_PREFIX = "/internal-media/"
    rendition = PdfRendition.objects.get(report=report)
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response["X-Accel-Redirect"] == f"/internal-media/{rendition.file.name}"
    assert response.content == b"", "headers only: nginx reads the file"
    assert response["Content-Disposition"].startswith('inline; filename="2024-sx-yjglt.pdf"; filename*=UTF-8')
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    again = client.get("/published/2024/sx-yjglt.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.has_header("X-Accel-Redirect")


def test_staff_pages_are_given_no_public_caching_headers(
    client, report, sx_filer, sx_second_reviewer, settings, tmp_path
):
    anonymous = copy_of(client, "/published/2024/sx-yjglt/")
    report = correct(report, sx_filer, sx_second_reviewer, text="第二版。", note="更正。")
    client.force_login(sx_filer)
    for url in ["/published/2024/sx-yjglt/", "/published/2024/sx-yjglt/v1/", "/published/2024/sx-yjglt/v1.pdf", "/"]:
        response = client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"], url
        assert "immutable" not in response["Cache-Control"], url
        assert not response.has_header("ETag") and not response.has_header("Last-Modified"), url
    assert "退出" in client.get("/published/2024/sx-yjglt/").content.decode()


def test_with_object_storage_the_reader_is_sent_to_a_presigned_address_of_the_pdf(client, report, settings):
    from urllib.parse import parse_qs, unquote, urlsplit

    rendition = PdfRendition.objects.get(report=report)
    # Signing happens here, with boto3 (no request reaches the object store: only the reader's browser would).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "portal",
                "endpoint_url": "http://oss.example.gov.cn",
                "access_key": "portal",
                "secret_key": "secret",
                "region_name": "cn-north-1",
                "querystring_auth": True,
            },
        },
    }
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    location = urlsplit(response["Location"])
    assert location.netloc == "oss.example.gov.cn"
    assert unquote(location.path) == f"/portal/{rendition.file.name}"
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    assert query["response-content-type"] == ["application/pdf"]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith('inline; filename="2024-sx-yjglt.pdf"; filename*=UTF-8')
    assert "%E5%B1%B1%E8%A5%BF" in disposition, "山西…: the Chinese name travels with the address"


def test_a_list_s_last_modified_asks_the_cache_nothing_while_nothing_changes(client, report, monkeypatch):
    from django.core.cache import cache

    from reports.publication import cache as public_cache

    monkeypatch.setattr(public_cache, "RECENT_SECONDS", 3600)
    first = copy_of(client, "/published/")
    asked = []
    real = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: asked.append(key) or real(key, *args, **kwargs))
    again = copy_of(client, "/published/?year=2024")
    assert again["Last-Modified"] == first["Last-Modified"]
    assert not [key for key in asked if key == public_cache.GENERATION_KEY or "last-change" in key]
