"""Pack the embedded CFF fonts of a PDF to the glyphs it uses, before WeasyPrint writes the file.

WeasyPrint subsets a font keeping every glyph number below the highest one used, so that the codes in
the page content stay valid: a report printing 650 characters of a 8,400-glyph font embeds 8,400 glyph
slots, and the empty ones (widths, offsets, charset) cost more than the outlines in the smaller faces.

The codes WeasyPrint writes are glyph numbers of the installed font, used as CIDs. Where that font is
CID-keyed CFF with each CID equal to its glyph number (the cut-down fonts of fonts.py, and Noto CJK),
the font can be subset densely: HarfBuzz keeps each glyph's CID, and the bare CFF program
(FontFile3 /CIDFontType0C) is embedded, in which every viewer finds a glyph by its CID through the
charset, as the PDF standard says. (Inside an OpenType wrapper some viewers, Poppler among them, take
the code as a glyph position instead, which a dense subset breaks.) Other fonts (TrueType, name-keyed
or renumbered CFF) are embedded as WeasyPrint wrote them.

For the fonts it packs, the packer also tells WeasyPrint 70 not to subset them first (two HarfBuzz
passes over every glyph slot, most of the time spent on fonts): it then subsets once, from the
cut-down font file. With another WeasyPrint version that step is skipped and packing works from
WeasyPrint's own subset, slower but the same file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pydyf
import weasyprint
from fontTools.ttLib import TTFont, TTLibError
from weasyprint.pdf import fonts as weasyprint_fonts

from reports.rendering.native import subset_glyphs

logger = logging.getLogger(__name__)


# The WeasyPrint whose Font.subset the packer replaces for the fonts it packs (see _defer_subsetting).
DEFERRING_WEASYPRINT = "70.0"


class FontPacker:
    """A WeasyPrint finisher packing the fonts of the given families (CSS family names)."""

    def __init__(self, families: Iterable[str]):
        self.families = frozenset(families)
        _defer_subsetting(self.families)

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        for cid_font in list(pdf.objects):
            if not isinstance(cid_font, pydyf.Dictionary) or cid_font.get("Subtype") != "/CIDFontType0":
                continue
            descriptor = _resolve(pdf, cid_font["FontDescriptor"])
            program = _resolve(pdf, descriptor.get("FontFile3"))
            family = descriptor.get("FontFamily")
            if program is None or len(program.stream) != 1 or family is None:
                continue
            if _text(family) not in self.families:
                continue
            cff = subset_glyphs(program.stream[0], used_cids(cid_font["W"]), table="CFF ")
            if not cff:
                raise ValueError(f"{_text(family)} has no CFF table to embed")
            program.stream = [cff]
            program.extra["Subtype"] = "/CIDFontType0C"


def used_cids(widths: pydyf.Array) -> list[int]:
    """The CIDs a CIDFont's /W array gives widths for ([first [w1 w2 ...] first [...] ...]), and 0."""
    cids = {0}
    for first, run in zip(widths[::2], widths[1::2], strict=True):
        cids.update(range(first, first + len(run)))
    return sorted(cids)


def has_identity_cids(path: Path, index: int = 0) -> bool:
    """Whether the font file is CID-keyed CFF with CID n at glyph n."""
    try:
        font = TTFont(path, lazy=True, fontNumber=index)
        if "CFF " not in font:
            return False  # TrueType: WeasyPrint's subset is already compact enough
        top = font["CFF "].cff.topDictIndex[0]
        charset = top.charset
    except (TTLibError, OSError, KeyError, AssertionError, IndexError) as exc:
        logger.warning("cannot read the CFF table of %s, its subset is not packed: %s", path.name, exc)
        return False
    return hasattr(top, "ROS") and all(name == f"cid{gid:05d}" for gid, name in enumerate(charset) if gid)


_deferred_families: frozenset[str] = frozenset()
_weasyprint_subset = weasyprint_fonts.Font.subset


def _subset_unless_packed(font, to_unicode, hinting):
    # A face of a collection (.ttc) is subset by WeasyPrint all the same: only its subset is a single
    # OpenType font, which WeasyPrint then embeds as CFF.
    if font.family not in _deferred_families or font.file_content[:4] != b"OTTO":
        _weasyprint_subset(font, to_unicode, hinting)


def _defer_subsetting(families: frozenset[str]) -> None:
    """Have WeasyPrint leave these families' fonts whole: the packer subsets them, once."""
    global _deferred_families
    if weasyprint.__version__ != DEFERRING_WEASYPRINT:
        logger.warning(
            "WeasyPrint %s: fonts are subset twice (packing expects %s)", weasyprint.__version__, DEFERRING_WEASYPRINT
        )
        return
    _deferred_families = families
    weasyprint_fonts.Font.subset = _subset_unless_packed


def _resolve(pdf: pydyf.PDF, reference):
    """The object an indirect reference (b"12 0 R") points to."""
    if reference is None:
        return None
    return pdf.objects[int(bytes(reference).split()[0])]


def _text(value) -> str:
    text = value.string if isinstance(value, pydyf.String) else value
    return text.decode() if isinstance(text, bytes) else str(text)
