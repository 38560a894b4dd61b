"""A filer who types half-width punctuation between Chinese is offered it full width before anything is saved."""

import pytest

from reports.measures.models import Point
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.test_filling_measures import chapters, fill_point, open_section, points, save
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_offer_is_shown_before_saving_and_kept_it_saves_the_full_width_text(live_server, page, sx_draft, sx_filer):
    log_in(page, live_server, sx_filer.username, PASSWORD)
    open_section(page, live_server, sx_draft, "measures")
    fill_point(points(chapters(page).first).first, "强化组织领导", "厅党委研究审定(试行)办法,比例1:500;检查19.2万家。")
    page.get_by_role("button", name="保存本部分").click()
    notice = page.locator("#cleaning-notice")
    notice.get_by_text("中文之间的半角标点改为全角").wait_for()
    assert "共 4 处" in notice.inner_text()
    assert notice.get_by_label("采用这项修改").is_checked()
    assert page.locator("[data-draft-offer]").is_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "punctuation-offer.png"), full_page=False)
    assert not Point.objects.exists()
    save(page)
    assert Point.objects.get().body == "厅党委研究审定（试行）办法，比例1:500；检查19.2万家。"
