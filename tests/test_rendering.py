"""The renderer reads nothing but its own assets and font files: no network, no other file, no user markup."""

import re

import pytest

from reports.demo.services import sample_snapshot
from reports.filing.document import compose_document
from reports.rendering import fonts
from reports.rendering.fetcher import ASSETS_DIR, AssetsOnlyFetcher, ForbiddenResource
from reports.rendering.pdf import render_pdf
from tests.pdf_tools import pdf_fonts, pdf_text


@pytest.fixture(scope="module")
def shanxi_pdf():
    return render_pdf(compose_document(sample_snapshot("2023-shanxi-emergency-management-department.json")))


@pytest.fixture
def font_folder(tmp_path, settings):
    """An agency's font folder holding one font, a text file, and links out of it."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "readme.txt").write_text("licence terms")
    (folder / "fangsong.ttf").write_bytes(fonts.role_files()["kaiti"].read_bytes())
    (folder / "passwd.ttf").symlink_to("/etc/passwd")
    (folder / "notes.ttf").symlink_to(folder / "readme.txt")
    settings.PORTAL_FONT_DIR = folder
    return folder


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
    fonts_used = pdf_fonts(shanxi_pdf)
    assert fonts_used and all(f["embedded"] and f["subset"] for f in fonts_used)
    assert "整改率96.2%，挂牌督办6230项" in re.sub(r"\s", "", pdf_text(shanxi_pdf))


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8000/admin/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        (ASSETS_DIR / ".." / "fetcher.py").as_uri(),
        ASSETS_DIR.as_uri() + "/../../../portal/settings.py",
        ASSETS_DIR.as_uri() + "/%2e%2e/fetcher.py",
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


def test_the_font_folder_gives_out_font_files_and_nothing_else(font_folder):
    assert AssetsOnlyFetcher().fetch((font_folder / "fangsong.ttf").as_uri()).read()[:4] in (b"\0\1\0\0", b"OTTO")
    for name in ["readme.txt", "passwd.ttf", "notes.ttf", "missing.ttf"]:
        with pytest.raises(ForbiddenResource):
            AssetsOnlyFetcher().fetch((font_folder / name).as_uri())
    with pytest.raises(ForbiddenResource):
        AssetsOnlyFetcher().fetch((font_folder / ".." / ".." / "etc" / "passwd").as_uri())


def test_the_font_cache_gives_out_the_cut_down_fonts_only():
    cut = fonts.role_files()["fangsong"]
    assert cut.is_relative_to(fonts.font_cache_dir())
    assert AssetsOnlyFetcher().fetch(cut.as_uri()).read()
    (fonts.font_cache_dir() / "stray.part").write_bytes(b"half a font")
    with pytest.raises(ForbiddenResource):
        AssetsOnlyFetcher().fetch((fonts.font_cache_dir() / "stray.part").as_uri())


def test_markup_in_user_text_is_printed_as_text_and_fetches_nothing(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    hostile = [
        f'<img src="file://{secret}">',
        f'<link rel="attachment" href="file://{secret}">',
        f'<style>@import url("file://{secret}");</style>',
        '<img src="http://169.254.169.254/latest/meta-data/">',
        '<link rel="stylesheet" href="http://localhost:8000/x.css">',
        '<object data="../fetcher.py"></object><iframe src="../../portal/settings.py"></iframe>',
    ]
    snapshot = sample_snapshot("2022-changzhi-emergency-management-bureau.json")
    snapshot["preface"] = hostile
    snapshot["title"] = f'<img src="file://{secret}">关于“<b>”的报告'
    snapshot["attachments"] = [f'<a href="file://{secret}">附件</a>']
    fetched = []
    original = AssetsOnlyFetcher.fetch
    monkeypatch.setattr(AssetsOnlyFetcher, "fetch", lambda self, url, *a: fetched.append(url) or original(self, url))
    document = render_pdf(compose_document(snapshot))
    text = pdf_text(document)
    assert "<img" in text and "@import" in text and "<b>" in text
    assert "TOP-SECRET-CONTENT" not in text
    assert b"TOP-SECRET-CONTENT" not in document
    assert b"/EmbeddedFile" not in document
    assert not [url for url in fetched if "secret" in url or "http" in url or "fetcher" in url]
