import datetime
from urllib.parse import quote

from django.core.files.base import ContentFile

from reports.filing import services
from reports.publication import views
from reports.rendering.models import PdfRendition
from reports.workflow import actions
from tests.publishing import correct, first_published_on, publish, published_report, withdraw


def make_pdf_ready(report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rendition = PdfRendition.objects.get(report=report, content_hash=report.published_revision.content_hash)
    rendition.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    rendition.status = PdfRendition.Status.READY
    rendition.save()


def test_home_lists_published_reports_newest_first(client, places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    first = published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    second = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first_published_on(first, datetime.date(2025, 3, 1))
    page = client.get("/").content.decode()
    assert page.index(second.agency.name) < page.index(first.agency.name)
    assert "2024年度 <span" in page


def test_the_report_page_reads_the_published_snapshot_not_later_edits(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    report.sections.filter(key="duties").update(text="发布后才写的内容")
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "党政主要负责人履行推进法治建设第一责任人职责情况：本年度按要求推进各项工作。" in page
    assert "发布后才写的内容" not in page
    assert 'lang="zh-CN"' in page


def test_the_report_page_has_a_table_of_contents_pointing_at_its_chapters(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert 'aria-labelledby="toc-heading"' in page
    assert 'href="#part-1"' in page
    assert 'id="part-1"' in page


def test_a_report_first_published_on_the_deadline_day_is_on_time(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first_published_on(report, datetime.date(2025, 4, 1))
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "2025年4月1日" in page
    assert "按时公开" in page
    assert "逾期公开" not in page


def test_a_report_first_published_after_the_deadline_day_is_late(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    first_published_on(report, datetime.date(2025, 4, 2))
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "逾期公开" in page
    assert "按时公开" not in page


def test_a_correction_keeps_the_first_publication_date_and_lists_both_versions(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="第一版的职责情况。")
    first_published_on(report, datetime.date(2025, 3, 20))
    correct(report, sx_filer, sx_second_reviewer, text="更正后的职责情况。", note="更正了第三部分的表述。")
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "更正后的职责情况。" in page
    assert "第一版的职责情况。" not in page
    assert "按时公开" in page
    assert "更正了第三部分的表述。" in page
    assert "/published/2024/sx-yjglt/v1/" in page
    older = client.get("/published/2024/sx-yjglt/v1/").content.decode()
    assert "第一版的职责情况。" in older
    assert "已被更正" in older
    assert client.get("/published/2024/sx-yjglt/v2/")["Location"] == "/published/2024/sx-yjglt/"
    assert client.get("/published/2024/sx-yjglt/v3/").status_code == 404


def test_a_report_under_correction_stays_public_in_its_last_published_version(
    client, places, cycle, sx_filer, sx_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="已公开的职责情况。")
    actions.start_correction(report=report, by=sx_reviewer)
    report.sections.filter(key="duties").update(text="正在更正的草稿。")
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "已公开的职责情况。" in page
    assert "正在更正的草稿。" not in page


def test_a_withdrawn_report_shows_the_notice_and_reason_but_not_its_body(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="撤回前公开的职责情况。")
    assert client.get("/published/2024/sx-yjglt/").status_code == 200
    withdraw(report, sx_reviewer, reason="数据有误，核实后重新发布。")
    response = client.get("/published/2024/sx-yjglt/")
    page = response.content.decode()
    assert response.status_code == 410
    assert "已撤回" in page
    assert "数据有误，核实后重新发布。" in page
    assert "撤回前公开的职责情况。" not in page
    assert client.get("/published/2024/sx-yjglt/v1/").status_code == 404
    assert client.get("/published/2024/sx-yjglt.pdf").status_code == 410


def test_an_unknown_report_is_not_found(client, places, cycle):
    assert client.get("/published/2024/sx-yjglt/").status_code == 404
    assert client.get("/published/2024/no-such-agency/").status_code == 404


def test_the_report_page_says_the_pdf_is_being_prepared_until_it_is_ready(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert "PDF 正在生成" in client.get("/published/2024/sx-yjglt/").content.decode()
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response.status_code == 404
    assert "PDF 正在生成" in response.content.decode()


def test_a_ready_pdf_downloads_from_its_permanent_address(
    client, places, cycle, sx_filer, sx_reviewer, settings, tmp_path
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    make_pdf_ready(report, settings, tmp_path)
    assert "/published/2024/sx-yjglt.pdf" in client.get("/published/2024/sx-yjglt/").content.decode()
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("山西省应急管理厅关于2024年度法治政府建设情况的报告.pdf") in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_pdf_is_named_after_the_published_title_not_a_title_being_corrected(
    client, places, cycle, sx_filer, sx_reviewer, settings, tmp_path
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    make_pdf_ready(report, settings, tmp_path)
    actions.start_correction(report=report, by=sx_reviewer)
    type(report).objects.filter(pk=report.pk).update(title="草稿中的新标题")
    disposition = client.get("/published/2024/sx-yjglt.pdf")["Content-Disposition"]
    assert quote("山西省应急管理厅关于2024年度法治政府建设情况的报告.pdf") in disposition


def test_report_pages_run_a_bounded_number_of_queries(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer, django_assert_max_num_queries
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    correct(report, sx_filer, sx_second_reviewer, text="更正后的职责情况。", note="更正。")
    for url in ["/published/2024/sx-yjglt/", "/published/2024/sx-yjglt/v1/"]:
        # Composing the page, and one query for its validators (Last-Modified; whether the version is final).
        with django_assert_max_num_queries(7):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_a_published_page_is_served_from_the_cache_until_its_report_changes(
    client, places, cycle, sx_filer, sx_reviewer, sx_second_reviewer
):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="第一版。")
    assert "第一版。" in client.get("/published/2024/sx-yjglt/").content.decode()
    correct(report, sx_filer, sx_second_reviewer, text="第二版。", note="更正。")
    assert "第二版。" in client.get("/published/2024/sx-yjglt/").content.decode()


def test_staff_with_a_session_are_never_served_a_cached_page(client, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    anonymous = client.get("/published/2024/sx-yjglt/")
    assert "public" in anonymous["Cache-Control"]
    client.force_login(sx_filer)
    page = client.get("/published/2024/sx-yjglt/")
    assert "退出" in page.content.decode()
    assert "public" not in page.get("Cache-Control", "")


def test_publishing_shows_at_once_on_the_lists(client, places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert "长治市应急管理局" not in client.get("/published/").content.decode()
    report = services.start_report(agency=places.cz_emergency, cycle=cycle)
    publish(report, cz_filer, cz_reviewer)
    assert "长治市应急管理局" in client.get("/published/").content.decode()


def test_a_page_saying_the_pdf_is_pending_is_kept_only_briefly(
    client, places, cycle, sx_filer, sx_reviewer, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(views, "PDF_PENDING_SECONDS", 0)
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    assert "PDF 正在生成" in client.get("/published/2024/sx-yjglt/").content.decode()
    make_pdf_ready(report, settings, tmp_path)
    assert "/published/2024/sx-yjglt.pdf" in client.get("/published/2024/sx-yjglt/").content.decode()
