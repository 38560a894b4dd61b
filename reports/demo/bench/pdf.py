"""The throughput half of manage.py bench_pdf, in its own module: a spawned process imports it before
Django is set up, so nothing here may import a model at the top."""

from __future__ import annotations

import os

_documents: list = []


def start_process(names: list[str], ready) -> None:
    import django

    django.setup()
    from reports.demo.services import sample_snapshot
    from reports.filing.document import compose_document
    from reports.rendering.pdf import render_pdf, warm_up

    warm_up()  # as a worker's process does
    _documents.extend(compose_document(sample_snapshot(name)) for name in names)
    for document in _documents:
        render_pdf(document)
    ready.wait()


def render_share(share: int) -> tuple[float, float]:
    """Render this many reports; the process's resident memory before and after, in MiB."""
    from reports.rendering.pdf import render_pdf

    before = rss_mib()
    for i in range(share):
        render_pdf(_documents[i % len(_documents)])
    return before, rss_mib()


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return round(resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def plain_renders(names: list[str], repeat: int) -> dict[str, dict[str, int]]:
    """The yardstick, in a fresh process: the same HTML and stylesheet as WeasyPrint prints them with the
    installed fonts bound directly, none of the tuning (cut-down fonts, packing). Median ms and bytes."""
    import statistics
    import time

    import django

    django.setup()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.demo.services import sample_snapshot
    from reports.filing.document import compose_document
    from reports.rendering.fetcher import ASSETS_DIR
    from reports.rendering.pdf import document_html

    fonts = FontConfiguration()
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: local("{installed}"); }}'
        for family, installed in [
            ("gw-fangsong", "Noto Serif CJK SC"),
            ("gw-xiaobiaosong", "Noto Serif CJK SC Bold"),
            ("gw-heiti", "Noto Sans CJK SC"),
            ("gw-kaiti", "LXGW WenKai"),
        ]
    )
    stylesheets = [
        CSS(string=faces, font_config=fonts),
        CSS(filename=str(ASSETS_DIR / "report.css"), font_config=fonts),
    ]
    results = {}
    for name in names:
        html = document_html(compose_document(sample_snapshot(name)))

        def render(html=html) -> bytes:
            return HTML(string=html).write_pdf(
                stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1", pdf_tags=True
            )

        render()
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = render()
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = {"median_ms": round(statistics.median(timings)), "bytes": len(pdf)}
    return results
