from django.core.management.base import BaseCommand, CommandError

from reports.agencies.regions import DATA_FILE, division, load_regions


class Command(BaseCommand):
    help = "从随源码发布的 GB/T 2260 行政区划代码表导入省、市、县三级行政区划（可重复运行）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", help="只导入一个省份的部分：省级行政区划代码（如 140000）或其前两位（如 14）")

    def handle(self, *args, province: str | None, **options) -> None:
        code = None
        if province:
            code = province[:2] + "0000"
            if not province.isdigit() or division(code) is None:
                raise CommandError(f"{province} 不是 {DATA_FILE.name} 中的省级行政区划代码。")
        loaded = load_regions(province_code=code)
        self.stdout.write(f"新增 {loaded.created} 个，更新 {loaded.renamed} 个，未变 {loaded.unchanged} 个。")
