"""What the platform prints itself is never doubled: the rules that take it out of what was typed or imported.

The printed document adds the colon after the addressee, 附件： and the numbers before the attachments, the
numbers before chapter and point headings and the full stop after a point heading. A filer who types them as in
Word (…省司法厅：, 1.…, 一、…, 强化组织领导。) would see them twice. The forms apply these rules and show the filer the
cleaned value before saving (reports.filing.tidying); the importer applies the very same ones to what it read.

A rule either applies (it only takes away what the platform adds), or, with `offer`, is a suggestion the filer
may decline (another kind of rule, such as a change of punctuation width, fits in the same way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reports.filing.punctuation import full_width_punctuation

_N = "[一二三四五六七八九十]{1,3}"
_D = "[0-9０-９]{1,2}"


@dataclass(frozen=True)
class Rule:
    name: str
    label: str | Promise
    apply: Callable[[str], str]
    offer: bool = False
    # How to tell the filer what changed, where showing the text before and after would be too long.
    summary: Callable[[str, str], str] | None = None


def _each_line(clean: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: "\n".join(clean(line) for line in text.split("\n"))


_COLON_END = re.compile(r"[\s:：]+$")
# 附件：, 附件1：, then 1. 1、 1． (1.1. too); the number only where a name follows (1.36万 is not numbered).
ATTACHMENT_LABEL = re.compile(rf"附件\s*(?:{_D})?\s*[:：]\s*|附件(?=\s*{_D}\s*[.．、])\s*")
ATTACHMENT_NUMBER = re.compile(rf"(?:{_D}\s*[.．、](?![0-9０-９]+(?![.．、]))|[（(]\s*{_D}\s*[）)]|[①-⑳])\s*")
_HEADING_NUMBER = re.compile(
    rf"(?:{_N}\s*[、．.]|[（(]\s*{_N}\s*[）)][、，,．.]?|第{_N}(?:部分|章)[、，,：:．.]?|[㈠-㈩])\s*"
)
_STOP_END = re.compile(r"[。．]+$")


def without_colon(text: str) -> str:
    """山西省司法厅： → 山西省司法厅 (the printed document adds the colon)."""
    return _COLON_END.sub("", text.strip())


def attachment_name(text: str) -> str:
    """附件：1.文件解读 → 文件解读 (the printed document adds 附件： and the numbers)."""
    line = text.strip()
    label = ATTACHMENT_LABEL.match(line)
    if label:
        line = line[label.end() :]
    # 1.1.文件解读, as a file the platform once printed twice has it.
    while (number := ATTACHMENT_NUMBER.match(line)) and line[number.end() :].strip():
        line = line[number.end() :]
    return line.strip()


def without_heading_number(text: str) -> str:
    """一、完善体制机制 → 完善体制机制; （一）强化组织领导 → 强化组织领导 (the printed document numbers headings)."""
    line = text.strip()
    number = _HEADING_NUMBER.match(line)
    if number and line[number.end() :].strip():
        return line[number.end() :].strip()
    return line


def without_full_stop(text: str) -> str:
    """强化组织领导。 → 强化组织领导 (the printed document puts a full stop after a point heading)."""
    return _STOP_END.sub("", text.strip())


ADDRESSEE_COLON = Rule("addressee_colon", _("去掉主送机关末尾的冒号（报告中由平台加上）"), without_colon)
ATTACHMENT_LABELS = Rule(
    "attachment_number", _("去掉附件名称前的“附件：”和序号（报告中由平台加上）"), _each_line(attachment_name)
)
HEADING_NUMBER = Rule("heading_number", _("去掉标题前的编号（报告中由平台自动编号）"), without_heading_number)
POINT_FULL_STOP = Rule("heading_stop", _("去掉要点标题末尾的句号（报告中由平台加上）"), without_full_stop)

ADDRESSEE = (ADDRESSEE_COLON,)
ATTACHMENTS = (ATTACHMENT_LABELS,)
CHAPTER_HEADING = (HEADING_NUMBER,)
POINT_HEADING = (HEADING_NUMBER, POINT_FULL_STOP)


def cleaned(text: str, rules: tuple[Rule, ...]) -> str:
    """The text with every rule that applies (not the offers) applied, in order."""
    for rule in rules:
        if not rule.offer:
            text = rule.apply(text)
    return text


def _marks_made_full_width(before: str, after: str) -> str:
    count = len(full_width_punctuation(before)[1])
    return _("共 %(count)s 处，如“%(example)s”") % {"count": count, "example": _first_change(before, after)}


def _first_change(before: str, after: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    return after[max(0, at - 6) : at + 6]


# Offered on every text a filer types (reports.filing.tidying): half-width , : ; ? ! ( ) between Chinese characters
# made full width by the importer's own function; the filer may decline it.
FULL_WIDTH_PUNCTUATION = Rule(
    "full_width",
    _("中文之间的半角标点改为全角（如“，”“：”“（）”）"),
    lambda text: full_width_punctuation(text)[0],
    offer=True,
    summary=_marks_made_full_width,
)
