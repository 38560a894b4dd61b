"""How wide each character prints in each role's font, read from the font files the PDF embeds."""

from __future__ import annotations

import unicodedata
from functools import cache

from fontTools.ttLib import TTFont

from reports.rendering.fonts import role_files


@cache
def advances(role: str) -> dict[int, float]:
    """Advance widths in em of the characters the role's font maps, where they differ from what `advance`
    assumes of a character (once per process). Only those are kept: most of a Chinese font is one em wide,
    and a dict of every character it maps would hold several megabytes in every worker."""
    path = role_files().get(role)
    if path is None:
        return {}
    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        return {
            codepoint: metrics[glyph][0] / units
            for codepoint, glyph in font.getBestCmap().items()
            if metrics[glyph][0] != units * _assumed(chr(codepoint))
        }


def advance(char: str, role: str) -> float:
    """The character's width in em; one the font lacks prints from a fallback font, where Chinese characters
    and full-width forms are one em wide and others about half."""
    return advances(role).get(ord(char), _assumed(char))


def _assumed(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5
