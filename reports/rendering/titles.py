"""The title in lines (GB/T 9704 7.3.1): 2号 小标宋, centred, broken so that every word stays whole and the
lines read as a ladder (梯形) or a diamond (菱形).

Words come from jieba, a well-kept Chinese word segmenter. On top of its words a line never breaks inside
a figure with its unit (2024年, 2024年度, 1月3日), inside 《…》, quotation marks or brackets, or inside the
agency's name, and prefers to break right after the agency's name (山西省应急管理厅 / 关于2023年…的报告).
"""

from __future__ import annotations

import itertools
import math
import re

from reports.rendering.lines import NO_LINE_END, NO_LINE_START
from reports.rendering.metrics import advance
from reports.rendering.words import tokenizer, words

# 156 mm of 22pt characters.
TITLE_LINE_EM = 156 / (22 * 25.4 / 72)

# A figure and its unit, a range of years, a quotation, a bracketed phrase: never broken.
_UNBROKEN = re.compile(
    r"\d+(?:\s*[—–\-~至]\s*\d+)?\s*(?:年度|年|月份|月|日|周年|届|次|个|项|号|%|％)"
    r"|\d+(?:\.\d+)?|[A-Za-z]+|《[^《》]*》|“[^“”]*”|‘[^‘’]*’|「[^「」]*」|（[^（）]*）|\([^()]*\)|〔[^〔〕]*〕"
)
# Lines that start with these read as a broken phrase.
_WEAK_START = ("的", "和", "及", "与", "暨")


def warm_up() -> None:
    """Read the segmenter's dictionary now (about a second), not at the first title."""
    tokenizer()


def title_width(text: str) -> float:
    return sum(advance(char, "xiaobiaosong") for char in text)


def break_points(title: str, *, agency: str = "") -> list[int]:
    """Offsets where a line may end: between words, outside anything that must stay whole."""
    offsets = set(itertools.accumulate(len(word) for word in words(title)))
    inside = set()
    spans = [m.span() for m in _UNBROKEN.finditer(title)]
    if agency and title.startswith(agency):
        spans.append((0, len(agency)))
        offsets.add(len(agency))
    for start, end in spans:
        if title_width(title[start:end]) <= TITLE_LINE_EM:
            inside.update(range(start + 1, end))
    return [
        i
        for i in sorted(offsets - inside)
        if 0 < i < len(title) and title[i] not in NO_LINE_START and title[i - 1] not in NO_LINE_END
    ]


def title_lines(title: str, *, agency: str = "", line_em: float = TITLE_LINE_EM) -> list[str]:
    """The title in as few lines as it needs (one more if that lets the agency's name stand alone), each no
    wider than line_em, words whole, evened out as a ladder or diamond."""
    if title_width(title) <= line_em:
        return [title]
    points = break_points(title, agency=agency)
    fewest = math.ceil(title_width(title) / line_em)
    best: tuple[float, list[str]] | None = None
    for count in (fewest, fewest + 1):
        for cuts in itertools.combinations(points, count - 1):
            lines = [title[a:b].strip() for a, b in itertools.pairwise((0, *cuts, len(title)))]
            widths = [title_width(line) for line in lines]
            if max(widths) > line_em or not all(lines):
                continue
            score = _score(lines, widths, agency) + (count - fewest) * 20
            if best is None or score < best[0]:
                best = (score, lines)
    return best[1] if best else [title]


def _score(lines: list[str], widths: list[float], agency: str) -> float:
    """Lower is better: lines of even length, a ladder or a diamond, the agency's name on a line of its own."""
    agency_alone = bool(agency) and lines[0] == agency
    rest = widths[1:] if agency_alone and len(widths) > 2 else widths
    score = max(rest) - min(rest) if len(rest) > 1 else 0.0
    score += 0 if agency_alone or not agency else 12
    # An hourglass (a line shorter than the lines on both sides of it) is neither ladder nor diamond.
    score += sum(6 for a, b, c in zip(widths, widths[1:], widths[2:], strict=False) if b < a and b < c)
    score += sum(3 for line in lines[1:] if line.startswith(_WEAK_START))
    return score
