"""Which section a chapter belongs to, read from its heading: by meaning, never by position.

The order of the tests matters: 党政主要负责人履行…职责情况 is about duties although it ends in 情况,
and a heading about next year's 安排 may name the year just as one about this year's 举措 does.
"""

from __future__ import annotations

import re

from reports.transfer.text import folded

OTHER = "other"
THEME = "theme"

MEANINGS = (
    (OTHER, re.compile(r"^其他(?:需要|应当|应)?(?:报告|说明)?的?(?:情况|事项)")),
    ("duties", re.compile(r"第一责任人|主要负责人|党政主要负责同志")),
    ("rulings", re.compile(r"法院|裁判|诉讼|出庭|应诉|复议(?!.*(?:改革|体制))")),
    (
        "plans",
        re.compile(
            r"下一年度|下一步|明年|来年|新的一年|今后|(?:19|20)\d\d年.{0,24}?(?:安排|计划|打算|思路|设想)"
            r"|(?:工作|主要)(?:安排|计划|打算|思路)"
        ),
    ),
    (
        "shortcomings",
        re.compile(r"不足|短板|差距|薄弱|欠缺|困难|存在.{0,8}问题|问题(?:和|与|及)(?:原因|不足|困难)|^(?:主要)?问题"),
    ),
    (
        "measures",
        re.compile(r"举措|成效|措施|做法|成绩|进展|工作情况|开展情况|主要工作|基本情况|总体情况|推进.{0,16}情况"),
    ),
)

# A sentence opening a later chapter that owns up to a shortfall (尽管…但…还有不小差距。): the
# shortcomings section folded into that chapter.
SHORTFALL = re.compile(r"不足|差距|短板|薄弱|不够|有待|欠缺|存在.{0,12}问题")
NOTHING_TO_REPORT = "本年度无此项情况。"


def meaning_of(heading: str) -> str:
    """A section key, OTHER for 其他需要报告的情况, or THEME for a themed chapter of measures."""
    text = folded(heading)
    for key, pattern in MEANINGS:
        if pattern.search(text):
            return key
    return THEME
