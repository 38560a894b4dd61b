"""Line breaks that CSS cannot make here: balanced title lines (GB/T 9704 7.3.1), breaks at quotation marks."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import unicodedata

from reports.filing.document import Document

# Characters that may not begin a line, and those that may not end one.
NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】〗〉…—·%％,.;:?!)]}")
NO_LINE_END = frozenset("（《「『“‘〔【〖〈([{")
OPENING_QUOTES = frozenset("“‘")
CLOSING_QUOTES = frozenset("”’")
ZERO_WIDTH_SPACE = "\u200b"
# Each break is sought this many em either side of where an even split would put it.
SEARCH_EM = 4


def char_width(char: str) -> float:
    """Width in em: full for CJK and full-width forms, about half for Latin letters and digits."""
    if char == " ":
        return 0.25
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def balanced_lines(text: str, *, line_em: float) -> list[str]:
    """The text in as few lines as fit line_em, as equal as can be, upper lines no longer than lower (梯形).

    A break never splits a run of Latin letters or digits, and never puts closing punctuation at the start
    of a line or opening punctuation at the end of one. If no such split fits, the text is left to the
    renderer's own line breaking.
    """
    total = text_width(text)
    if total <= line_em:
        return [text]
    count = math.ceil(total / line_em)
    offsets = list(itertools.accumulate((char_width(c) for c in text), initial=0.0))
    candidates = []
    for k in range(1, count):
        ideal = total * k / count
        near = [i for i in range(1, len(text)) if abs(offsets[i] - ideal) <= SEARCH_EM and _may_break(text, i)]
        if not near:
            return [text]
        candidates.append(near)
    best: tuple[float, list[str]] | None = None
    for cut in itertools.product(*candidates):
        if list(cut) != sorted(set(cut)):
            continue
        lines = [text[a:b].strip() for a, b in itertools.pairwise((0, *cut, len(text)))]
        widths = [text_width(line) for line in lines]
        if max(widths) > line_em:
            continue
        # Evenness first; an upper line longer than the one below it costs a little.
        score = max(widths) - min(widths) + sum(0.5 for upper, lower in itertools.pairwise(widths) if upper > lower)
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else [text]


def _may_break(text: str, i: int) -> bool:
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return not (_is_latin(before) and _is_latin(after))


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def with_quote_breaks(text: str) -> str:
    """Let lines break before “ and after ” by putting a zero-width space there.

    Pango follows the older Unicode rule that never breaks next to a quotation mark, which in Chinese
    text pushes whole phrases to the next line and leaves the line before it short. The zero-width space
    is not drawn, so it is neither seen nor in the PDF's text.
    """
    return _AFTER_CLOSING_QUOTE.sub(ZERO_WIDTH_SPACE, _BEFORE_OPENING_QUOTE.sub(ZERO_WIDTH_SPACE, text))


def _characters(chars) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


# Before an opening quote that follows a character which may end a line; after a closing quote followed by a
# character which may begin one. Whitespace breaks there already.
_BEFORE_OPENING_QUOTE = re.compile(rf"(?<=[^\s{_characters(NO_LINE_END)}])(?=[{_characters(OPENING_QUOTES)}])")
_AFTER_CLOSING_QUOTE = re.compile(rf"(?<=[{_characters(CLOSING_QUOTES)}])(?=[^\s{_characters(NO_LINE_START)}])")


def breakable(document: Document) -> Document:
    """The document as the PDF prints it: every line of running text free to break at Chinese quotation marks
    (the web page leaves that to the browser, and text copied from it must not carry zero-width spaces), and
    no anchors (the PDF links nowhere; its outline comes from the headings)."""

    def lines(texts):
        return [with_quote_breaks(text) for text in texts]

    blocks = [
        dataclasses.replace(
            block, heading=with_quote_breaks(block.heading), paragraphs=tuple(lines(block.paragraphs)), anchor=""
        )
        for block in document.blocks
    ]
    return dataclasses.replace(
        document,
        addressee=with_quote_breaks(document.addressee),
        preface=lines(document.preface),
        blocks=blocks,
        attachments=lines(document.attachments),
    )
