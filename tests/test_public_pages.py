import datetime

from django.core.files.base import ContentFile

from reports.filing import services
from reports.rendering.models import PdfRendition
from tests.factories import fill_required_sections


def publish(report, filer, reviewer):
    fill_required_sections(report)
    services.submit_report(report=report, by=filer)
    services.approve_report(report=report, by=reviewer)
    services.publish_report(report=report, by=reviewer)
    report.refresh_from_db()
    return report


def test_home_lists_published_reports_newest_first(client, places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    first = publish(services.start_report(agency=places.cz_emergency, cycle=cycle), cz_filer, cz_reviewer)
    second = publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    first.published_at -= datetime.timedelta(days=1)
    first.save(update_fields=["published_at"])
    page = client.get("/").content.decode()
    assert page.index(second.agency.name) < page.index(first.agency.name)


def test_the_report_page_reads_the_published_snapshot_not_later_edits(client, places, cycle, sx_filer, sx_reviewer):
    report = publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    report.sections.filter(key="duties").update(text="发布后才写的内容")
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "党政主要负责人履行推进法治建设第一责任人职责情况：本年度按要求推进各项工作。" in page
    assert "发布后才写的内容" not in page
    assert 'lang="zh-CN"' in page


def test_the_report_page_says_the_pdf_is_being_prepared_until_it_is_ready(client, places, cycle, sx_filer, sx_reviewer):
    publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    assert "PDF 正在生成" in client.get("/published/2024/sx-yjglt/").content.decode()
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response.status_code == 404
    assert "PDF 正在生成" in response.content.decode()


def test_a_ready_pdf_downloads_from_its_permanent_address(
    client, places, cycle, sx_filer, sx_reviewer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = publish(services.start_report(agency=places.sx_emergency, cycle=cycle), sx_filer, sx_reviewer)
    rendition = PdfRendition.objects.get(report=report)
    rendition.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    rendition.status = PdfRendition.Status.READY
    rendition.save()
    assert "/published/2024/sx-yjglt.pdf" in client.get("/published/2024/sx-yjglt/").content.decode()
    response = client.get("/published/2024/sx-yjglt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
