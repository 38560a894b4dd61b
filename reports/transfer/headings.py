"""Recognise the numbering that opens a heading line, and how deep the heading sits.

Ranks follow the official order: 一、 above （一） above 1. above （1）, with 第一，and 一是 below them.
Half- and full-width forms are alike. A Word heading style, when a line has one, decides the rank instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_N = "[一二三四五六七八九十]{1,3}"
_D = "[0-9０-９]{1,2}"

RANKS = (
    (1, re.compile(rf"(?:{_N}\s*[、．.]|第{_N}(?:部分|章)[、，,：:．.]?)\s*")),
    (2, re.compile(rf"(?:[（(]\s*{_N}\s*[）)]|[㈠-㈩])[、，,．.]?\s*")),
    # Not followed by a digit, so that 1.36 万项 and 12.4 are never taken for a heading.
    (3, re.compile(rf"(?:{_D}[.．、](?![0-9０-９])|[⒈-⒛])\s*")),
    (4, re.compile(rf"(?:[（(]\s*{_D}\s*[）)]|[①-⑳⑴-⒇])\s*")),
    (5, re.compile(rf"(?:第{_N}[，,、：:]|{_N}是)\s*")),
)

# Longer than this, the words after a number are a sentence, not a heading.
HEADING_MAX = 60
POINT_HEADING_MAX = 40


@dataclass(frozen=True)
class Numbered:
    rank: int
    label: str
    rest: str


def numbering(text: str) -> Numbered | None:
    """The numbering at the start of a line, if the line goes on after it."""
    for rank, pattern in RANKS:
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            return Numbered(rank, match.group().strip(), text[match.end() :].strip())
    return None


def is_bare(rest: str) -> bool:
    """A heading standing alone on its line: short, and no sentence after it."""
    return "。" not in rest.rstrip("。") and len(rest) <= HEADING_MAX and not rest.endswith(("，", "、", ",", "；"))


def split_chapter_heading(rest: str) -> tuple[str, str]:
    """一、基本情况。2023年… → the heading (keeping its full stop) and the sentence run on after it."""
    head, stop, tail = rest.partition("。")
    if stop and tail.strip():
        return head + stop, tail.strip()
    return rest, ""


def split_point_heading(rest: str) -> tuple[str, str]:
    """（一）强化组织领导。一是… → 强化组织领导 and 一是…; the composer puts the full stop back.

    A point whose first sentence is long, or that ends in other punctuation, has no heading:
    it prints as its number and its text, exactly as written.
    """
    head, stop, tail = rest.partition("。")
    if stop and 0 < len(head) <= POINT_HEADING_MAX and not head.endswith(("，", "、", "：", "；", ",", ":", ";")):
        return head, tail.strip()
    if not stop and len(rest) <= POINT_HEADING_MAX and rest[-1:].isalnum():
        return rest, ""
    return "", rest
