"""A report copied from a government website's page, with the page's metadata block around it.

Such pages put a block above the text: 索引号, 发布机构, 生成日期 or 发布日期, 标题, 文号, 主题分类, 时效, 来源,
浏览次数, and the page's own buttons (字号 大 中 小, 打印本页, 关闭窗口, 无障碍, 简体|繁体) and a URL line. The block is
recognised whether its fields stand one to a line, several to a line or in a table: the title is taken from 标题,
the publisher is kept to be checked against the report's agency, and every line of it is removed and listed as
removed, so that nothing of it is read as the title, the addressee or a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.transfer.headings import numbering
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line

LABELS = (
    "索引号",
    "发布机构",
    "发文机关",
    "生成日期",
    "发布日期",
    "发布时间",
    "成文日期",
    "标题",
    "文号",
    "发文字号",
    "主题分类",
    "体裁分类",
    "主题词",
    "时效",
    "有效性",
    "来源",
    "信息来源",
    "浏览次数",
    "访问次数",
    "点击数",
    "字号",
)
_LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
_FIELD = re.compile(rf"(?P<label>{_LABEL})\s*[:：]\s*(?P<value>.*?)(?=\s*(?:{_LABEL})\s*[:：]|\t|$)")
# The page's buttons and switches, and the punctuation between them.
_CHROME = re.compile(
    r"字号|字体|[大中小](?=[\s】\]|]|$)|打印本页|打印|关闭窗口|关闭|无障碍|简体|繁體|繁体|收藏|分享|保存本页|"
    r"https?://\S+|www\.\S+|[\s|｜/【】\[\]\u3000:：·]"
)
_URL_LINE = re.compile(
    r"\s*(?:(?:网址|链接|本文链接|原文链接|URL)\s*[:：]?\s*)?(?:https?://|www\.)\S+\s*", re.IGNORECASE
)


@dataclass
class PageMetadata:
    title: str = ""
    publisher: str = ""


def _fields(text: str) -> list[tuple[str, str]]:
    return [(m.group("label"), m.group("value").strip()) for m in _FIELD.finditer(text)]


def _is_block_line(text: str) -> bool:
    """A line made only of metadata fields and the page's buttons."""
    rest = _FIELD.sub("", text)
    return bool(_fields(text) or _CHROME.search(text)) and not _CHROME.sub("", rest)


def read_page_metadata(lines: list[Line], ledger: Ledger) -> tuple[list[Line], PageMetadata]:
    """The lines without the page's metadata block and URL lines, and what the block says of the report. The block
    is looked for above the first chapter only (a paragraph of the report may begin with 来源：); a line that is
    only a URL is removed wherever it stands, so that it is never joined to a paragraph."""
    metadata = PageMetadata()
    kept = []
    in_header = True
    for line in lines:
        text = line.text.strip()
        number = numbering(text)
        in_header = in_header and not (number and number.rank == 1)
        if not text or line.style is not None:
            kept.append(line)
            continue
        if _URL_LINE.fullmatch(text):
            ledger.note("web_metadata", text)
            continue
        if not in_header or not _is_block_line(text) or not (_fields(text) or _chrome_only(text)):
            kept.append(line)
            continue
        for label, value in _fields(text):
            if label == "标题" and value and not metadata.title:
                metadata.title = value
            elif label in ("发布机构", "发文机关") and value and not metadata.publisher:
                metadata.publisher = value
        ledger.note("web_metadata", text)
    return kept, metadata


def _chrome_only(text: str) -> bool:
    """字号：大 中 小 | 打印本页 | 关闭窗口 and the like, with at least one of the page's words in it."""
    return bool(re.search(r"字号|打印|关闭|无障碍|简体|繁", text)) and not _CHROME.sub("", text)
