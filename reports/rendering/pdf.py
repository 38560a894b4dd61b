"""HTML to PDF: the only module that imports WeasyPrint."""

from __future__ import annotations

import ctypes
import gc
import struct
from enum import Enum
from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reports.filing.document import Document
from reports.rendering import fonts, justification, lines
from reports.rendering.fetcher import ASSETS_BASE_URL, ASSETS_DIR, AssetsOnlyFetcher
from reports.rendering.metadata import declare_namespaces_on_descriptions
from reports.rendering.metrics import advances
from reports.rendering.packing import FontPacker
from reports.rendering.titles import warm_up as load_word_segmenter
from reports.rendering.typesetting import document_html


class Conformance(Enum):
    """What the file claims: tagged for accessibility (PDF/UA-1), or for archives PDF/A-1a, the level of
    ISO 19005-1 (GB/T 23286.1-2009, named by China's archive standards) that also requires tags and
    Unicode text; Apache PDFBox's Preflight validates it (tests/test_pdf_conformance.py)."""

    ACCESSIBLE = "pdf/ua-1"
    ARCHIVAL = "pdf/a-1a"


@cache
def font_configuration() -> FontConfiguration:
    """One per process: building it scans the system fonts; WeasyPrint keeps its font caches on it."""
    return FontConfiguration()


class ReportHTML(HTML):
    """The report's HTML, given only the user-agent rules its elements need (assets/user-agent.css)."""

    def _ua_stylesheets(self, forms=False):
        return [user_agent_stylesheet()]


@cache
def user_agent_stylesheet() -> CSS:
    return CSS(filename=str(ASSETS_DIR / "user-agent.css"), url_fetcher=AssetsOnlyFetcher())


@cache
def stylesheets() -> tuple[CSS, ...]:
    """Parsed once per process, bound to the process's font configuration."""
    configuration = font_configuration()
    fetcher = AssetsOnlyFetcher()
    faces = fonts.font_faces_css()
    return (
        CSS(string=faces, base_url=ASSETS_BASE_URL, url_fetcher=fetcher, font_config=configuration),
        CSS(filename=str(ASSETS_DIR / "report.css"), url_fetcher=fetcher, font_config=configuration),
    )


@cache
def font_packer() -> FontPacker:
    return FontPacker(fonts.packable_families())


def forget_fonts() -> None:
    """Forget every font this process found and what was built from them (stylesheets, widths, the packer), so
    that the next PDF looks for fonts again: after the font folder changed, as when licensed fonts are installed."""
    for remembered in (
        fonts.role_files,
        fonts.face_files,
        fonts.packable_families,
        advances,
        lines._width_table,
        stylesheets,
        font_configuration,
        font_packer,
    ):
        remembered.cache_clear()


def finish(document, pdf) -> None:
    """WeasyPrint's finisher: what is done to the PDF's objects before they are written."""
    font_packer()(document, pdf)
    declare_namespaces_on_descriptions(pdf)


def warm_up() -> None:
    """Do the once-per-process work now (a worker calls this when its process starts)."""
    justification.install()
    stylesheets()
    user_agent_stylesheet()
    font_packer()
    load_word_segmenter()
    for role in ("fangsong", "heiti", "kaiti", "xiaobiaosong"):
        advances(role)
    # What exists now (Django, fonts, stylesheets) lives as long as the process: the cyclic collector need
    # not scan it again in the full collections a report's few hundred thousand objects set off.
    gc.collect()
    gc.freeze()
    _return_free_memory()


def _return_free_memory() -> None:
    """Give back what warming up used and no longer needs, which each worker process would otherwise hold for
    good: the struct module's cache of compiled formats (fontTools reads a font's metrics with a format as
    long as the font has glyphs, 4 MB for a CJK font), and the heap glibc keeps after the fonts were cut and
    the word segmenter's dictionary read."""
    struct._clearcache()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def render_pdf(document: Document, *, conformance: Conformance = Conformance.ACCESSIBLE) -> bytes:
    justification.install()
    html = ReportHTML(string=document_html(document), base_url=ASSETS_BASE_URL, url_fetcher=AssetsOnlyFetcher())
    return html.write_pdf(
        stylesheets=list(stylesheets()),
        font_config=font_configuration(),
        pdf_variant=conformance.value,
        pdf_tags=True,
        full_fonts=False,
        hinting=False,
        uncompressed_pdf=False,
        finisher=finish,
    )
