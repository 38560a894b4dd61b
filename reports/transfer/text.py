"""Small tests on one line of text, shared by the reader, the healer and the outliner."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A line that ends with one of these ends a sentence; a closing quote or bracket may follow it.
_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)》】〕\]\"']*$")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """A paragraph of the file as read. `style` comes from Word: 0 the title style, 1, 2… a heading level."""

    text: str
    style: int | None = None


def compact(text: str) -> str:
    """The text without any whitespace: what two texts are compared by."""
    return _WHITESPACE.sub("", text)


def folded(text: str) -> str:
    """Compact and of one width (（一） and (一) alike), for recognising things; never stored."""
    return compact(unicodedata.normalize("NFKC", text))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def visible_length(text: str) -> int:
    return len(compact(text))
