import re

import pytest

from reports.demo.services import sample_snapshot
from reports.filing.document import compose_document
from reports.rendering.fetcher import ASSETS_DIR, AssetsOnlyFetcher, ForbiddenResource
from reports.rendering.pdf import render_pdf
from tests.pdf_tools import pdf_fonts, pdf_text


@pytest.fixture(scope="module")
def shanxi_pdf():
    return render_pdf(compose_document(sample_snapshot("2023-shanxi-emergency-management-department.json")))


def test_the_pdf_shows_the_title_headings_and_page_numbers(shanxi_pdf):
    text = pdf_text(shanxi_pdf)
    assert "关于 2023 年法治政府建设情况的报告" in text
    for heading in [
        "一、2023 年推进法治政府建设的主要举措和成效",
        "二、推进法治政府建设存在的不足和原因",
        "四、履行法院生效裁判情况",
        "（一）强化组织领导",
    ]:
        assert heading in text
    page_numbers = re.findall(r"—\s*(\d+)\s*—", text)
    assert page_numbers[:3] == ["1", "2", "3"]


def test_every_font_is_embedded_and_subset_and_chinese_text_survives(shanxi_pdf):
    fonts = pdf_fonts(shanxi_pdf)
    assert fonts and all(f["embedded"] and f["subset"] for f in fonts)
    assert any("CJK" in f["name"] for f in fonts)
    assert "整改率96.2%，挂牌督办6230项" in re.sub(r"\s", "", pdf_text(shanxi_pdf))


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8000/admin/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        (ASSETS_DIR / ".." / "fetcher.py").as_uri(),
        ASSETS_DIR.as_uri() + "/../../../portal/settings.py",
        "data:text/css,body{}",
        "ftp://example.com/x",
    ],
)
def test_the_renderer_refuses_anything_outside_its_assets(url):
    with pytest.raises(ForbiddenResource):
        AssetsOnlyFetcher().fetch(url)


def test_the_renderer_reads_its_own_stylesheet():
    response = AssetsOnlyFetcher().fetch((ASSETS_DIR / "report.css").as_uri())
    assert b"@page" in response.read()


def test_markup_in_user_text_is_printed_as_text_and_fetches_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    hostile = [
        f'<img src="file://{secret}">',
        f'<link rel="attachment" href="file://{secret}">',
        f'<style>@import url("file://{secret}");</style>',
        '<img src="http://169.254.169.254/latest/meta-data/">',
    ]
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["preface"] = hostile
    pdf = render_pdf(compose_document(snapshot))
    text = pdf_text(pdf)
    assert "<img" in text and "@import" in text
    assert "TOP-SECRET-CONTENT" not in text
    assert b"TOP-SECRET-CONTENT" not in pdf
    assert b"/EmbeddedFile" not in pdf
