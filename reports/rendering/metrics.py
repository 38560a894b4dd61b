"""How wide each character prints in each role's font, read from the font files the PDF embeds."""

from __future__ import annotations

import unicodedata
from functools import cache

from fontTools.ttLib import TTFont

from reports.rendering.fonts import role_files


@cache
def advances(role: str) -> dict[int, float]:
    """Advance widths in em of every character the role's font maps (once per process)."""
    path = role_files().get(role)
    if path is None:
        return {}
    font = TTFont(path, lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {codepoint: metrics[glyph][0] / units for codepoint, glyph in font.getBestCmap().items()}


def advance(char: str, role: str) -> float:
    """The character's width in em; one the font lacks prints from a fallback font, where Chinese characters
    and full-width forms are one em wide and others about half."""
    width = advances(role).get(ord(char))
    if width is not None:
        return width
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5
