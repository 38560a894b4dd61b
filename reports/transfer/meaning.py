"""Which section a chapter belongs to, read from its heading: by meaning, never by position.

Each section says which headings are its own (its `importing.heading`), and they are tried in the sections'
`importing.rank` order; what names no section is a themed chapter, for the section that receives themes.
"""

from __future__ import annotations

import re

from reports.filing.sections import SectionType, section_types
from reports.transfer.text import folded

OTHER = "other"
THEME = "theme"

_OTHER_HEADING = re.compile(r"^其他(?:需要|应当|应)?(?:报告|说明)?的?(?:情况|事项)")
NOTHING_TO_REPORT = "本年度无此项情况。"


def _importable() -> list[SectionType]:
    return sorted((s for s in section_types() if s.importing), key=lambda s: s.importing.rank)


def meaning_of(heading: str) -> str:
    """A section key, OTHER for 其他需要报告的情况, or THEME for a chapter whose heading names no section."""
    text = folded(heading)
    if _OTHER_HEADING.search(text):
        return OTHER
    for section_type in _importable():
        if section_type.importing.heading.search(text):
            return section_type.key
    return THEME


def theme_receiver() -> str | None:
    """The section that takes the themed chapters (measures, folded into themes)."""
    return next((s.key for s in _importable() if s.importing.receives_themes), None)
