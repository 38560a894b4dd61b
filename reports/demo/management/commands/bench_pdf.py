"""Benchmark (not a test): how fast and how big the sample reports' PDFs are, warm, and the throughput
of two worker processes. The last line printed is JSON, keyed by sample file name."""

from __future__ import annotations

import io
import json
import multiprocessing
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from pypdf import PdfReader

from reports.demo.bench import pdf as bench
from reports.demo.services import SAMPLES, sample_snapshot
from reports.filing.document import Document, compose_document
from reports.rendering.pdf import render_pdf, warm_up
from reports.transfer.wordexport import report_docx


class Command(BaseCommand):
    help = "Render each sample report repeatedly in one warm process, then many by two processes."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="warm renders of each sample")
        parser.add_argument("--count", type=int, default=200, help="reports rendered in the throughput run")
        parser.add_argument("--processes", type=int, default=2)
        parser.add_argument(
            "--no-plain", action="store_true", help="skip the yardstick: a plain WeasyPrint render of the same HTML"
        )
        parser.add_argument(
            "--libreoffice",
            action="store_true",
            help="also convert each sample's Word export with a warm LibreOffice (scripts/libreoffice-pdf-bench; "
            "needs the Debian packages libreoffice-writer-nogui and python3-uno)",
        )

    def handle(self, *args, repeat: int, count: int, processes: int, no_plain: bool, libreoffice: bool, **options):
        names = [name for name, _, _ in SAMPLES]
        # First, while this process has not yet tuned WeasyPrint: the yardstick, in a process of its own.
        plain = {} if no_plain else _in_fresh_process(bench.plain_renders, names, repeat)
        office = _libreoffice(names, repeat) if libreoffice else {}
        warm_up()
        results: dict[str, object] = {}
        for name in names:
            document = compose_document(sample_snapshot(name))
            pdf = render_pdf(document)
            timings = [_timed(document)[0] for _ in range(repeat)]
            results[name] = {
                "median_ms": round(statistics.median(timings)),
                "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                "bytes": len(pdf),
            }
            if name in plain:
                results[name]["plain_weasyprint"] = plain[name]
            if name in office:
                results[name]["libreoffice"] = office[name]
            self.stdout.write(f"{name}: {results[name]} (min {min(timings):.0f} ms, max {max(timings):.0f} ms)")
        if count:
            throughput = _throughput(names, count=count, processes=processes)
            results.update(throughput)
            self.stdout.write(
                f"{count} reports by {processes} processes: {throughput['reports_per_minute']} per minute; "
                f"RSS per process {throughput['rss_mib']}"
            )
        self.stdout.write(json.dumps(results, ensure_ascii=False))


def _timed(document: Document) -> tuple[float, bytes]:
    started = time.perf_counter()
    pdf = render_pdf(document)
    return (time.perf_counter() - started) * 1000, pdf


def _libreoffice(names: list[str], repeat: int) -> dict[str, dict[str, int]]:
    """Each sample exported to Word by the portal, converted to PDF by a warm LibreOffice."""
    script = Path(settings.BASE_DIR) / "scripts" / "libreoffice-pdf-bench"
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for name in names:
            files[name] = Path(folder) / f"{Path(name).stem}.docx"
            files[name].write_bytes(report_docx(sample_snapshot(name), is_draft=False))
        try:
            finished = subprocess.run(
                ["/usr/bin/python3", str(script), "--repeat", str(repeat), *map(str, files.values())],
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            raise CommandError(f"LibreOffice could not be measured: {getattr(exc, 'stderr', '') or exc}") from exc
    measured = json.loads(finished.stdout.splitlines()[-1])
    return {name: measured[path.name] for name, path in files.items()}


def _in_fresh_process(function, *args):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _throughput(names: list[str], *, count: int, processes: int) -> dict[str, object]:
    # Fresh processes, as a worker's pool has: a forked one would share the parent's font configuration.
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(processes + 1)
    with context.Pool(processes, initializer=bench.start_process, initargs=(names, ready)) as pool:
        ready.wait()
        started = time.perf_counter()
        rss = pool.map(bench.render_share, [count // processes + (i < count % processes) for i in range(processes)])
        elapsed = time.perf_counter() - started
    return {
        "reports_per_minute": round(count / elapsed * 60),
        "rss_mib": {
            "after_warm_up": max(before for before, _ in rss),
            "after_run": max(after for _, after in rss),
        },
    }
