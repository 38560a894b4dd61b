"""HTML to PDF: the only module that imports WeasyPrint."""

from __future__ import annotations

from functools import cache

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.filing.document import Document
from reports.rendering.fetcher import ASSETS_BASE_URL, AssetsOnlyFetcher


@cache
def font_configuration() -> FontConfiguration:
    """One per process: building it scans the system fonts."""
    return FontConfiguration()


def document_html(document: Document) -> str:
    return render_to_string("rendering/report.html", {"doc": document})


def render_pdf(document: Document) -> bytes:
    html = HTML(string=document_html(document), base_url=ASSETS_BASE_URL, url_fetcher=AssetsOnlyFetcher())
    return html.write_pdf(font_config=font_configuration())
