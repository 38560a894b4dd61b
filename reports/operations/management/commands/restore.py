from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.operations.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = "把一份备份恢复到空的数据库和空的文件存储，并按清单核对每张表和每个文件（README“运行维护”）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="备份目录（portal-YYYYmmdd-HHMMSS）")
        parser.add_argument("--check", action="store_true", help="只核对备份文件是否完整，不恢复")

    def handle(self, *args, backup: Path, check: bool, **options) -> None:
        try:
            if check:
                manifest = check_backup(source=backup)
                rows = sum(manifest["database"]["rows"].values())
                files = len(manifest["media"]["files"])
                self.stdout.write(f"备份完整：{rows} 行数据，{files} 个文件，生成于 {manifest['created_at']}。")
                return
            summary = restore_backup(source=backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成：{summary.tables} 张表共 {summary.rows} 行、{summary.files} 个文件，均与备份清单一致。"
        )
