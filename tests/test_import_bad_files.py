"""Files that are not a report's text are refused with a clear message, and nothing is half-imported."""

import io
import zipfile

import pytest

from reports.filing.snapshot import snapshot_of
from reports.transfer.errors import TransferError
from reports.transfer.files import MAX_BYTES
from reports.transfer.importer import Target, read_report
from reports.transfer.models import ReportImport
from reports.transfer.services import import_file
from tests.transfer_tools import CHANGZHI, docx_from_lines, sample_text


def _refusal(report, data: bytes, file_name: str) -> str:
    with pytest.raises(TransferError) as refused:
        read_report(data, file_name=file_name, target=Target.of(report))
    return str(refused.value)


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


@pytest.mark.parametrize(
    ("data", "file_name", "message"),
    [
        (b"", "report.txt", "文件是空的"),
        (b" \r\n\t\n", "report.txt", "文件是空的"),
        ("\u200b\n\ufeff".encode(), "report.txt", "没有文字"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "report.txt", "不是文本文件"),
        (bytes(range(256)) * 4, "report.txt", "不是文本文件"),
        ("这是一份报告".encode() + b"\xff\xfe\xfa", "report.txt", "编码无法识别"),
        ("一、主要举措".encode(), "report.docx", "不是有效的 Word"),
        (_zip({"hello.txt": b"not a word file"}), "report.docx", "不是有效的 Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "report.doc", "旧版 Word"),
        (b"%PDF-1.7\n", "report.pdf", "PDF"),
        (b"<html></html>", "report.html", "只能导入 .txt 或 .docx"),
    ],
)
def test_files_that_are_not_a_reports_text_are_refused_with_a_clear_message(cz_draft, data, file_name, message):
    assert message in _refusal(cz_draft, data, file_name)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cz_draft):
    bomb = _zip({"word/document.xml": b"<" * (110 * 1024 * 1024)})
    assert len(bomb) < MAX_BYTES
    assert "异常庞大" in _refusal(cz_draft, bomb, "report.docx")


def test_a_word_file_whose_parts_are_not_xml_is_refused(cz_draft):
    data = docx_from_lines(["关于2023年度法治政府建设情况的报告"])
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for member in source.infolist():
            body = b"<w:document" if member.filename == "word/document.xml" else source.read(member)
            target.writestr(member, body)
    assert "不是有效的 Word" in _refusal(cz_draft, output.getvalue(), "report.docx")


def test_a_file_over_the_size_limit_is_refused(cz_draft):
    assert "超过 10 MB" in _refusal(cz_draft, b"a" * (MAX_BYTES + 1), "report.txt")


def test_a_refused_file_changes_nothing_in_the_draft(cz_draft, cz_filer):
    import_file(report=cz_draft, data=sample_text(CHANGZHI).encode(), file_name="report.txt", by=cz_filer)
    cz_draft.refresh_from_db()
    before = snapshot_of(cz_draft)
    with pytest.raises(TransferError):
        import_file(report=cz_draft, data=b"\x00\x01binary", file_name="report.txt", by=cz_filer)
    cz_draft.refresh_from_db()
    assert snapshot_of(cz_draft) == before
    assert ReportImport.objects.filter(report=cz_draft).count() == 1
