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
    from reports.rendering.pdf import render_pdf

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
