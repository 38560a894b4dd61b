"""Benchmark: the province-wide view over a province of 20,000 agencies (not part of the tests). Target: under
300 ms. The yardstick, in the same run: the one aggregate any such page needs at least (reports by region and
state), straight from PostgreSQL through a cursor."""

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reports.agencies.models import Agency, Region, User
from reports.demo.synthetic import add_court_figures, generate_reports
from reports.filing.models import ReportingCycle

PREFIX = "97"


def median_ms(call, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1), round(sorted(timings)[max(0, int(len(timings) * 0.95) - 1)], 1)


class Command(BaseCommand):
    help = "测量全省进度页在两万个机关时的响应时间；最后一行输出 JSON（median_ms、queries、yardstick_ms）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agencies", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, agencies: int, runs: int, **options) -> None:
        province = Region.objects.filter(code=f"{PREFIX}0000").first()
        if province is None or Agency.objects.within(province).count() < agencies:
            self.stdout.write(f"生成一个省 {agencies} 个机关（省、20 个市、120 个县）和报告……")
            generate_reports(agencies=agencies, years=1, code_prefix=PREFIX)
            province = Region.objects.get(code=f"{PREFIX}0000")
        added = add_court_figures(code_prefix=PREFIX)
        if added:
            self.stdout.write(f"补充案件数字 {added} 份。")
        if connection.vendor == "postgresql":
            # What autovacuum does in a while after bulk inserts: fresh statistics and visibility maps, so that
            # the planner takes the covering indexes as it would in production.
            with connection.cursor() as cursor:
                for table in ("agencies_agency", "filing_report", "filing_reportsection", "rulings_courtcasefigures"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        reviewer = User.objects.get(username=f"syn{PREFIX}-reviewer")
        year = ReportingCycle.objects.order_by("-year").values_list("year", flat=True).first()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(reviewer)
        url = f"/province/?year={year}"

        def page():
            response = client.get(url)
            assert response.status_code == 200
            return response

        for _ in range(3):
            page()
        median, p95 = median_ms(page, runs)
        with CaptureQueriesContext(connection) as queries:
            size = len(page().content)

        def yardstick():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.region_id, r.state, count(*) FROM filing_report r JOIN agencies_agency a"
                    " ON a.id = r.agency_id JOIN filing_reportingcycle c ON c.id = r.cycle_id"
                    " WHERE c.year = %s GROUP BY a.region_id, r.state",
                    [year],
                )
                cursor.fetchall()

        for _ in range(3):
            yardstick()
        floor, _p95 = median_ms(yardstick, runs)
        count = Agency.objects.within(province).active().count()
        self.stdout.write(f"{province.name}：机关 {count} 个，{runs} 次请求 {url}，页面 {size // 1024} KB")
        self.stdout.write(f"全省进度页 中位数 {median} ms（p95 {p95} ms），目标 300 ms")
        self.stdout.write(f"参照（同一次运行）：PostgreSQL 按地区和状态统计报告 {floor} ms；比值 {median / floor:.1f}")
        self.stdout.write(
            json.dumps(
                {
                    "agencies": count,
                    "median_ms": median,
                    "p95_ms": p95,
                    "queries": len(queries.captured_queries),
                    "yardstick_ms": floor,
                    "ratio": round(median / floor, 1),
                    "target_ms": 300,
                    "database": connection.vendor,
                }
            )
        )
