"""Write an agency's report for a year as a .docx in the official layout."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.filing.models import Report, ReportState
from reports.filing.snapshot import snapshot_of
from reports.transfer.wordexport import report_docx


class Command(BaseCommand):
    help = "把一个机关某一年度的报告导出为 Word（.docx）文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path)
        parser.add_argument("--agency", required=True, help="机关代码，如 sx-yjglt")
        parser.add_argument("--year", required=True, type=int, help="报告年度")

    def handle(self, *args, **options) -> None:
        report = Report.objects.filter(agency__code=options["agency"], cycle__year=options["year"]).first()
        if report is None:
            raise CommandError(f"没有 {options['agency']} {options['year']} 年度的报告。")
        data = report_docx(snapshot_of(report), is_draft=report.state != ReportState.PUBLISHED)
        options["output"].write_bytes(data)
        self.stdout.write(f"已导出：{options['output']}")
