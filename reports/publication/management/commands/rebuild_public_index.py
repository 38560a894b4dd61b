import time

from django.core.management.base import BaseCommand, CommandError

from reports.agencies.models import Agency
from reports.publication.agency_pages import agency_paths, keep_pages
from reports.publication.pages import rebuild_stored_pages
from reports.publication.services import rebuild_search_index


class Command(BaseCommand):
    help = (
        "重建公开报告的列表和全文检索数据（PublishedEntry）及预先生成的报告页面（StoredPage），"
        "使其与已公开的报告和当前版本的模板一致。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="全部重写（默认只重写公开版本或模板有变化的）"
        )
        parser.add_argument("--pages-only", action="store_true", help="只重新生成报告页面（升级只改了模板或样式时）")
        parser.add_argument(
            "--agency-pages",
            metavar="ORIGIN",
            default="",
            help="另外为从这个地址（如 https://fzbg.example.gov.cn）访问的读者预先生成各机关的页面、"
            "年度对比和接口中的报告（默认在首次访问时生成）",
        )
        parser.add_argument(
            "--shard",
            default="0/1",
            help="k/n：只生成报告编号除以 n 余 k 的页面，以便 n 个进程分担（如 0/2 和 1/2）",
        )

    def handle(self, *args, everything: bool, pages_only: bool, shard: str, agency_pages: str, **options) -> None:
        try:
            k, n = (int(part) for part in shard.split("/"))
            assert 0 <= k < n
        except (ValueError, AssertionError):
            raise CommandError("--shard 应为 k/n，且 0 ≤ k < n。") from None
        started = time.monotonic()
        if not pages_only and k == 0:
            written, removed = rebuild_search_index(everything=everything)
            self.stdout.write(
                f"检索数据：写入 {written} 条，删除 {removed} 条，用时 {time.monotonic() - started:.1f} 秒。"
            )
        started = time.monotonic()
        rendered, removed = rebuild_stored_pages(everything=everything, shard=(k, n), log=self.stderr.write)
        self.stdout.write(
            f"报告页面：生成 {rendered} 个，删除 {removed} 个，用时 {time.monotonic() - started:.1f} 秒。"
        )
        if agency_pages:
            started = time.monotonic()
            codes = [code for pk, code in Agency.objects.order_by("pk").values_list("pk", "code") if pk % n == k]
            paths = (path for code in codes for path in agency_paths(code))
            kept = keep_pages(paths, agency_pages.rstrip("/"), log=self.stderr.write)
            self.stdout.write(f"机关页面：{kept} 个可读，用时 {time.monotonic() - started:.1f} 秒。")
