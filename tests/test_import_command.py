"""python manage.py import_report: past years' reports brought in as published, or this year's as a draft."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from reports.filing.models import Report, ReportState
from reports.transfer.models import ReportImport
from tests.transfer_tools import CHANGZHI, DATA, SHANXI, docx_from_lines, sample_snapshot, sample_text, structure


def _run(*args) -> str:
    output = io.StringIO()
    call_command("import_report", *map(str, args), stdout=output)
    return output.getvalue()


def test_a_past_years_report_is_imported_and_published_as_it_was(places, tmp_path):
    path = tmp_path / "长治2022.docx"
    path.write_bytes(docx_from_lines(sample_text(CHANGZHI).splitlines()))
    output = _run(path, "--agency", "cz-yjglj", "--year", 2022, "--publish")
    report = Report.objects.get(agency=places.cz_emergency, cycle__year=2022)
    assert report.state == ReportState.PUBLISHED
    assert structure(report.published_revision.content) == structure(sample_snapshot(CHANGZHI))
    assert report.published_at.date().isoformat() == "2023-01-03"
    assert "已导入" in output and "已公开" in output


def test_the_json_summary_gives_each_sections_points_indicators_and_characters(places):
    summary = json.loads(_run(DATA / f"{SHANXI}.txt", "--agency", "sx-yjglt", "--year", 2023, "--json"))
    assert summary["state"] == ReportState.DRAFT
    assert summary["sections"]["measures"]["points"] == 7
    assert summary["sections"]["plans"]["points"] == 5
    assert summary["sections"]["shortcomings"]["points"] == 3
    assert summary["indicators"] == summary["sections"]["measures"]["indicators"] > 20
    assert summary["placed_characters"] > 4000
    assert summary["unplaced_characters"] == 0


def test_a_draft_with_content_is_replaced_only_when_asked(places):
    source = DATA / f"{SHANXI}.txt"
    _run(source, "--agency", "sx-yjglt", "--year", 2023)
    with pytest.raises(CommandError, match="--replace"):
        _run(source, "--agency", "sx-yjglt", "--year", 2023)
    _run(source, "--agency", "sx-yjglt", "--year", 2023, "--replace")
    assert ReportImport.objects.filter(report__agency=places.sx_emergency).count() == 2


def test_a_report_with_unplaced_text_is_not_published_and_nothing_is_written(places, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("晋应急函〔2024〕12号\n" + sample_text(SHANXI), encoding="utf-8")
    with pytest.raises(CommandError, match="不能直接发布"):
        _run(path, "--agency", "sx-yjglt", "--year", 2023, "--publish")
    assert not Report.objects.filter(agency=places.sx_emergency, cycle__year=2023).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "no-such", "--year", 2023], "没有代码为"),
        (["--agency", "sx-yjglt", "--year", 2023], "文件是空的"),
    ],
)
def test_mistakes_are_reported_in_chinese(places, tmp_path, args, message):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match=message):
        _run(path, *args)


def test_the_export_command_writes_a_word_file_that_imports_back(places, tmp_path):
    _run(DATA / f"{SHANXI}.txt", "--agency", "sx-yjglt", "--year", 2023)
    path = tmp_path / "out.docx"
    call_command("export_report", str(path), "--agency", "sx-yjglt", "--year", "2023", stdout=io.StringIO())
    summary = json.loads(_run(path, "--agency", "sx-yjglt", "--year", 2023, "--replace", "--json"))
    assert summary["file"]["sealed"] is True
