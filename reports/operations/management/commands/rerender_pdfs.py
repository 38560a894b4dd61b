from django.core.management.base import BaseCommand
from django.db import transaction

from reports.operations.upgrade import queue_rerenders


class Command(BaseCommand):
    help = "把由旧生成程序或旧字体生成的 PDF 交给 Celery worker 在后台重新生成，并重试生成失败的 PDF。"

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            outdated, failed = queue_rerenders()
        self.stdout.write(f"已排队：{outdated} 份重新生成，{failed} 份重试。进度见 check_upgrade 或 /metrics。")
