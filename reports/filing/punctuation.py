"""Half-width punctuation typed between Chinese characters, made full-width as Chinese text writes it.

One function answers for the importer (a healing listed in its summary, which the filer may undo) and for
the forms (an offer the filer sees before saving). A mark is changed only where Chinese text is on at least
one side of it, so figures (19.2, 1:500, 3,000), Latin text, URLs and file names keep theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.filing.characters import HAN, WIDE_PUNCTUATION

# Characters of Chinese running text: Han (with the extensions), and the full-width punctuation around them.
_HAN = HAN
_WIDE = HAN + WIDE_PUNCTUATION
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

# A mark with Chinese before it, or after it (spaces typed around it go with it); never inside a URL.
_MARK = re.compile(rf"(?<=[{_WIDE}])[ \t]*([,:;?!])[ \t]*|[ \t]*([,:;?!])[ \t]*(?=[{_WIDE}])")
# Brackets: an opening one followed by Chinese, a closing one preceded by Chinese (what is inside decides).
_OPENING = re.compile(rf"\((?=[^()]*[{_HAN}][^()]*\))")
# A URL is made of ASCII (a Chinese character right after one ends it); a file name may be Chinese.
_URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|[\w.-]+\.(?:docx?|xlsx?|pdf|txt|wps|ofd|zip)\b"
)


@dataclass(frozen=True)
class Change:
    """One mark changed: where it was in the text as given, what stood there, what stands there now."""

    start: int
    before: str
    after: str


def full_width_punctuation(text: str) -> tuple[str, list[Change]]:
    """The text with , : ; ? ! ( ) between Chinese characters made full width, and what was changed."""
    protected = [m.span() for m in _URL.finditer(text)]

    def free(position: int) -> bool:
        return not any(start <= position < end for start, end in protected)

    replacements: dict[int, tuple[int, str]] = {}
    for match in _MARK.finditer(text):
        group = 1 if match.group(1) else 2
        if free(match.start(group)):
            replacements[match.start()] = (match.end(), FULL_WIDTH[match.group(group)])
    opened = []
    for position, char in enumerate(text):
        if char == "(" and _OPENING.match(text, position) and free(position):
            replacements[position] = (position + 1, "（")
            opened.append(position)
        elif char == ")" and opened and free(position):
            opened.pop()
            replacements[position] = (position + 1, "）")
    pieces, changes, cursor = [], [], 0
    for start in sorted(replacements):
        end, replacement = replacements[start]
        if start < cursor:
            continue
        pieces.append(text[cursor:start])
        changes.append(Change(start, text[start:end], replacement))
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), changes


def undo(text: str, changes: list[Change]) -> str:
    """The text as it was given, from the normalised text and its changes (the healing is reversible)."""
    pieces, cursor, shift = [], 0, 0
    for change in changes:
        at = change.start + shift
        pieces.append(text[cursor:at])
        pieces.append(change.before)
        cursor = at + len(change.after)
        shift += len(change.after) - len(change.before)
    pieces.append(text[cursor:])
    return "".join(pieces)


def has_half_width_punctuation(text: str) -> bool:
    return bool(full_width_punctuation(text)[1])
