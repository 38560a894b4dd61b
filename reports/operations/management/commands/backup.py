from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份 PostgreSQL 数据库和全部存储文件（PDF、上传件），附带校验清单（README“运行维护”）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="备份目录（默认 BACKUP_DIR）")
        parser.add_argument("--keep", type=int, default=None, help="只保留最新的几份（默认 BACKUP_KEEP，0 为全部保留）")

    def handle(self, *args, to: Path | None, keep: int | None, **options) -> None:
        into = to or settings.BACKUP_DIR
        try:
            path = create_backup(into=into, keep=settings.BACKUP_KEEP if keep is None else keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份完成：{path}")
