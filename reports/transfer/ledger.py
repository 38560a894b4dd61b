"""What an import did to the text besides placing it: each healing, each removal, each doubt.

The summary shows all of it to the filer, and the tests use it to prove that no character was lost:
every character of the file is either in the report, in the unplaced text, or in `removed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _

Kind = Literal[
    "page_break",  # a paragraph cut by a page break (or a hard line wrap) joined again
    "spaces",  # spaces that extraction put between Chinese characters and numbers
    "invisible",  # control and zero-width characters
    "page_number",  # a page number standing on its own line
    "boilerplate",  # a web page's navigation, metadata and footer lines
    "numbering",  # heading numbers the portal prints itself
    "date",  # a date line written in another form than the portal prints it
    "agency",  # an agency line naming another agency than the report's
    "punctuation",  # the colon after the addressee, which the portal prints itself
    "heading",  # a heading the portal prints in its own words (其他需要报告的情况)
    "empty_heading",  # the heading 其他需要报告的情况 with nothing under it, which the portal does not print
    "web_metadata",  # a web page's metadata block (索引号, 发布机构, 标题…), read for the title and the agency
    "full_width",  # half-width , : ; ? ! ( ) between Chinese characters made full width (filing.punctuation)
    "file_extension",  # an attachment's file name extension (文件解读.doc), which is not part of its title
    "title_agency",  # the report's own agency opening its title, which the portal prints there itself
]

LABELS = {
    "page_break": _("接上被分页或换行截断的段落"),
    "spaces": _("删去中文与数字之间多余的空格"),
    "invisible": _("删去看不见的控制字符"),
    "page_number": _("删去单独成行的页码"),
    "boilerplate": _("删去网页的导航、来源和页脚"),
    "numbering": _("去掉标题编号（由平台重新编号）"),
    "date": _("成文日期改为阿拉伯数字写法"),
    "agency": _("去掉与报告所属机关不一致的机关名称"),
    "punctuation": _("去掉主送机关后的冒号（由平台加上）"),
    "heading": _("改用统一的标题“其他需要报告的情况”"),
    "empty_heading": _("删去下面没有内容的标题“其他需要报告的情况”"),
    "web_metadata": _("删去网页的信息栏（索引号、发布机构、文号等）"),
    "full_width": _("中文之间的半角标点改为全角（如“，”“：”“（）”）"),
    "file_extension": _("删去附件名称后的文件扩展名"),
    "title_agency": _("去掉标题开头的本机关名称（由平台在标题中印出）"),
}

# What a kind takes out of the document; the others only change whitespace or join lines.
REMOVING: frozenset[str] = frozenset(
    {
        "invisible",
        "page_number",
        "boilerplate",
        "numbering",
        "date",
        "agency",
        "punctuation",
        "heading",
        "empty_heading",
        "web_metadata",
        "file_extension",
        "title_agency",
    }
)


@dataclass(frozen=True)
class Entry:
    kind: Kind
    text: str
    count: int = 1


@dataclass(frozen=True)
class LeftOut:
    """Text of a part of the file that is not imported (a footnote, a header), shown to the filer as it is."""

    part: str
    text: str


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    def leave_out(self, part: str, text: str) -> None:
        if text.strip():
            self.left_out.append(LeftOut(part, text.strip()))

    def note(self, kind: Kind, text: str, count: int = 1) -> None:
        if count:
            self.entries.append(Entry(kind, text, count))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def removed(self) -> list[str]:
        """The exact texts taken out of the document (invisible characters are not text), and the parts of the file
        that are not imported."""
        removed = [e.text for e in self.entries if e.kind in REMOVING and e.kind != "invisible"]
        return removed + [item.text for item in self.left_out]
