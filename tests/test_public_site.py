"""What a Chinese government website shows every visitor: robots.txt, the footer, the favicon, Chinese errors."""

import pytest
from django.urls import reverse

from tests.front_server import ROOT

FOOTER = {
    "SITE_SPONSOR": "山西省司法厅",
    "SITE_IDENTIFIER": "1400000047",
    "SITE_ICP_RECORD": "晋ICP备05001234号",
    "SITE_PUBLIC_SECURITY_RECORD": "晋公网安备 14010502000123号",
}


def test_robots_txt_keeps_search_engines_to_the_public_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for staff_only in ("/work/", "/review/", "/inbox/", "/accounts/", "/admin/", "/metrics"):
        assert f"Disallow: {staff_only}" in lines
    assert "Disallow: /" not in lines and not any(line == "Disallow: /published/" for line in lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_every_page_shows_the_sites_registration_in_its_footer(client, db, settings):
    for name, value in FOOTER.items():
        setattr(settings, name, value)
    for url in (reverse("publication:home"), reverse("login")):
        page = client.get(url).content.decode()
        assert "主办单位：山西省司法厅" in page
        assert "网站标识码：1400000047" in page
        assert '<a class="link-secondary me-3" href="https://beian.miit.gov.cn/"' in page
        assert "晋ICP备05001234号" in page
        assert "beian.mps.gov.cn/#/query/webSearch?code=14010502000123" in page
        assert "晋公网安备 14010502000123号" in page


def test_no_footer_without_the_sites_registration(client, db, settings):
    for name in FOOTER:
        setattr(settings, name, "")
    assert "site-footer" not in client.get(reverse("publication:home")).content.decode()


def test_the_favicon_is_served_from_the_static_files(client, db):
    page = client.get(reverse("publication:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    icon = (ROOT / "static" / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00", "a Windows icon file"


@pytest.mark.parametrize("debug", [True, False])
def test_a_missing_page_is_explained_in_chinese_even_with_debug_on(client, db, settings, debug):
    settings.DEBUG = debug
    # No URL pattern matches the first; the view of the second finds no such report.
    for url in ("/no-such-page/", "/published/2024/no-such-agency/"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert "页面不存在" in page, url
        assert "URLconf" not in page and "Page not found" not in page and "Traceback" not in page


def test_a_missing_slash_is_still_added_with_debug_on(client, db, settings):
    settings.DEBUG = True
    response = client.get("/work")
    assert response.status_code == 301 and response["Location"] == "/work/"


def test_an_error_is_explained_in_chinese_even_with_debug_on(client, db, settings, sx_filer, caplog):
    settings.DEBUG = True
    client.raise_request_exception = False
    # A report whose section key no section app knows: the page fails as any unforeseen bug would.
    from reports.filing import services

    report = services.start_report(agency=sx_filer.agency, cycle=services.open_cycle(year=2024))
    report.sections.filter(pk=report.sections.first().pk).update(key="no-such-section")
    client.force_login(sx_filer)
    response = client.get(reverse("filing:report", args=[report.pk]))
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器暂时出现问题" in page
    assert "Traceback" not in page and "settings" not in page
    assert any(record.levelname == "ERROR" and record.exc_info for record in caplog.records), "logged with its trace"


def test_developers_may_have_djangos_debug_pages_back(client, db, settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    page = client.get("/no-such-page/").content.decode()
    assert "Using the URLconf defined in" in page
