import time

from django.core.management.base import BaseCommand

from reports.publication.services import rebuild_search_index


class Command(BaseCommand):
    help = "重建公开报告的列表和全文检索数据（PublishedEntry），使其与已公开的报告一致。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="全部重写（默认只重写公开版本有变化的）"
        )

    def handle(self, *args, everything: bool, **options) -> None:
        started = time.monotonic()
        written, removed = rebuild_search_index(everything=everything)
        self.stdout.write(f"写入 {written} 条，删除 {removed} 条，用时 {time.monotonic() - started:.1f} 秒。")
