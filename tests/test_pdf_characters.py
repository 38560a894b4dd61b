"""Every character of the 通用规范汉字表 (8,105, in Unihan's kTGH field) prints with a glyph that has ink, in the
body, both heading faces and the title: no box, no blank.

All 8,105 are followed through each role's font list as report.css writes it (the first font whose character
map has a character prints it, as Pango picks fonts), and each glyph that would print is read for ink; then a
few characters that each font of a list prints are rendered, to see the PDF print them from that font."""

import bz2
import functools
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from reports.rendering import fonts, pdf
from reports.rendering.fetcher import ASSETS_BASE_URL, ASSETS_DIR, AssetsOnlyFetcher
from reports.rendering.native import find_font
from tests.pdf_tools import embedded_fonts, glyph_has_ink, missing_glyphs, pdf_reading_text

# Debian's unicode-data (scripts/install-system-deps installs it for the tests).
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
# Each role's element in report.css, and how the test prints it.
ROLES = {
    "body": ("html", "<p>{}</p>"),
    "title": ("h1.title", '<h1 class="title">{}</h1>'),
    "一、 heading": ("h2.chapter", '<h2 class="chapter">{}</h2>'),
    "（一） heading": (".point-heading", '<p><span class="point-heading">{}</span></p>'),
}
GENERIC = {"serif", "sans-serif"}


@pytest.fixture(scope="module")
def table() -> str:
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as unihan:
        return "".join(chr(int(code, 16)) for code in re.findall(r"^U\+([0-9A-F]+)\tkTGH\t", unihan.read(), re.M))


def font_list(selector: str) -> list[str]:
    """The families report.css lists for the element, in order."""
    css = (ASSETS_DIR / "report.css").read_text(encoding="utf-8")
    rule = re.search(rf"(?:^|\n){re.escape(selector)} \{{([^}}]*)\}}", css).group(1)
    families = re.search(r"font-family:([^;]*);", rule).group(1)
    return [family.strip().strip('"') for family in families.split(",")]


@functools.cache
def face(family: str) -> tuple[dict[int, str], object, TTFont]:
    """The character map, glyph set and font of the file behind a family."""
    bound = fonts.face_files().get(family)
    path, index = (bound, 0) if bound else (lambda found: (found.path, found.index))(find_font(family))
    font = TTFont(path, lazy=True, fontNumber=index)
    return font.getBestCmap(), font.getGlyphSet(), font


def printed_by(family_list: list[str], char: str) -> str | None:
    for family in family_list:
        if family in GENERIC:
            return None
        if ord(char) in face(family)[0]:
            return family
    return None


def test_the_table_holds_8105_characters_beyond_the_bmp_too(table):
    assert len(table) == len(set(table)) == 8105
    assert sum(ord(char) > 0xFFFF for char in table) > 100  # Extension B and later: names of people and places


@pytest.mark.parametrize("role", list(ROLES))
def test_every_character_of_the_table_prints_with_ink(table, role):
    family_list = font_list(ROLES[role][0])
    by_family: dict[str | None, list[str]] = {}
    for char in table:
        by_family.setdefault(printed_by(family_list, char), []).append(char)
    assert by_family.get(None, []) == []  # a box
    blank = [
        char
        for family, chars in by_family.items()
        for char in chars
        if not glyph_has_ink(face(family)[1][face(family)[0][ord(char)]])
    ]
    assert blank == []
    assert len(by_family) >= 2  # the cut-down font prints most, a fuller one the rest
    # The PDF prints from each font of the list what the list gives it.
    sample = "".join(chars[0] + chars[len(chars) // 2] + chars[-1] for chars in by_family.values())
    printed = pdf.ReportHTML(
        string=ROLES[role][1].format(sample), base_url=ASSETS_BASE_URL, url_fetcher=AssetsOnlyFetcher()
    ).write_pdf(stylesheets=list(pdf.stylesheets()), font_config=pdf.font_configuration(), finisher=pdf.finish)
    assert missing_glyphs(printed) == set()
    embedded = {
        text: font["family"] for font in embedded_fonts(printed) for text, glyph in font["glyphs"].items() if glyph
    }
    assert {char: embedded.get(char) for char in sample} == {
        char: family for family, chars in by_family.items() for char in chars if char in sample
    }
    assert re.sub(r"\s", "", pdf_reading_text(printed)).startswith(sample)
