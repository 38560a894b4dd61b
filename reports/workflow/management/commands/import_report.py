"""Bring an agency's report in from a .txt or .docx file: as this year's draft, or as a past year's published report."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.agencies.models import Agency
from reports.transfer.ledger import LABELS
from reports.transfer.services import DraftHasContent, TransferError, import_report_file
from reports.workflow.actions import import_archived_report


class Command(BaseCommand):
    help = "从 .txt 或 .docx 文件导入一个机关某一年度的报告。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="机关代码，如 sx-yjglt")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--publish", action="store_true", help="作为往年已公开的报告直接发布")
        parser.add_argument("--replace", action="store_true", help="草稿中已有内容时，用文件内容替换")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出导入结果")

    def handle(self, *args, **options) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"没有代码为“{options['agency']}”的机关。")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from None
        try:
            bring_in = import_archived_report if options["publish"] else import_report_file
            report, record = bring_in(
                agency=agency, year=options["year"], data=data, file_name=path.name, replace=options["replace"]
            )
        except DraftHasContent as error:
            raise CommandError(f"{error} 如确要替换，请加 --replace。") from None
        except TransferError as error:
            raise CommandError(str(error)) from None
        summary = record.summary
        if options["json"]:
            output = {"report": report.pk, "state": report.state, **summary}
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
            return
        self._print(report, summary)

    def _print(self, report, summary: dict) -> None:
        write = self.stdout.write
        write(f"已导入：{report.agency.name} {report.year} 年度《{summary['title']}》")
        write(f"状态：{report.get_state_display()}")
        for key, section in summary["sections"].items():
            shape = "并入下一部分开头" if section["folded"] else section["heading"]
            write(
                f"  {key:<13}{shape}：要点／条目 {section['points']}，指标 {section['indicators']}，"
                f"{section['characters']} 字"
            )
        write(f"已放入 {summary['placed_characters']} 字")
        write(f"待处理 {len(summary['unplaced'])} 段，{summary['unplaced_characters']} 字")
        for group in summary["healed"]:
            write(f"  修复：{LABELS.get(group['kind'], group['kind'])} {group['count']} 处")
        for warning in summary["warnings"]:
            write(self.style.WARNING(f"  注意：{warning}"))
