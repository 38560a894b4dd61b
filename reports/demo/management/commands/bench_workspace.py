"""Benchmark: the reviewer workspace over a jurisdiction of thousands of agencies (not part of the tests)."""

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reports.agencies.models import Agency, User
from reports.demo.synthetic import generate_reports
from reports.filing.models import ReportingCycle


class Command(BaseCommand):
    help = "测量审核工作台的响应时间和 SQL 查询数；最后一行输出 JSON（median_ms, queries）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agencies", type=int, default=3000)
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, agencies, runs, **options) -> None:
        prefix = "98"
        reviewer = User.objects.filter(username=f"syn{prefix}-reviewer").first()
        if reviewer is None or Agency.objects.reviewed_by(reviewer.agency).count() < agencies:
            self.stdout.write(f"生成 {agencies} 个同一辖区的机关和报告……")
            generate_reports(agencies=agencies, years=1, one_jurisdiction=True, code_prefix=prefix)
            reviewer = User.objects.get(username=f"syn{prefix}-reviewer")
        year = ReportingCycle.objects.order_by("-year").values_list("year", flat=True).first()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(reviewer)
        url = f"/review/{year}/"
        for _ in range(3):
            # secure: production settings redirect plain HTTP to HTTPS.
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{url} 返回 {response.status_code}")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        in_jurisdiction = Agency.objects.reviewed_by(reviewer.agency).count()
        yardstick = statistics.median(_plain_listing(reviewer, year) for _ in range(runs))
        self.stdout.write(f"辖区机关 {in_jurisdiction} 个，{runs} 次请求 {url}")
        self.stdout.write(f"对照：同一辖区机关及其报告状态的一条普通查询，中位数 {yardstick:.1f} ms")
        self.stdout.write(
            json.dumps(
                {
                    "agencies": in_jurisdiction,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 1),
                    "queries": len(queries.captured_queries),
                    "yardstick_ms": round(yardstick, 1),
                    "ratio": round(statistics.median(timings) / yardstick, 1),
                    "database": connection.vendor,
                }
            )
        )


def _plain_listing(reviewer: User, year: int) -> float:
    """The yardstick: one plain query reading the same agencies with their report's state, in milliseconds."""
    started = time.perf_counter()
    rows = list(
        Agency.objects.reviewed_by(reviewer.agency)
        .filter(reports__cycle__year=year)
        .values_list("name", "reports__state", "reports__submitted_at")
    )
    assert rows
    return (time.perf_counter() - started) * 1000
