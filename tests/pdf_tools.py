"""Read PDFs the way a person's tools do (poppler's pdftotext, pdffonts, pdfinfo) and look inside with pikepdf."""

import io
import re
import subprocess
import tempfile

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
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


# Apache PDFBox's PDF/A-1b validator as Debian packages it (libpdfbox2-java), with what it needs on Java 17.
PREFLIGHT_CLASSPATH = ":".join(
    f"/usr/share/java/{jar}.jar"
    for jar in ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api")
)


def preflight(pdf: bytes) -> list[str]:
    """The PDF/A-1 errors Apache PDFBox Preflight finds (ISO 19005-1 level B rules), [] for a valid file."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        finished = subprocess.run(
            ["java", "-cp", PREFLIGHT_CLASSPATH, "org.apache.pdfbox.preflight.Validator_A1b", f.name],
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = finished.stdout + finished.stderr
    if "is a valid PDF/A-1b file" in output:
        return []
    errors = re.findall(r"^\s*(\d[\d.]* : .+)$", output, re.M)
    assert errors, f"Preflight did not run: {output[:500]}"
    return errors


def structure_tags(element, found=None) -> list[str]:
    """The structure element types under a structure tree node, depth first."""
    found = [] if found is None else found
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:
        found.append(str(element.S))
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary):
            structure_tags(kid, found)
    return found


def pdf_page_count(pdf: bytes) -> int:
    return int(pdf_info(pdf)["Pages"])


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
    """Characters drawn with no glyph (tofu): their code finds no glyph in the embedded font, or .notdef.

    WeasyPrint gives a character no font has a code past the end of the font (mapped to CID 0 by its own
    encoding), and still maps it to the character in ToUnicode, so text extraction cannot see the box a
    reader sees.
    """
    return {text for font in embedded_fonts(pdf) for text, glyph in font["glyphs"].items() if glyph is None}


def misdrawn_glyphs(pdf: bytes, source_fonts: dict[str, tuple[str, int]]) -> set[str]:
    """Characters whose embedded glyph is not the outline the source font has for them.

    source_fonts maps a font family (the FontDescriptor's FontFamily) to its file and face index. The
    glyph is found as a viewer finds it: code → CID (through the font's encoding) → glyph (through the
    CFF charset, or the glyph number for TrueType).
    """
    wrong = set()
    for font in embedded_fonts(pdf):
        path, index = source_fonts[font["family"]]
        source = TTFont(path, lazy=True, fontNumber=index)
        source_glyphs, cmap = source.getGlyphSet(), source.getBestCmap()
        for text, glyph in font["glyphs"].items():
            if glyph is None or len(text) != 1 or ord(text) not in cmap:
                continue
            if _outline(glyph) != _outline(source_glyphs[cmap[ord(text)]]):
                wrong.add(text)
    return wrong


def embedded_fonts(pdf: bytes) -> list[dict]:
    """Each Type0 font: its family, and for each character it draws the glyph a viewer draws (None: none)."""
    fonts = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in _type0_fonts(document):
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            key = next(k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            program = descriptor[key]
            glyph_of_cid, glyph_count = _glyph_lookup(program.read_bytes(), str(program.get("/Subtype", "")))
            cid_of_code = _cid_map(font.Encoding)
            codes = _to_unicode(font.ToUnicode.read_bytes().decode("latin-1"))
            glyphs = {text: glyph_of_cid(cid_of_code(code)) for code, text in codes.items()}
            family = str(descriptor.get("/FontFamily", ""))
            fonts.append({"family": family, "glyphs": glyphs, "codes": len(codes), "glyph_count": glyph_count})
    return fonts


def _glyph_lookup(data: bytes, subtype: str):
    """A function from CID to a drawable glyph (None for .notdef or no glyph), and the number of glyphs."""
    if subtype == "/CIDFontType0C":  # bare CFF: by CID through the charset
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        top = cff.topDictIndex[0]
        by_cid = {int(name[3:]): name for name in top.charset if name.startswith("cid")}
        return (lambda cid: top.CharStrings[by_cid[cid]] if cid and cid in by_cid else None), len(top.charset)
    font = TTFont(io.BytesIO(data), lazy=True)
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    if "CFF " in font and hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):  # OpenType CFF: by CID too
        by_cid = {int(name[3:]): name for name in order if name.startswith("cid")}
        return (lambda cid: glyph_set[by_cid[cid]] if cid and cid in by_cid else None), len(order)
    # TrueType with CIDToGIDMap /Identity: the CID is the glyph number.
    return (lambda cid: glyph_set[order[cid]] if 0 < cid < len(order) else None), len(order)


def _cid_map(encoding):
    """Code → CID: identity for Identity-H, else the cidchar entries of the embedded CMap."""
    if isinstance(encoding, pikepdf.Name):
        return lambda code: code
    cmap = encoding.read_bytes().decode("latin-1")
    pairs = {
        int(code, 16): int(cid)
        for block in re.findall(r"begincidchar(.*?)endcidchar", cmap, re.S)
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", block)
    }
    return lambda code: pairs.get(code, 0)


def glyph_has_ink(glyph) -> bool:
    """Whether a glyph draws anything (one that is only an advance prints blank), read from its program without
    drawing it: a CFF charstring draws if it has a line, a curve or a call to a subroutine; a TrueType glyph if
    it has contours or components."""
    glyph_set = getattr(glyph, "glyphSet", None)
    if getattr(glyph_set, "glyfTable", None) is not None:  # a glyph of a TrueType font's glyph set
        return glyph_set.glyfTable[glyph.name].numberOfContours != 0
    # A glyph of an OpenType CFF font's glyph set, or a charstring of a bare CFF program.
    charstring = glyph_set.charStrings[glyph.name] if hasattr(glyph_set, "charStrings") else glyph
    charstring.decompile()
    return any(
        isinstance(token, str) and any(part in token for part in ("line", "curve", "flex", "callsubr", "callgsubr"))
        for token in charstring.program
    )


def _outline(glyph) -> list:
    pen = RecordingPen()
    glyph.draw(pen)
    return pen.value


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


MM = 25.4 / 72


def pdf_lines(pdf: bytes) -> list[dict]:
    """Every printed line, page by page, from the characters' own boxes (pdfplumber): its page, text, the
    left edge of its first character, the right edge of its last, its top, in millimetres from the top left,
    and its last character with that character's left edge and font size."""
    import pdfplumber

    lines = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            rows: list[list[dict]] = []
            for char in sorted(page.chars, key=lambda c: c["bottom"]):
                # Characters of one line (body, 楷体 or 黑体) sit within a few points of one baseline.
                if rows and char["bottom"] - rows[-1][0]["bottom"] < 8:
                    rows[-1].append(char)
                else:
                    rows.append([char])
            for chars in rows:
                bottom = max(c["bottom"] for c in chars)
                chars.sort(key=lambda c: c["x0"])
                last = chars[-1]
                lines.append(
                    {
                        "page": number,
                        "text": "".join(c["text"] for c in chars),
                        "x_min": chars[0]["x0"] * MM,
                        "x_max": last["x1"] * MM,
                        "top": min(c["top"] for c in chars) * MM,
                        "bottom": bottom * MM,
                        "last": last["text"],
                        "last_x_min": last["x0"] * MM,
                        "size": last["size"] * MM,
                    }
                )
    return lines


def ink_rows(pdf: bytes, page: int, *, left: float, right: float, top: float, bottom: float) -> list[float]:
    """The heights (mm from the top) of the rows of pixels with ink in a box of a page rendered at 600 dpi."""
    import pypdfium2

    scale = 600 / 72
    document = pypdfium2.PdfDocument(pdf)
    image = document[page - 1].render(scale=scale).to_pil().convert("L")
    to_px = scale / MM
    rows = []
    for y in range(int(top * to_px), int(bottom * to_px)):
        if any(image.getpixel((x, y)) < 140 for x in range(int(left * to_px), int(right * to_px))):
            rows.append(y / to_px)
    document.close()
    return rows


def ink_colours(pdf: bytes, page: int) -> set[tuple[int, int, int]]:
    """The colours of a page rendered at 30 dpi."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    image = document[page - 1].render(scale=30 / 72).to_pil().convert("RGB")
    colours = {colour for _count, colour in image.getcolors(maxcolors=image.width * image.height)}
    document.close()
    return colours
