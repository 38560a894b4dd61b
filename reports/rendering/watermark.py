"""The 草稿 mark across a draft's pages, drawn as outlines: a mark, not text, so that it stays out of the
text a reader copies or a screen reader speaks."""

from __future__ import annotations

from functools import cache

from django.utils.safestring import SafeString, mark_safe
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from reports.rendering.fonts import role_files

DRAFT = "草稿"


@cache
def draft_mark() -> SafeString:
    """An SVG of the word in the heading font's outlines (once per process)."""
    font = TTFont(role_files()["heiti"], lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    units = font["head"].unitsPerEm
    paths, x = [], 0
    for char in DRAFT:
        name = cmap[ord(char)]
        pen = SVGPathPen(glyphs)
        glyphs[name].draw(pen)
        # Font units run upwards from the baseline, SVG's downwards from the top.
        paths.append(f'<path transform="translate({x} {units * 0.88}) scale(1 -1)" d="{pen.getCommands()}"/>')
        x += glyphs[name].width
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {x} {units}" aria-hidden="true">'
        f'<g fill="rgb(200, 0, 0)" fill-opacity="0.12">{"".join(paths)}</g></svg>'
    )
    return mark_safe(svg)
