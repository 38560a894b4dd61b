"""A published version's page is rendered once, at publication, and served from the database on a cache miss."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.publication import pages
from reports.publication.models import StoredPage
from tests.publishing import correct, forget_cached_pages, published_report, withdraw
from tests.test_public_pages import make_pdf_ready


def read(client, url):
    """A reader's request after every cached page was forgotten: a miss."""
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_published_page_is_served_on_a_miss_by_one_query_without_rendering(
    client, places, cycle, sx_filer, sx_reviewer
):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="第一版的职责情况。")
    response, queries = read(client, "/published/2024/sx-yjglt/")
    assert response.status_code == 200
    assert "第一版的职责情况。" in response.content.decode()
    assert queries == 1
    assert not response.templates
    assert "public" in response["Cache-Control"]
    assert "工作人员登录" in response.content.decode()


def test_staff_with_a_session_get_their_own_rendered_page_not_the_stored_one(
    client, places, cycle, sx_filer, sx_reviewer
):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    client.force_login(sx_filer)
    response, _queries = read(client, "/published/2024/sx-yjglt/")
    page = response.content.decode()
    assert response.templates
    assert "退出" in page
    assert "public" not in response.get("Cache-Control", "")
    stored = StoredPage.objects.get(report__agency=places.sx_emergency).html
    assert "退出" not in stored
    assert "csrfmiddlewaretoken" not in stored


def test_a_correction_renders_the_earlier_version_again_as_corrected(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="第一版。")
    correct(report, sx_filer, sx_second_reviewer, text="第二版。", note="更正了表述。")
    current, queries = read(client, "/published/2024/sx-yjglt/")
    assert queries == 1 and not current.templates
    assert "第二版。" in current.content.decode()
    assert "更正了表述。" in current.content.decode()
    earlier, queries = read(client, "/published/2024/sx-yjglt/v1/")
    assert queries == 1 and not earlier.templates
    assert "第一版。" in earlier.content.decode()
    assert "已被更正" in earlier.content.decode()
    redirected, _queries = read(client, "/published/2024/sx-yjglt/v2/")
    assert redirected.status_code == 302
    assert redirected["Location"] == "/published/2024/sx-yjglt/"


def test_a_withdrawn_report_has_no_stored_page_and_says_it_was_withdrawn(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="撤回前的正文。")
    correct(report, sx_filer, sx_second_reviewer, text="第二版正文。", note="更正。")
    withdraw(report, sx_reviewer, reason="数据有误。")
    assert not StoredPage.objects.filter(report=report).exists()
    response, _queries = read(client, "/published/2024/sx-yjglt/")
    assert response.status_code == 410
    assert "撤回前的正文。" not in response.content.decode()
    assert "第二版正文。" not in response.content.decode()
    assert read(client, "/published/2024/sx-yjglt/v1/")[0].status_code == 404


def test_a_page_left_behind_by_a_missed_removal_is_not_served_once_withdrawn(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="撤回前的正文。")
    kept = list(StoredPage.objects.filter(report=report))
    withdraw(report, sx_reviewer)
    StoredPage.objects.bulk_create(kept)
    response, _queries = read(client, "/published/2024/sx-yjglt/")
    assert response.status_code == 410
    assert "撤回前的正文。" not in response.content.decode()


def test_the_page_offers_the_pdf_once_it_is_ready(client, places, cycle, sx_filer, sx_reviewer, settings, tmp_path):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert "PDF 正在生成" in read(client, "/published/2024/sx-yjglt/")[0].content.decode()
    make_pdf_ready(report, settings, tmp_path)
    assert "/published/2024/sx-yjglt.pdf" in read(client, "/published/2024/sx-yjglt/")[0].content.decode()
    response, queries = read(client, "/published/2024/sx-yjglt/")
    assert "/published/2024/sx-yjglt.pdf" in response.content.decode()
    assert queries == 1


def test_pages_rendered_by_older_templates_are_noticed_and_rebuilt(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="正文。")
    StoredPage.objects.update(page_format="older", html="旧模板生成的页面")
    assert pages.stale_pages() == (0, 1)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_upgrade", stdout=out)
    assert "报告页面：1 个由旧版本的模板生成" in out.getvalue()
    # Read before the rebuild: rendered again, never the old page.
    response, _queries = read(client, "/published/2024/sx-yjglt/")
    assert "正文。" in response.content.decode()
    StoredPage.objects.all().delete()
    assert pages.stale_pages() == (1, 0)
    call_command("rebuild_public_index", "--pages-only", stdout=io.StringIO(), stderr=io.StringIO())
    assert pages.stale_pages() == (0, 0)
    response, queries = read(client, "/published/2024/sx-yjglt/")
    assert queries == 1 and "正文。" in response.content.decode()


def test_a_province_moving_its_deadline_or_an_agency_renamed_shows_on_the_stored_page(
    client, places, cycle, sx_filer, sx_reviewer
):
    import datetime

    from reports.filing.models import ProvincialCycleSettings
    from tests.publishing import first_published_on

    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first_published_on(report, datetime.date(2025, 3, 20))
    assert "按时公开" in read(client, "/published/2024/sx-yjglt/")[0].content.decode()
    ProvincialCycleSettings.objects.create(
        cycle=cycle,
        province=places.shanxi,
        due_date=datetime.date(2025, 3, 1),
        publication_deadline=datetime.date(2025, 3, 15),
    )
    page = read(client, "/published/2024/sx-yjglt/")[0].content.decode()
    assert "逾期公开" in page
    assert "2025年3月15日" in page
    places.sx_emergency.name = "山西省应急管理厅（新名称）"
    places.sx_emergency.save()
    assert "山西省应急管理厅（新名称）" in read(client, "/published/2024/sx-yjglt/")[0].content.decode()
