"""A visitor of the demo (DEBUG on) sees the site's registration in the footer and a Chinese page for a dead link."""

import pytest

from tests.test_public_site import FOOTER

pytestmark = pytest.mark.e2e


def test_a_visitor_sees_the_footer_and_a_chinese_page_for_a_dead_link(live_server, page, settings, db):
    settings.DEBUG = True
    for name, value in FOOTER.items():
        setattr(settings, name, value)
    page.goto(live_server.url + "/")
    footer = page.locator("footer.site-footer")
    assert "主办单位：山西省司法厅" in footer.inner_text()
    assert footer.get_by_role("link", name="晋ICP备05001234号").get_attribute("href") == "https://beian.miit.gov.cn/"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200

    page.goto(live_server.url + "/published/2019/gone/")
    assert page.get_by_role("heading", name="页面不存在").is_visible()
    assert "主办单位：山西省司法厅" in page.locator("footer.site-footer").inner_text()
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_url(live_server.url + "/")
