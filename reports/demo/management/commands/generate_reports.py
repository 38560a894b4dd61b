import time

from django.core.management.base import BaseCommand

from reports.demo.synthetic import generate_reports


class Command(BaseCommand):
    help = "生成合成机关和报告（语句取自样例报告），用于压力测试。可重复运行，已有的不重复生成。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agencies", type=int, default=100)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument(
            "--one-jurisdiction",
            action="store_true",
            help="所有机关都在同一司法厅的审核范围内（审核工作台压力测试）",
        )
        parser.add_argument("--prefix", default="99", help="合成行政区划代码的前两位（9 开头，不与真实代码冲突）")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, agencies, years, one_jurisdiction, prefix, seed, **options) -> None:
        started = time.monotonic()
        figures = generate_reports(
            agencies=agencies, years=years, one_jurisdiction=one_jurisdiction, seed=seed, code_prefix=prefix
        )
        self.stdout.write(
            f"{figures.agencies} 个机关，新生成 {figures.reports} 份报告（其中已公开 {figures.published} 份），"
            f"用时 {time.monotonic() - started:.1f} 秒。"
        )
