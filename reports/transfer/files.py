"""Take an uploaded file in: refuse what is not a report's text, decode what is, split it into lines."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.transfer.errors import TransferError
from reports.transfer.healing import strip_invisible
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line, compact
from reports.transfer.wordfile import check_directory, read_word

MAX_BYTES = 10 * 1024 * 1024
# Old Word (.doc) and WPS (.wps) files are OLE compound files, whatever their name says.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_WORD = gettext_lazy(
    "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，不能直接导入。请先另存为 .docx："
    "在 Word 中点“文件”→“另存为”，“保存类型”选“Word 文档（*.docx）”；"
    "在 WPS 中点“文件”→“另存为”，“文件类型”选“Microsoft Word 文件（*.docx）”。保存后导入新的 .docx 文件。"
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_ENCODINGS = (("utf-8", "UTF-8"), ("gb18030", "GB18030/GBK"))


@dataclass
class Source:
    kind: str
    lines: list[Line]
    encoding: str = ""
    sealed: str | None = None


def check_upload(data: bytes, *, file_name: str) -> None:
    """What can be told of a file at once, before the worker reads it: its size, its kind, a Word file's
    directory. Refused with the same messages reading it would give."""
    if len(data) > MAX_BYTES:
        raise TransferError(_("文件超过 %(mb)s MB，不能导入。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise TransferError(_("文件是空的。"))
    suffix = Path(file_name).suffix.lower()
    if data.startswith(OLE_SIGNATURE) or suffix in (".doc", ".wps"):
        raise TransferError(str(LEGACY_WORD))
    if suffix == ".pdf":
        raise TransferError(_("不能直接导入 PDF。请复制其全文，保存为 .txt 文件后再导入。"))
    if suffix not in (".docx", ".txt"):
        raise TransferError(_("只能导入 .txt 或 .docx 文件。"))
    if suffix == ".docx":
        check_directory(data)


def read_source(data: bytes, *, file_name: str, ledger: Ledger) -> Source:
    check_upload(data, file_name=file_name)
    if Path(file_name).suffix.lower() == ".docx":
        lines, sealed = read_word(data, ledger)
        source = Source("docx", lines, sealed=sealed)
    else:
        source = _read_text(data, ledger)
    if not any(compact(line.text) for line in source.lines):
        raise TransferError(_("文件中没有文字。"))
    return source


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError:
                break
    else:
        if b"\x00" not in data:
            for codec, label in _ENCODINGS:
                try:
                    return data.decode(codec), label
                except UnicodeDecodeError:
                    continue
    raise TransferError(
        _("无法读出文件中的文字：它不是文本文件，或者编码无法识别。请另存为 UTF-8 或 GB18030（GBK）编码的 .txt 文件。")
    )


def _read_text(data: bytes, ledger: Ledger) -> Source:
    text, encoding = _decode(data)
    text = strip_invisible(text, ledger)
    return Source("txt", [Line(line) for line in text.splitlines()], encoding=encoding)
