"""Every part of a Word file is imported or listed, with its text, as not imported; an old .doc or .wps file is
told how to become a .docx."""

import io
import re
import zipfile

import docx
import pytest

from reports.transfer.errors import TransferError
from reports.transfer.importer import Target, read_report
from tests.transfer_tools import read_uploads, unaccounted

FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _with_footnote(data: bytes, text: str) -> bytes:
    """Add a footnotes part, as Word keeps it (python-docx cannot write one)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "[Content_Types].xml":
                override = (
                    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.footnotes+xml"/></Types>'
                )
                body = body.replace(b"</Types>", override.encode())
            elif member.filename == "word/_rels/document.xml.rels":
                rel = (
                    '<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
                )
                body = body.replace(b"</Relationships>", rel.encode())
            target.writestr(member, body)
        target.writestr("word/footnotes.xml", FOOTNOTES.format(text=text))
    return output.getvalue()


def _word_file() -> bytes:
    document = docx.Document()
    for line in ["关于2024年度法治政府建设情况的报告", "一、主要举措", "全面推行行政执法三项制度。"]:
        document.add_paragraph(line)
    section = document.sections[0]
    section.header.paragraphs[0].text = "长治市应急管理局文件"
    section.footer.paragraphs[0].text = "长治市应急管理局办公室印发"
    document.add_comment(document.paragraphs[2].runs, text="此处请核对数字。", author="审核人")
    output = io.BytesIO()
    document.save(output)
    return _with_footnote(output.getvalue(), "数据来源：2024年执法统计年报。")


def test_footnotes_headers_footers_and_comments_are_listed_as_not_imported_with_their_text(cz_draft):
    data = _word_file()
    result = read_report(data, file_name="report.docx", target=Target.of(cz_draft))
    listed = {(item["part"], item["text"]) for item in result.summary["not_imported"]}
    assert listed == {
        ("页眉", "长治市应急管理局文件"),
        ("页脚", "长治市应急管理局办公室印发"),
        ("批注", "此处请核对数字。"),
        ("脚注", "数据来源：2024年执法统计年报。"),
    }
    every_text = "".join(
        re.sub(r"<[^>]+>", "", zipfile.ZipFile(io.BytesIO(data)).read(name).decode())
        for name in ("word/document.xml", "word/footnotes.xml")
    )
    assert not unaccounted(every_text, result)


def test_the_summary_page_shows_what_was_not_imported(client, cz_draft, cz_filer):
    client.force_login(cz_filer)
    upload = io.BytesIO(_word_file())
    upload.name = "报告.docx"
    response = client.post(f"/work/reports/{cz_draft.pk}/import/", {"file": upload})
    read_uploads()  # the worker's part
    page = client.get(response["Location"], follow=True).content.decode()
    assert "未导入的内容" in page and "数据来源：2024年执法统计年报。" in page and "长治市应急管理局文件" in page


def test_the_portals_own_page_numbers_are_nothing_to_list(cz_draft):
    from reports.transfer.wordexport import report_docx

    snapshot = {
        "agency_name": "长治市应急管理局",
        "year": 2024,
        "title": "关于2024年度法治政府建设情况的报告",
        "addressee": "",
        "preface": ["导语。"],
        "sections": [],
        "other_matters": [],
        "signature": "",
        "signed_on": None,
        "public_note": "",
        "attachments": [],
    }
    result = read_report(report_docx(snapshot, is_draft=False), file_name="r.docx", target=Target.of(cz_draft))
    assert result.summary["not_imported"] == []


@pytest.mark.parametrize("name", ["报告.doc", "报告.wps", "改了名字的旧文件.docx"])
def test_an_old_word_or_wps_file_is_told_how_to_save_it_as_docx(cz_draft, name):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(TransferError, match="另存为") as refused:
        read_report(ole, file_name=name, target=Target.of(cz_draft))
    assert "Word 文档（*.docx）" in str(refused.value) and "WPS" in str(refused.value)
