"""Read PDFs the way a person's tools do (poppler's pdftotext, pdffonts, pdfinfo) and look inside with pikepdf."""

import io
import re
import subprocess
import tempfile

import pikepdf
from fontTools.ttLib import TTFont

PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(
            [tool, *args, f.name, "-"] if tool == "pdftotext" else [tool, *args, f.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_text(pdf: bytes) -> str:
    return _run("pdftotext", pdf, "-layout")


def pdf_reading_text(pdf: bytes) -> str:
    """The text in reading order, as copying it out of a viewer gives it."""
    return _run("pdftotext", pdf)


def pdf_words(pdf: bytes, page: int) -> list[dict]:
    """Words of one page with their boxes in millimetres from the top left."""
    html = _run("pdftotext", pdf, "-bbox", "-f", str(page), "-l", str(page))
    words = []
    for x_min, y_min, x_max, y_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
    ):
        mm = [float(v) * 25.4 / 72 for v in (x_min, y_min, x_max, y_max)]
        words.append({"x_min": mm[0], "y_min": mm[1], "x_max": mm[2], "y_max": mm[3], "text": word})
    return words


def without_whitespace_and_page_numbers(text: str) -> str:
    return re.sub(r"\s", "", PAGE_NUMBER.sub("", text))


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _run("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pdf_fonts(pdf: bytes) -> list[dict]:
    lines = _run("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name ... emb sub uni object ID: the three flags sit before the last two columns.
        fonts.append({"name": parts[0], "embedded": parts[-5] == "yes", "subset": parts[-4] == "yes"})
    return fonts


def xmp(pdf: bytes) -> str:
    """The document's XMP metadata packet."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return document.Root.Metadata.read_bytes().decode() if "/Metadata" in document.Root else ""


def missing_glyphs(pdf: bytes) -> set[str]:
    """Characters drawn with no glyph (tofu): their glyph id is not in the embedded font, or is .notdef.

    WeasyPrint gives a character no font has a glyph id past the end of the font, and still maps it to
    the character in ToUnicode, so text extraction cannot see the box a reader sees.
    """
    missing = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in _type0_fonts(document):
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            glyph_count = TTFont(io.BytesIO(program.read_bytes()), lazy=True)["maxp"].numGlyphs
            for glyph_id, text in _to_unicode(font.ToUnicode.read_bytes().decode("latin-1")).items():
                if glyph_id == 0 or glyph_id >= glyph_count:
                    missing.add(text)
    return missing


def _type0_fonts(document: pikepdf.Pdf):
    seen = set()
    for page in document.pages:
        for font in page.Resources.get("/Font", {}).values():
            if font.objgen not in seen and font.Subtype == "/Type0":
                seen.add(font.objgen)
                yield font


def _to_unicode(cmap: str) -> dict[int, str]:
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(glyph, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = ord(bytes.fromhex(text).decode("utf-16-be"))
            for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[glyph] = chr(start + offset)
    return mapping
