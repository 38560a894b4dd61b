"""Whatever the file, the importer never crashes and never drops a character.

Every visible character of the input ends up in the report, in the unplaced text, or in what the
summary lists as removed (heading numbers, page numbers, web-page chrome).
"""

import codecs
import random

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reports.filing import services as filing
from reports.transfer.errors import TransferError
from reports.transfer.importer import Target, read_report
from reports.transfer.services import import_report_file
from tests.transfer_tools import (
    CHANGZHI,
    SAMPLES,
    SHANXI,
    docx_from_lines,
    reads_as,
    sample_text,
    unaccounted,
    visible,
)

FAST = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WITH_DATABASE = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Pieces that look like a report's parts, so that random text reaches every rule of the outline.
PIECES = [
    "一、",
    "（二）",
    "(三)",
    "1.",
    "（1）",
    "第一，",
    "二是",
    "关于2023年度法治政府建设情况的报告",
    "山西省应急管理厅",
    "省人民政府：",
    "存在的不足和原因",
    "下一年度工作安排",
    "履行法院生效裁判情况",
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "其他需要报告的情况",
    "本年度无此项情况。",
    "尽管取得成效，但还有差距。",
    "检查企业 19.2 万家，整改率 96.2%。",
    "2023年1月3日",
    "二〇二三年十二月三十一日",
    "（此件公开发布）",
    "附件：1.文件解读.doc",
    "— 3 —",
    "首页 > 政务公开",
    "【打印本页】【关闭窗口】",
    "。",
    "，",
    "：",
    " ",
    "\u3000",
    "\u200b",
    "\t",
]
SEPARATORS = ["\n", "\n\n", "\r\n", "\f", "", " "]
characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
report_like = st.lists(
    st.tuples(st.one_of(st.sampled_from(PIECES), st.text(characters, max_size=12)), st.sampled_from(SEPARATORS)),
    max_size=60,
).map(lambda parts: "".join(piece + separator for piece, separator in parts))


def _read(report, data: bytes, file_name: str):
    return read_report(data, file_name=file_name, target=Target.of(report))


def _read_or_refuse(report, source: str, data: bytes, file_name: str):
    """The result, or None when the file was refused for having no text at all."""
    try:
        return _read(report, data, file_name)
    except TransferError:
        assert not visible(source), "a file with text in it was refused"
        return None


@FAST
@given(text=report_like)
def test_random_report_like_text_never_crashes_and_loses_no_character(cz_draft, text):
    result = _read_or_refuse(cz_draft, text, text.encode(), "report.txt")
    if result is not None:
        assert not unaccounted(text, result)


@FAST
@given(text=st.text(characters, max_size=400))
def test_any_text_at_all_never_crashes_and_loses_no_character(cz_draft, text):
    result = _read_or_refuse(cz_draft, text, text.encode("utf-8"), "report.txt")
    if result is not None:
        assert not unaccounted(text, result)


@FAST
@given(lines=st.lists(st.one_of(st.sampled_from(PIECES), st.text(characters, max_size=20)), max_size=30))
@example(lines=["一、", "其他需要报告的情况"])  # found by CI: a heading with nothing under it was dropped unsaid
def test_random_word_files_never_crash_and_lose_no_character(cz_draft, lines):
    printable = ["".join(c for c in line if c.isprintable() or c == "\t") for line in lines]
    result = _read_or_refuse(cz_draft, "".join(printable), docx_from_lines(printable), "report.docx")
    if result is not None:
        assert not unaccounted("".join(printable), result)


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".docx"]))
def test_random_bytes_are_imported_or_refused_but_never_crash(cz_draft, data, suffix):
    try:
        _read(cz_draft, data, f"report{suffix}")
    except TransferError:
        pass


def _mangle(text: str, seed: int) -> tuple[str, str]:
    """The sample as copying from a PDF leaves it: paragraphs cut by page breaks with page numbers between,
    spaces around numbers, CRLF. Returns the mangled text and how it is encoded."""
    chance = random.Random(seed)
    lines = []
    for line in text.splitlines():
        if len(line) >= 40 and chance.random() < 0.5:
            cut = chance.randrange(10, len(line) - 5)
            lines += [line[:cut], "", f"— {chance.randrange(1, 30)} —", "", line[cut:]]
        else:
            lines.append(line)
    mangled = "\n".join(lines)
    if chance.random() < 0.5:
        mangled = mangled.replace("年", " 年 ").replace("%", " %")
    if chance.random() < 0.5:
        mangled = mangled.replace("\n", "\r\n")
    return mangled, chance.choice(["utf-8", "utf-8-sig", "gb18030"])


@FAST
@given(name=st.sampled_from(list(SAMPLES)), seed=st.integers(0, 2**32))
def test_a_sample_mangled_as_copying_from_a_pdf_does_still_reads_as_its_source(places, name, seed):
    agency, year = SAMPLES[name]
    report = filing.start_report(agency=getattr(places, agency), cycle=filing.open_cycle(year=year))
    mangled, encoding = _mangle(sample_text(name), seed)
    result = _read(report, codecs.encode(mangled, encoding), "report.txt")
    assert not unaccounted(mangled, result)
    assert reads_as(result.snapshot) == reads_as(_read(report, sample_text(name).encode(), "report.txt").snapshot)
    assert result.unplaced == []


@WITH_DATABASE
@given(text=report_like)
def test_whatever_is_read_can_be_loaded_into_a_draft(cz_draft, text):
    assume(visible(text))
    agency, year = cz_draft.agency, cz_draft.cycle.year
    import_report_file(agency=agency, year=year, data=text.encode(), file_name="report.txt", replace=True)


@pytest.mark.parametrize("name", [SHANXI, CHANGZHI])
def test_a_sample_cut_by_page_breaks_and_page_numbers_still_reads_as_its_source(places, name):
    agency, year = SAMPLES[name]
    report = filing.start_report(agency=getattr(places, agency), cycle=filing.open_cycle(year=year))
    mangled, _encoding = _mangle(sample_text(name), seed=7)
    assert reads_as(_read(report, mangled.encode(), "report.txt").snapshot) == reads_as(
        _read(report, sample_text(name).encode(), "report.txt").snapshot
    )
