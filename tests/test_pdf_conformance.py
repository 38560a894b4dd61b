"""The public PDF is tagged for accessibility (PDF/UA-1); the archival variant is PDF/A-1a.

The archival PDF is validated by Apache PDFBox's Preflight (Debian's libpdfbox2-java, installed by
`make test`), which checks the ISO 19005-1 level B rules; level A's tags are checked here with pikepdf.
No full PDF/UA validator is to be had (veraPDF is in none of the registries the project may use): these
tests check its structural requirements one by one, and run the `pdfua` package's checks, which cover a
part of the machine-checkable PDF/UA-1 rules (it says which: `pdfua rules`).
"""

import io
import re

import pikepdf
import pytest
from pdfua import validate

from reports.demo.services import sample_snapshot
from reports.filing.document import compose_document
from reports.rendering.pdf import Conformance, render_pdf
from tests.pdf_tools import pdf_fonts, preflight, structure_tags, xmp

SAMPLE = "2023-shanxi-emergency-management-department.json"


@pytest.fixture(scope="module")
def document():
    return compose_document(sample_snapshot(SAMPLE))


@pytest.fixture(scope="module")
def accessible(document):
    return render_pdf(document, conformance=Conformance.ACCESSIBLE)


@pytest.fixture(scope="module")
def archival(document):
    return render_pdf(document, conformance=Conformance.ARCHIVAL)


def unmarked_text(pdf: bytes) -> int:
    """How many text objects are drawn outside marked content (neither tagged nor an artifact)."""
    count = 0
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        for page in opened.pages:
            depth = 0
            for _, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                depth += name in ("BDC", "BMC")
                depth -= name == "EMC"
                count += name == "BT" and depth == 0
    return count


@pytest.mark.parametrize("variant", ["accessible", "archival"])
def test_both_variants_are_tagged_in_chinese_with_their_title_shown(request, variant):
    pdf = request.getfixturevalue(variant)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        root = opened.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "zh-CN"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        tags = structure_tags(root.StructTreeRoot.K[0])
    assert tags[0] == "/Document"
    assert tags.count("/H1") == 1
    assert tags.count("/H2") == len(compose_document(sample_snapshot(SAMPLE)).chapters)
    assert tags.count("/P") > 20
    assert unmarked_text(pdf) == 0
    assert '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">关于 2023 年法治政府建设情况的报告' in xmp(pdf)
    assert all(f["embedded"] for f in pdf_fonts(pdf))


def test_the_public_pdf_claims_pdf_ua_1_and_passes_the_pdfua_checks(accessible, tmp_path):
    assert re.search(r'pdfuaid:part="1"', xmp(accessible))
    path = tmp_path / "report.pdf"
    path.write_bytes(accessible)
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_the_archival_pdf_claims_pdf_a_1a_with_an_output_intent_and_embedded_fonts(archival):
    metadata = xmp(archival)
    assert re.search(r'pdfaid:part="1"', metadata) and re.search(r'pdfaid:conformance="A"', metadata)
    with pikepdf.open(io.BytesIO(archival)) as opened:
        assert opened.pdf_version == "1.4"
        intent = opened.Root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFA1"
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert "/ID" in opened.trailer
        assert not opened.is_encrypted
        assert opened.Root.MarkInfo.Marked
        for page in opened.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert any(k in descriptor for k in ("/FontFile2", "/FontFile3"))
                assert "/CIDSet" in descriptor
                assert "/ToUnicode" in font
    assert all(f["embedded"] and f["subset"] for f in pdf_fonts(archival))


@pytest.mark.parametrize("name", [SAMPLE, "2022-changzhi-emergency-management-bureau.json"])
def test_the_archival_pdf_passes_pdfbox_preflight(name):
    assert preflight(render_pdf(compose_document(sample_snapshot(name)), conformance=Conformance.ARCHIVAL)) == []


def test_preflight_finds_what_pdf_a_1_forbids(accessible):
    # The accessible PDF is PDF 1.7 with cross-reference streams, which PDF/A-1 does not allow.
    assert any(error.startswith("1.4 : ") for error in preflight(accessible))


def test_the_pdfs_carry_no_script_no_attachment_and_no_link_out(accessible, archival):
    for pdf in (accessible, archival):
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            assert "/Names" not in opened.Root and "/OpenAction" not in opened.Root and "/AA" not in opened.Root
            assert not any("/Annots" in page for page in opened.pages)
