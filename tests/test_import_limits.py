"""Uploads cannot exhaust the worker that reads them: a Word file that lies about its size is refused before it is
inflated, and the repairs of the text take time in proportion to its length."""

import tracemalloc

import pytest

from reports.transfer import healing
from reports.transfer.errors import TransferError
from reports.transfer.importer import Target, read_report
from reports.transfer.ledger import Ledger
from reports.transfer.text import Line
from tests.transfer_tools import long_docx, lying_docx


def test_a_word_file_whose_entries_lie_about_their_size_is_refused_before_it_is_inflated(cz_draft):
    crafted = lying_docx(inflates_to=150 * 1024 * 1024)
    assert len(crafted) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TransferError, match="异常庞大"):
            read_report(crafted, file_name="报告.docx", target=Target.of(cz_draft))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Trusting the declared sizes, python-docx inflated all 150 MB (twice over) before the file was refused.
    assert peak < 20 * 1024 * 1024, f"{peak / 2**20:.0f} MB"


def test_the_checks_that_join_a_long_paragraph_read_only_its_beginning_and_end(monkeypatch):
    """Forty thousand lines cut mid-sentence make one paragraph of half a million characters; each check that
    decides a join reads a window of fixed size, however long the paragraph has grown. (Reading the whole
    paragraph again at each join made the repairs quadratic: minutes for a long file.)"""
    pieces = [f"第{i}项工作持续推进，" for i in range(40_000)]
    read = []
    for name in ("ends_sentence", "numbering", "is_bare"):
        original = getattr(healing, name)

        def counted(text, *args, original=original):
            read.append(len(text))
            return original(text, *args)

        monkeypatch.setattr(healing, name, counted)
    ledger = Ledger()
    joined = healing.join_cuts([Line(piece) for piece in pieces], ledger)
    assert [line.text for line in joined] == ["".join(pieces)]
    assert sum(entry.count for entry in ledger.entries if entry.kind == "page_break") == len(pieces) - 1
    assert max(read) <= 2 * healing._VIEW < len(joined[0].text) // 1000


def test_a_long_word_file_of_paragraphs_cut_mid_sentence_is_read_whole(cz_draft):
    """100,000 paragraphs (1.3 MB): the quadratic repairs took minutes on such a file; now it reads in seconds."""
    result = read_report(long_docx(100_000), file_name="报告.docx", target=Target.of(cz_draft))
    placed = "".join(paragraph for entry in result.snapshot["sections"] for paragraph in entry["text"]) + "".join(
        result.unplaced
    )
    assert placed.count("，") >= 100_000
