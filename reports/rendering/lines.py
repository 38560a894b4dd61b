"""Break running text into lines on the 28-character grid, the way Chinese typesetting does (W3C clreq).

WeasyPrint breaks lines where Pango allows, and then a line of Chinese that 避头尾 rules shorten ends a
character short. Here each paragraph and heading of running text is broken by the renderer: a line never
starts with closing punctuation nor ends with opening punctuation, never splits a figure, a Latin word,
—— or ……; a closing mark that would start a line is pushed in when the line can be compressed enough (the
mark at the end of the line set half width, consecutive marks compressed, the characters a little closer),
else the character before it goes down with it (push-out). Each line ends with a line feed, under
`white-space: pre` (class "lines" in report.css), so that WeasyPrint breaks nowhere else; justification.py
then spreads or compresses each line, from the widths WeasyPrint measured, so that it ends flush.

The text is not changed: a line feed is white space and no character is inserted, so the text that
pdftotext extracts is the report's (runs of spaces are collapsed, and spaces at a line's ends dropped, as
`white-space: normal` would print them).
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from functools import cache

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

# How far justification.py adjusts a line. Spacing beyond MAX_ADDED_PT between two characters reads as a
# space to text extraction, a gap compressed below about a third of an em as a line break: a line that would
# need more is spread this much and stays short. A closing mark pushed in at the end of a line is set half
# width (END_SQUEEZE_EM); a closing mark followed by another mark gives up to MAX_SQUEEZE_PT; every gap up
# to MAX_TIGHTEN_PT.
MAX_ADDED_PT = 1.6
MAX_SQUEEZE_PT = 4.8
MAX_TIGHTEN_PT = 0.5
END_SQUEEZE_EM = 0.5
# A mark is pushed in only if the line, as estimated here, then fits with this much to spare.
SAFETY_PT = 0.3
EPSILON_PT = 0.01

# The elements report.css sets as running text; a span of class point-heading (楷体) may open one.
_ELEMENT = re.compile(r'<(p|h2)((?: class="(chapter|addressee)")?(?: id="[^"]*")?)>(.*?)</\1>', re.S)
_HEADING = re.compile(r'<span class="point-heading">([^<]*)</span>')
_CONTROL = str.maketrans("\r\n\t", "   ")
_SPACES = re.compile(r" {2,}")


def set_running_text(document_html: str) -> str:
    """The report's HTML with every paragraph and heading of running text broken into lines."""
    return _ELEMENT.sub(_set_element, document_html)


def _set_element(match: re.Match) -> str:
    tag, attributes, css_class, content = match.groups()
    heading = _HEADING.match(content)
    body = content[heading.end() :] if heading else content
    if "<" in body:
        return match.group(0)  # markup this module does not set: WeasyPrint breaks it
    head = _plain(heading.group(1)) if heading else ""
    text = head + _plain(body)
    if not text.strip():
        return match.group(0)
    role = "heiti" if css_class == "chapter" else "fangsong"
    widths = _widths(head, "kaiti") + _widths(text[len(head) :], role)
    indent = 0.0 if css_class == "addressee" else INDENT_PT
    lines = break_lines(text, widths, first_width=LINE_PT - indent, width=LINE_PT)
    printed = "\n".join(_line_html(text, start, end, len(head)) for start, end in lines)
    classes = f"{css_class} lines" if css_class else "lines"
    attributes = attributes.replace(f' class="{css_class}"', "") if css_class else attributes
    return f'<{tag} class="{classes}"{attributes}>{printed}</{tag}>'


def _plain(markup: str) -> str:
    return _SPACES.sub(" ", html.unescape(markup).translate(_CONTROL))


def _widths(text: str, role: str) -> list[float]:
    """Each character's advance in points, with the base letter spacing."""
    return list(map(_width_table(role).__getitem__, text))


@cache
def _width_table(role: str) -> dict[str, float]:
    class Widths(dict):
        def __missing__(self, char: str) -> float:
            self[char] = width = advance(char, role) * FONT_PT + BASE_SPACING_PT
            return width

    return Widths()


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


def break_lines(text: str, widths: list[float], *, first_width: float, width: float) -> list[tuple[int, int]]:
    """(start, end) of each line of a paragraph, spaces at its ends left out: greedy, on the allowed breaks,
    pushing a closing mark in where the line can be compressed enough."""
    offsets = list(itertools.accumulate(widths, initial=0.0))
    lines: list[tuple[int, int]] = []
    start, capacity = 0, first_width
    while start < len(text):
        while start < len(text) and text[start] == " ":
            start += 1
        if start == len(text):
            break
        if _width(text, offsets, start, len(text)) <= capacity + EPSILON_PT:
            lines.append((start, _visible_end(text, start, len(text))))
            break
        end = _fit(text, offsets, start, capacity)
        lines.append((start, _visible_end(text, start, end)))
        start, capacity = end, width
    return lines


def _visible_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1] == " ":
        end -= 1
    return end


def _width(text: str, offsets: list[float], start: int, end: int) -> float:
    return offsets[_visible_end(text, start, end)] - offsets[start]


def _fit(text: str, offsets: list[float], start: int, capacity: float) -> int:
    """Where the line starting at start ends."""
    # Characters start..overflow-1 fit; the one at overflow does not (spaces after them hang past the end).
    overflow = bisect.bisect_right(offsets, offsets[start] + capacity + EPSILON_PT) - 1
    fits = overflow
    while fits < len(text) - 1 and text[fits] == " ":
        fits += 1
    fitting = next((b for b in range(fits, start, -1) if may_break(text[b - 1], text[b])), None)
    later = next((b for b in range((fitting or start) + 1, len(text)) if may_break(text[b - 1], text[b])), None)
    # Only closing marks that may not start a line are pushed in; anything else goes to the next line.
    if later is not None and all(char in NO_LINE_START for char in text[overflow:later]):
        if can_push_in(text[start:later], _width(text, offsets, start, later) - capacity):
            return later
    if fitting is not None:
        return fitting
    return max(overflow, start + 1)  # one word longer than the line: break it where the line is full


def can_push_in(line: str, excess: float) -> bool:
    """Whether a line this many points too long can be compressed to fit, as justification.py compresses
    it: the closing mark at its end set half width, a closing mark followed by another mark compressed,
    then every gap tightened a little."""
    line = line.rstrip(" ")
    excess += SAFETY_PT
    if line[-1] in CLOSING:
        excess -= FONT_PT * END_SQUEEZE_EM
    for before, after in itertools.pairwise(line):
        if excess <= 0:
            return True
        if before in CLOSING and after in CLOSING | OPENING:
            excess -= MAX_SQUEEZE_PT
    return excess <= 0 or (len(line) > 1 and excess / (len(line) - 1) <= MAX_TIGHTEN_PT)


def _line_html(text: str, start: int, end: int, heading_end: int) -> str:
    """One line as HTML, its 楷体 part in a point-heading span."""
    middle = min(max(heading_end, start), end)
    heading = html.escape(text[start:middle], quote=False)
    rest = html.escape(text[middle:end], quote=False)
    return f'<span class="point-heading">{heading}</span>{rest}' if heading else rest
