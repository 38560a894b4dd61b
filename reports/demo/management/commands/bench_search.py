"""Benchmark: the search engines side by side over the same 5,000 queries (not part of the tests).

Against a bench database (never the test database, never the one the site serves), it builds each candidate's
index beside the portal's own (see reports.demo.bench.search), draws the queries from the reports' own text
with a fixed seed (2-character words, 4-character phrases, pasted phrases of 10–30 characters, rare terms and
terms in no report, as many of each), computes the exact answer once (kept in a file beside, for the next run),
then runs every query once on every engine: the first page as the portal serves it. It prints, per engine and
kind of query, p50/p95/max ms, timeouts, answers that differ from the exact scan (the 20 newest reports, then the
count as the page shows it), the index's size and build time, and a yardstick measured in the same run; the
last line is JSON.

    flock /tmp/bench.lock env PORTAL_DEMO=true DATABASE_URL=postgres://…/bench15c manage.py bench_search
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "在压测数据库中并排比较各搜索引擎（二元组 GIN、pg_trgm、RUM、结巴分词）；最后一行输出 JSON。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--engines", default="bigram,trgm,rum,jieba", help="逗号分隔")
        parser.add_argument("--per-kind", type=int, default=1000, help="每类查询的数量（共五类）")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--truth", default="", help="查询和精确结果的文件")
        parser.add_argument("--sample", type=int, default=0, help="这些引擎只跑每类的前 N 个查询（同一批）")
        parser.add_argument("--sampled", default="trgm,rum,jieba", help="--sample 适用的引擎，逗号分隔")
        parser.add_argument("--rebuild", action="store_true", help="先删除候选引擎的索引再重建（计时）")
        parser.add_argument("--drop", action="store_true", help="测完删除候选引擎的索引和列")

    def handle(self, *args, engines, per_kind, seed, truth, sample, sampled, rebuild, drop, **options) -> None:
        from reports.demo.bench import search

        name = connection.settings_dict["NAME"]
        if name == "test" or name.startswith("test_") or connection.vendor != "postgresql":
            raise CommandError("请在 PostgreSQL 的压测数据库上运行（不能是测试数据库）。")
        chosen = [engine for engine in engines.split(",") if engine]
        unknown = set(chosen) - search.ENGINES.keys()
        if unknown:
            raise CommandError(f"没有这些引擎：{'、'.join(sorted(unknown))}")
        if "rum" in chosen:
            _rum_available()
        log = self.stderr.write
        built = {}
        for engine in chosen:
            if rebuild:
                search.drop(engine)
            built[engine] = search.build(engine, log)
            log(f"{engine}: {built[engine]}")
        started = time.perf_counter()
        texts = search.Texts()
        log(f"读入 {len(texts.ids)} 份已公开报告的全文，用时 {time.perf_counter() - started:.0f} 秒。")
        saved = Path(truth or f"/tmp/bench_search_{name}.json")
        queries, truth_by_query = self._truth(search, texts, saved, per_kind, seed)
        figures: dict = {"reports": len(texts.ids), "queries": len(queries), "yardstick": search.yardstick(texts, seed)}
        del texts
        self.stdout.write(f"{len(queries)} 个查询，{figures['reports']} 份报告；标尺：{figures['yardstick']}")
        figures["engines"] = {}
        for engine in chosen:
            asked = search.sample(queries, sample) if sample and engine in sampled.split(",") else queries
            rows = search.summary(outcomes := search.run(engine, asked, truth_by_query))
            figures["engines"][engine] = {**built[engine], "kinds": rows}
            self._print(engine, built[engine], rows, figures["yardstick"])
            for kind, outcome in outcomes.items():
                for example in outcome.examples:
                    self.stdout.write(f"    不一致（{kind}）：{example}")
        if drop:
            for engine in chosen:
                search.drop(engine)
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    def _truth(self, search, texts, path: Path, per_kind: int, seed: int):
        key = {"reports": len(texts.ids), "last": texts.ids[:5], "per_kind": per_kind, "seed": seed}
        if path.exists():
            saved = json.loads(path.read_text())
            if saved["key"] == key:
                truth = {q: search.Answer(tuple(a["ids"]), a["count"], a["more"]) for q, a in saved["truth"].items()}
                return [tuple(pair) for pair in saved["queries"]], truth
        started = time.perf_counter()
        queries = search.draw_queries(texts, per_kind, seed, self.stderr.write)
        self.stderr.write(f"抽取 {len(queries)} 个查询，用时 {time.perf_counter() - started:.0f} 秒；计算精确结果……")
        started = time.perf_counter()
        truth = {query: texts.answer(query) for _, query in queries}
        self.stderr.write(f"精确结果用时 {time.perf_counter() - started:.0f} 秒。")
        saved = {"key": key, "queries": queries, "truth": {q: asdict(a) for q, a in truth.items()}}
        path.write_text(json.dumps(saved, ensure_ascii=False))
        return queries, truth

    def _print(self, engine: str, built: dict, rows: dict, yardstick: dict) -> None:
        size = f"索引 {built['size_mb']} MB"
        if "index_s" in built:
            size += f"，填列 {built['fill_s']} 秒，建索引 {built['index_s']} 秒"
        self.stdout.write(f"\n== {engine}（{size}）")
        heading = f"{'kind':11} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8} {'超时':>4} {'结果不同':>6} {'计数不同':>6}"
        self.stdout.write(f"  {heading}")
        for kind, row in rows.items():
            self.stdout.write(
                f"  {kind:11} {row['queries']:5} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f}"
                f" {row['timeouts']:6} {row['mismatches']:9} {row['count_differs']:9}"
            )
        scan = yardstick["exact_scan_ms"]
        self.stdout.write(f"  p95 / 全表精确扫描 = {rows['all']['p95_ms'] / scan:.3f}")


def _rum_available() -> None:
    """The RUM extension from Debian's postgresql-15-rum, installed here when missing (as root, on the server's
    machine), so the bench needs no manual step."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone():
            return
    if os.geteuid() != 0:
        raise CommandError("需要 RUM 扩展：请先运行 sudo apt-get install postgresql-15-rum，或用 --engines 去掉 rum")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql-15-rum"], check=True, env=quiet)
