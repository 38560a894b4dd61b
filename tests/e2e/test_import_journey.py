"""A filer starts a draft from the office's Word file, places a stray line, and takes a Word file back."""

import io

import docx
import pytest

from reports.filing.services import open_cycle, start_report
from reports.transfer.models import has_unplaced_text
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.transfer_tools import SHANXI, docx_from_lines, sample_text

pytestmark = pytest.mark.e2e


def test_a_filer_starts_from_a_word_file_places_a_stray_line_and_downloads_word(
    live_server, page, places, sx_filer, tmp_path, celery_worker
):
    report = start_report(agency=places.sx_emergency, cycle=open_cycle(year=2023))
    path = tmp_path / "厅里的报告.docx"
    path.write_bytes(docx_from_lines(["晋应急函〔2024〕12号", *sample_text(SHANXI).splitlines()]))

    log_in(page, live_server, sx_filer.username, PASSWORD)
    page.goto(f"{live_server.url}/work/reports/{report.pk}/import/")
    page.get_by_label("报告文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并识别").click()
    page.get_by_role("heading", name="导入结果").wait_for()
    assert page.locator("#import-sections tr[data-key='measures'] td").nth(2).inner_text() == "7"
    page.get_by_text("接上被分页或换行截断的段落：7 处").wait_for()

    page.get_by_role("link", name="逐段放入报告或删除").click()
    page.get_by_label("放入").select_option(label="履行法院生效裁判情况")
    page.get_by_role("button", name="放入").click()
    page.get_by_text("没有待处理的文字。").wait_for()
    assert not has_unplaced_text(report)

    page.goto(f"{live_server.url}/work/reports/{report.pk}/import/{report.imports.get().pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 文件").click()
    document = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    assert document.paragraphs[0].text == "山西省应急管理厅关于2023年法治政府建设情况的报告"
