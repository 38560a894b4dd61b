"""The document as the PDF prints it: its title in lines, its running text set line by line (lines.py)."""

from __future__ import annotations

import dataclasses

from django.template.loader import render_to_string

from reports.filing.document import Document
from reports.rendering.lines import set_running_text
from reports.rendering.titles import title_lines
from reports.rendering.watermark import draft_mark


def for_print(document: Document) -> Document:
    """The document without anchors: the PDF links nowhere; its outline comes from the headings."""
    return dataclasses.replace(document, blocks=[dataclasses.replace(block, anchor="") for block in document.blocks])


def document_html(document: Document) -> str:
    """The HTML the PDF is rendered from: the one document template, set for print."""
    lines = title_lines(document.printed_title, agency=document.agency_in_title)
    context = {
        "doc": for_print(document),
        "title_lines": lines,
        "draft_mark": draft_mark() if document.is_draft else "",
    }
    html = render_to_string("rendering/report.html", context)
    return set_running_text(html)
