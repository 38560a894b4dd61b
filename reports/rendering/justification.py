"""Adjust each line of Chinese running text to the measure, in WeasyPrint's own line layout (W3C clreq §3.8).

lines.py breaks running text into lines itself, one line feed after each line but a paragraph's last (under
`white-space: pre`, so WeasyPrint breaks nowhere else). Here each such line, as WeasyPrint laid it out (the
fonts' own widths, fallback fonts included, not an estimate), is brought to the end of the line:

- a line that falls short (every line but a paragraph's last) is spread between all its characters
  (CSS Text 3 `text-justify: inter-character`), never more than MAX_ADDED_PT between two;
- a line that runs over (a closing mark pushed in rather than starting the next line) is compressed: a
  closing mark at its end is set half width, a closing mark followed by another mark is compressed, and what
  remains is taken evenly from the gaps between characters.

WeasyPrint 70 knows only inter-word justification (slack spread at spaces, of which Chinese has none) and
never justifies a line that ends at a forced break; a span with its own letter-spacing around each line costs
it an element, a style, a box and a tag per line (a fifth of a report's rendering time). So two functions of
weasyprint.layout.inline are wrapped, only for the WeasyPrint this was written against
(`JUSTIFYING_WEASYPRINT`); with another one lines keep WeasyPrint's own alignment, and the tests that
measure the right edge (tests/test_pdf_print_layout.py) fail.
"""

from __future__ import annotations

import copy
import itertools
import logging
from collections.abc import Iterator

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.line_break import create_layout, line_size

from reports.rendering.lines import CLOSING, END_SQUEEZE_EM, MAX_ADDED_PT, MAX_SQUEEZE_PT, MAX_TIGHTEN_PT, OPENING

logger = logging.getLogger(__name__)

JUSTIFYING_WEASYPRINT = "70.0"
# A line whose last character ends this close to the line's end is left as it is (0.09 mm).
TOLERANCE_PT = 0.25
# WeasyPrint lays out in CSS pixels.
PX = 96 / 72

_installed = False
_weasyprint_next_linebox = inline.get_next_linebox


def install() -> None:
    """Have WeasyPrint adjust lines between their characters (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    if weasyprint.__version__ != JUSTIFYING_WEASYPRINT:
        logger.warning(
            "WeasyPrint %s: lines are not justified between characters (written for %s)",
            weasyprint.__version__,
            JUSTIFYING_WEASYPRINT,
        )
        return
    inline.get_next_linebox = _next_linebox
    inline.justify_line = _adjusted_by_next_linebox


def _adjusted_by_next_linebox(context, line, extra_width) -> None:
    """WeasyPrint's inter-word justification, left out: _next_linebox adjusts the lines of justified blocks."""


def _next_linebox(context, linebox, position_y, bottom_space, skip_stack, containing_block, *args):
    line, resume_at = _weasyprint_next_linebox(
        context, linebox, position_y, bottom_space, skip_stack, containing_block, *args
    )
    style = linebox.style
    if (
        line is not None
        and style["text_align_all"] == "justify"
        and style["direction"] == "ltr"
        and not context.excluded_shapes
    ):
        adjust_line(context, line, containing_block.width, is_last=resume_at is None)
    return line, resume_at


def adjust_line(context, line, width: float, *, is_last: bool) -> None:
    """Bring the line's last character to the end of a line this wide: spread or compressed, as above."""
    texts = list(_text_boxes(line))
    text = "".join(box.text for box in texts)
    if len(text) < 2:
        return
    font_size = texts[-1].style["font_size"]
    # Where the last character's advance ends (its own letter spacing lies past it).
    short = width - (line.width - _spacing(texts[-1].style))
    # A closing mark pushed in at the end of a line is set half width: half its advance may pass the end.
    pushed_in = short < 0 and text[-1] in CLOSING
    if pushed_in:
        short += font_size * END_SQUEEZE_EM
    if abs(short) < TOLERANCE_PT * PX or (short > 0 and is_last and not pushed_in):
        return
    if short > 0:
        changes = [min(short / (len(text) - 1), MAX_ADDED_PT * PX)] * len(text)
    else:
        changes = compression(text, -short)
    _respace(context, line, iter(changes), 0.0)


def compression(text: str, excess: float) -> list[float]:
    """Letter spacing taken from each character of a line to absorb excess pixels: a closing mark followed
    by another mark first, then evenly from every gap (as far as MAX_TIGHTEN_PT allows)."""
    changes = [0.0] * len(text)
    for i in range(len(text) - 1):
        if excess <= 0:
            break
        if text[i] in CLOSING and text[i + 1] in CLOSING | OPENING:
            squeeze = min(excess, MAX_SQUEEZE_PT * PX)
            changes[i] -= squeeze
            excess -= squeeze
    if excess > 0:
        # The last character too, though its spacing lies past the line's end: the line's boxes then change
        # alike, and stay whole.
        tighten = min(excess / (len(text) - 1), MAX_TIGHTEN_PT * PX)
        changes = [change - tighten for change in changes]
    return changes


def _text_boxes(box) -> Iterator[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spacing(style) -> float:
    spacing = style["letter_spacing"]
    return 0.0 if spacing == "normal" else spacing


def _respace(context, box, changes: Iterator[float], x_advance: float) -> float:
    """Change the letter spacing of each character under box by the next of changes, moving what follows;
    returns the distance moved. Pango adds a character's letter spacing after it and WeasyPrint counts it in
    the box's width, so a box of n characters grows by n times the change. A text box is drawn from its
    style (WeasyPrint lays its text out again to draw it), so a change goes there, in a copy; a text box
    whose characters change unevenly is split into runs that change alike."""
    if isinstance(box, boxes.TextBox):
        raise TypeError("a text box is respaced through its parent")
    box.position_x += x_advance
    before = x_advance
    children = []
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            runs = [(change, len(list(run))) for change, run in itertools.groupby(next(changes) for _ in child.text)]
            pieces = [child] if len(runs) == 1 else _split(context, child, [length for _, length in runs])
            for piece, (change, _) in zip(pieces, runs, strict=True):
                piece.position_x += x_advance
                grown = _respaced(piece, change)
                x_advance += grown
            children.extend(pieces)
        elif not child.is_in_normal_flow():
            children.append(child)
        elif isinstance(child, (boxes.LineBox, boxes.InlineBox)):
            x_advance = _respace(context, child, changes, x_advance)
            children.append(child)
        else:  # an atomic inline box (an image, say): moved, not respaced
            child.translate(x_advance, 0)
            children.append(child)
    box.children = children
    box.width += x_advance - before
    return x_advance


def _respaced(box: boxes.TextBox, change: float) -> float:
    if change:
        style = box.style.copy()
        style["letter_spacing"] = _spacing(box.style) + change
        box.style = style
    grown = len(box.text) * change
    box.width += grown
    return grown


def _split(context, box: boxes.TextBox, lengths: list[int]) -> list[boxes.TextBox]:
    """The text box as consecutive boxes of these many characters, each as wide as its own text."""
    pieces, start, x = [], 0, box.position_x
    for length in lengths:
        text = box.text[start : start + length]
        piece = box.copy_with_text(text)
        piece.pango_layout = copy.copy(box.pango_layout)
        piece.pango_layout.text = text
        layout = create_layout(text, box.style, context, max_width=None, justification_spacing=0)
        piece.width, _ = line_size(layout.get_first_line()[0], box.style)
        layout.deactivate()
        piece.position_x = x
        x += piece.width
        pieces.append(piece)
        start += length
    return pieces
