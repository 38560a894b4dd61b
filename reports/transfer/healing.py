"""Undo what copying a report out of a PDF or a web page does to it; each healing goes into the ledger.

Only whole lines are ever removed (page numbers, a web page's chrome), and only spaces are ever
taken out of a line, so a healing cannot eat a word of the report.
"""

from __future__ import annotations

import re

from reports.filing.characters import DIGITS, HAN, WIDE_PUNCTUATION
from reports.filing.punctuation import full_width_punctuation
from reports.transfer.headings import POINT_HEADING_MAX, is_bare, numbering
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line, ends_sentence, folded

# Control characters that are not line breaks or spaces, and zero-width format characters
# (Unicode categories Cc and Cf): web pages and PDF extraction leave them, nobody sees them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

_SPACE = "[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
_WIDE = HAN + WIDE_PUNCTUATION
# Chinese text puts no space between a character and a number; PDF extraction often does (2023 年).
_EXTRA_SPACE = re.compile(rf"(?<=[{_WIDE}]){_SPACE}(?=[{_WIDE}{DIGITS}])|(?<=[{DIGITS}%％]){_SPACE}(?=[{_WIDE}%％])")

_PAGE_NUMBER = re.compile(
    r"[-—–‒―~·•]*(?:第?\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}(?:/\d{1,4})?)[-—–‒―~·•]*"
    r"|[-—–‒―~·•]+[ivxlcIVXLC]{1,6}[-—–‒―~·•]+"
)

# A web page's navigation, metadata and footer, matched against a short line without spaces.
_BOILERPLATE = [
    re.compile(p)
    for p in (
        r"(?:首页|当前位置|您的位置|您现在的位置|所在位置)[:>»›].*",
        r".*首页[>»›].*",
        r"(?:来源|信息来源|文章来源|发布时间|发布日期|更新时间|作者|编辑|责任编辑|浏览次数|阅读次数|点击数|访问量"
        r"|索引号|发文机关|发布机构|发文字号|主题分类|体裁分类|组配分类|信息分类|生效日期|有效性|公开方式|公开范围"
        r"|主题词|关键词)[:].*",
        r"(?:[\[【]?(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏本页|收藏|我要纠错|纠错|分享到|分享|保存本页)"
        r"[\]】]?[|/]?)+",
        r"[\[【]?(?:字号|字体)[:]?(?:[\[【]?[大中小][\]】]?)+[\]】]?",
        r"(?:上一篇|下一篇|相关链接|相关文章|相关阅读|附件下载)[:].*|(?:上一篇|下一篇|相关链接|相关文章)",
        r".*(?:扫一扫|在手机(?:上)?打开|版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|技术支持|主办单位"
        r"|承办单位|建议使用|分辨率|浏览器浏览).*",
    )
]
_BOILERPLATE_MAX = 80


def strip_invisible(text: str, ledger: Ledger) -> str:
    cleaned, count = _INVISIBLE.subn("", text)
    ledger.note("invisible", "", count)
    return cleaned


def close_spaces(text: str, ledger: Ledger) -> str:
    first = _EXTRA_SPACE.search(text)
    if first is None:
        return text
    healed, count = _EXTRA_SPACE.subn("", text)
    ledger.note("spaces", text[max(first.start() - 8, 0) : first.end() + 8], count)
    return healed


def _full_width(text: str, ledger: Ledger) -> str:
    """Half-width punctuation between Chinese characters made full width, listed in the ledger (an example
    before → after, and how many); a filer who wants the file's own punctuation imports it again with
    full_width=False (the upload form's 保留文件中的半角标点)."""
    healed, changes = full_width_punctuation(text)
    if changes:
        first = changes[0].start
        ledger.note(
            "full_width",
            f"{text[max(first - 6, 0) : first + 6]} → {healed[max(first - 6, 0) : first + 6]}",
            len(changes),
        )
    return healed


_FILE_EXTENSION = re.compile(r"\.(?:docx?|xlsx?|pdf|wps|et|ofd|txt|zip|rar|jpe?g|png)$", re.I)


def drop_file_extension(title: str, ledger: Ledger) -> str:
    """文件解读.doc → 文件解读: an attachment is named by its title, not its file."""
    found = _FILE_EXTENSION.search(title)
    if not found:
        return title
    ledger.note("file_extension", found.group())
    return title[: found.start()]


_AFTER_AGENCY = re.compile(r"\s*(?:关于|(?:19|20)\d{2}\s*年)")


def title_without_agency(title: str, agency: str, ledger: Ledger) -> str:
    """山西省应急管理厅关于2023年…的报告 → 关于2023年…的报告, for the report of 山西省应急管理厅: the portal
    prints the agency's name at the head of the title itself (GB/T 9704 7.3.1), as its Word export does."""
    if not agency or not title.startswith(agency) or not _AFTER_AGENCY.match(title, len(agency)):
        return title
    ledger.note("title_agency", agency)
    return title[len(agency) :].lstrip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(folded(text)))


def is_boilerplate(text: str) -> bool:
    line = folded(text)
    if len(line) > _BOILERPLATE_MAX or line.endswith("。"):
        return False
    return any(pattern.fullmatch(line) for pattern in _BOILERPLATE)


def clean_lines(lines: list[Line], ledger: Ledger, *, full_width: bool = True) -> list[Line]:
    """Drop blank lines, page numbers and web-page chrome; close up spaces inside the rest and (unless told
    not to) make its half-width punctuation between Chinese full width."""
    kept = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if line.style is None and is_page_number(text):
            ledger.note("page_number", text)
        elif line.style is None and is_boilerplate(text):
            ledger.note("boilerplate", text)
        else:
            text = close_spaces(text, ledger)
            kept.append(Line(_full_width(text, ledger) if full_width else text, line.style))
    return kept


def _is_prose(text: str) -> bool:
    number = numbering(text)
    rest = number.rest if number else text
    if number and is_bare(rest):
        return False
    return bool(re.search(r"[，、。；：,;:]", rest)) or len(rest) >= 30


def _cut_in_heading(before: Line, after: Line) -> bool:
    """（四）加强法规规范性 / 文件制定审查。圆满完成了… : a run-in point heading cut before its full stop."""
    number = numbering(before.text)
    if number is None or number.rank == 1 or not is_bare(number.rest) or ends_sentence(number.rest):
        return False
    head, stop, _ = after.text.partition("。")
    return bool(stop) and not re.search(r"[，、；：,;:]", head) and len(number.rest + head) <= POINT_HEADING_MAX


def _continues(before: Line, after: Line) -> bool:
    """Whether `after` is the rest of a paragraph that a page break (or a wrapped line) cut."""
    if before.style is not None or after.style is not None or numbering(after.text) is not None:
        return False
    if ends_sentence(before.text):
        return False
    return _is_prose(before.text) or _cut_in_heading(before, after)


# How much of a paragraph's beginning and end the tests above look at: its numbering and its last sentence, and
# whether it is short enough to be a bare heading (HEADING_MAX); anything longer reads as prose whatever its middle.
_VIEW = 256


class _Joining:
    """A paragraph being joined from its pieces, keeping only what _continues reads (its first and last _VIEW
    characters), so that joining the pieces of a long paragraph is linear in its length, not quadratic."""

    def __init__(self, line: Line) -> None:
        self.pieces, self.style = [line.text], line.style
        self.head, self.tail, self.length = line.text[:_VIEW], line.text[-_VIEW:], len(line.text)

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.style = None
        if len(self.head) < _VIEW:
            self.head = (self.head + text)[:_VIEW]
        self.tail = (self.tail + text)[-_VIEW:]
        self.length += len(text)

    def view(self) -> Line:
        """The paragraph as _continues sees it: whole while short, else its beginning and its end."""
        text = "".join(self.pieces) if self.length <= 2 * _VIEW else self.head + self.tail
        return Line(text, self.style)

    def line(self) -> Line:
        return Line("".join(self.pieces), self.style)


def join_cuts(lines: list[Line], ledger: Ledger) -> list[Line]:
    """Join paragraphs that a page break, blank lines or a hard line wrap cut in the middle of a sentence."""
    joined: list[_Joining] = []
    for line in lines:
        if joined and _continues(joined[-1].view(), line):
            ledger.note("page_break", f"{joined[-1].tail[-12:]}⏎{line.text[:12]}")
            joined[-1].add(line.text)
        else:
            joined.append(_Joining(line))
    return [paragraph.line() for paragraph in joined]
