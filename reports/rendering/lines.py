"""Set running text line by line on the 28-character grid, the way Chinese typesetting does (W3C clreq).

WeasyPrint justifies only at spaces, so a line of Chinese that 避头尾 rules shorten ends a character short,
and a line with figures in it ends ragged. Here each paragraph is broken into lines by the renderer: a line
never starts with closing punctuation nor ends with opening punctuation, never splits a figure, a Latin word,
—— or ……; a closing mark that would start a line is pushed in when the line can be tightened enough (the
mark at the end of a line set half width, consecutive marks compressed, the characters a little closer),
else the character before it goes down with it. Every line but a paragraph's last then gets the letter
spacing that makes it end flush, the slack spread between all its characters.

The text is not changed: no character is inserted, so the text that pdftotext extracts is the report's.
Spacing stays within what text extraction reads as one word (an added gap above a tenth of an em would
come out as a space, a compressed one below about a third of an em as a line break), so a line that
would need more stays short.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from dataclasses import dataclass

from reports.rendering.metrics import advance

FONT_PT = 16.0
# report.css: letter-spacing -0.21pt makes 28 characters of 16pt fill the 156 mm line.
BASE_SPACING_PT = -0.21
LINE_PT = 156 / 25.4 * 72
INDENT_PT = 2 * LINE_PT / 28

NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】〗〉…—·%％‰℃,.;:?!)]}")
NO_LINE_END = frozenset("（《「『“‘〔【〖〈([{")
CLOSING = frozenset("，。、；：？！）》」』”’〕】〗〉")
OPENING = frozenset("（《「『“‘〔【〖〈")
PAIRED = frozenset("—…")

# Limits that keep what pdftotext extracts unchanged (see the module's docstring), in points.
MAX_ADDED_PT = 1.6
MAX_SQUEEZE_PT = 4.8
MAX_TIGHTEN_PT = 0.5
END_SQUEEZE_PT = FONT_PT / 2
# Lines end this much inside the block, so that rounding never makes WeasyPrint wrap one.
SAFETY_PT = 0.3

# The elements report.css sets as running text, with the role of their font and whether the first line is
# indented two characters; a span of class point-heading is set in 楷体.
_ELEMENT = re.compile(r'<(p|h2)((?: class="(?:chapter|addressee)")?(?: id="[^"]*")?)>(.*?)</\1>', re.S)
_TOKEN = re.compile(r"(<[^>]*>)")
_OPEN_HEADING = '<span class="point-heading">'


@dataclass(frozen=True)
class Glyph:
    char: str
    css_class: str  # "" or "point-heading"
    width: float  # natural advance in points, with the base letter spacing


def set_running_text(document_html: str) -> str:
    """The report's HTML with every paragraph and heading of running text broken into flush lines."""
    return _ELEMENT.sub(_set_element, document_html)


def _set_element(match: re.Match) -> str:
    tag, attributes, content = match.groups()
    role = "heiti" if "chapter" in attributes else "fangsong"
    glyphs = _glyphs(content, role)
    if glyphs is None:
        return match.group(0)
    indent = 0.0 if "addressee" in attributes else INDENT_PT
    lines = break_lines(glyphs, first_width=LINE_PT - indent, width=LINE_PT)
    body = "\n".join(_line_html(glyphs[start:end], spacing) for start, end, spacing in lines)
    return f"<{tag}{attributes}>{body}</{tag}>"


def _glyphs(content: str, role: str) -> list[Glyph] | None:
    """The element's characters with their widths; None for content this module does not set."""
    glyphs, css_class = [], ""
    for token in _TOKEN.split(content):
        if token == _OPEN_HEADING and not css_class:
            css_class = "point-heading"
        elif token == "</span>" and css_class:
            css_class = ""
        elif token.startswith("<"):
            return None
        else:
            font = "kaiti" if css_class else role
            for char in html.unescape(token):
                if char in "\r\n\t":
                    char = " "
                glyphs.append(Glyph(char, css_class, advance(char, font) * FONT_PT + BASE_SPACING_PT))
    return glyphs if glyphs and not css_class else None


def may_break(before: str, after: str) -> bool:
    """Whether a line may end between these two characters."""
    if after == " ":
        return False
    if before == " ":
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before in PAIRED and after == before:
        return False
    return not (_is_latin(before) and _is_latin(after))


def _is_latin(char: str) -> bool:
    return char.isascii() and not char.isspace()


Line = tuple[int, int, list[float]]


def break_lines(glyphs: list[Glyph], *, first_width: float, width: float) -> list[Line]:
    """(start, end, letter spacing of each character) for each line."""
    chars = [g.char for g in glyphs]
    offsets = list(itertools.accumulate((g.width for g in glyphs), initial=0.0))
    breaks = [i for i in range(1, len(chars)) if may_break(chars[i - 1], chars[i])]
    lines: list[Line] = []
    start, capacity = 0, first_width
    while start < len(chars):
        while start < len(chars) and chars[start] == " ":
            start += 1
        if start == len(chars):
            break
        natural = _line_width(glyphs, offsets, start, len(chars))
        if natural <= capacity + 0.01:
            lines.append((start, len(chars), [BASE_SPACING_PT] * (len(chars) - start)))
            break
        end, spacing = _fit(glyphs, offsets, breaks, start, capacity)
        lines.append((start, end, spacing))
        start, capacity = end, width
    return lines


def _line_width(glyphs: list[Glyph], offsets: list[float], start: int, end: int) -> float:
    while end > start + 1 and glyphs[end - 1].char == " ":
        end -= 1
    return offsets[end] - offsets[start]


def _fit(glyphs: list[Glyph], offsets: list[float], breaks: list[int], start: int, capacity: float):
    fitting = later = None
    for b in breaks[bisect.bisect_right(breaks, start) :]:
        if _line_width(glyphs, offsets, start, b) <= capacity + 0.01:
            fitting = b
        else:
            later = b
            break
    # Only closing marks that may not start a line are pushed in; anything else goes to the next line.
    overflow = bisect.bisect_right(offsets, offsets[start] + capacity + 0.01) - 1
    if later is not None and all(g.char in NO_LINE_START for g in glyphs[overflow:later]):
        pushed_in = _squeezed(glyphs, offsets, start, later, capacity)
        if pushed_in is not None:
            return later, pushed_in
    if fitting is not None:
        end = fitting
    else:  # one word longer than the line: break it where the line is full
        end = bisect.bisect_right(offsets, offsets[start] + capacity + 0.01) - 1
        end = max(end, start + 1)
    return end, _spread(glyphs, offsets, start, end, capacity)


def _visible_end(glyphs: list[Glyph], start: int, end: int) -> int:
    while end > start + 1 and glyphs[end - 1].char == " ":
        end -= 1
    return end


def _spread(glyphs: list[Glyph], offsets: list[float], start: int, end: int, capacity: float) -> list[float]:
    """Letter spacing that makes the line [start, end) end flush: the slack spread between its characters."""
    last = _visible_end(glyphs, start, end)
    slack = capacity - (offsets[last] - offsets[start])
    gaps = last - start - 1
    added = min((slack - SAFETY_PT) / gaps, MAX_ADDED_PT) if gaps > 0 and slack > SAFETY_PT else 0.0
    # The last character keeps the base spacing: the line's box then ends at the text block's edge.
    return [BASE_SPACING_PT + added] * (last - 1 - start) + [BASE_SPACING_PT] * (end - last + 1)


def _squeezed(glyphs: list[Glyph], offsets: list[float], start: int, end: int, capacity: float) -> list[float] | None:
    """Letter spacing that fits [start, end) into the line by compressing punctuation (None if it cannot)."""
    last = _visible_end(glyphs, start, end)
    excess = offsets[last] - offsets[start] - capacity + SAFETY_PT
    spacing = [BASE_SPACING_PT] * (end - start)
    if glyphs[last - 1].char in CLOSING:  # set half width at the end of the line
        spacing[last - 1 - start] -= END_SQUEEZE_PT
        excess -= min(excess, END_SQUEEZE_PT) if excess > 0 else 0
    for i in range(start, last - 1):
        if excess <= 0:
            break
        if glyphs[i].char in CLOSING and glyphs[i + 1].char in CLOSING | OPENING:
            squeeze = min(excess, MAX_SQUEEZE_PT)
            spacing[i - start] -= squeeze
            excess -= squeeze
    gaps = last - start - 1
    if excess > 0:
        if gaps <= 0 or excess / gaps > MAX_TIGHTEN_PT:
            return None
        for i in range(last - 1 - start):
            spacing[i] -= excess / gaps
    return spacing


def _line_html(glyphs: list[Glyph], spacing: list[float]) -> str:
    """The line as spans of equal class and spacing (the base spacing needs no span: report.css sets it)."""
    pieces = []
    for (css_class, pt), run in itertools.groupby(
        zip(glyphs, spacing, strict=True), key=lambda pair: (pair[0].css_class, round(pair[1], 2))
    ):
        text = html.escape("".join(glyph.char for glyph, _ in run), quote=False)
        attributes = f' class="{css_class}"' if css_class else ""
        if pt != round(BASE_SPACING_PT, 2):
            attributes += f' style="letter-spacing:{pt}pt"'
        pieces.append(f"<span{attributes}>{text}</span>" if attributes else text)
    return "".join(pieces)
