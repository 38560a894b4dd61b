"""What a PDF was made with, recorded on its rendition, so that an upgrade can tell which PDFs to make again.

Two parts, `r:<renderer>-f:<fonts>`: the renderer (WeasyPrint and the libraries it writes PDFs with, the
stylesheets and templates that print a report, and RENDERER_REVISION) and the font file printing each role
(fonts.role_files: an agency's licensed fonts once installed, else the cut-down free ones).
`manage.py check_upgrade` compares each PDF's fingerprint with the current one.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.template.loader import get_template

from reports.rendering import fonts
from reports.rendering.fetcher import ASSETS_DIR

# Bump when a change to the code that prints a report (typesetting, packing, metadata) changes its PDFs.
RENDERER_REVISION = 1
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2")
PRINTED_TEMPLATES = ("rendering/report.html", "filing/document.html")


def renderer_fingerprint() -> str:
    return f"r:{renderer_digest()}-f:{font_digest()}"


@cache
def renderer_digest() -> str:
    parts = [f"revision {RENDERER_REVISION}", *(f"{name} {version(name)}" for name in LIBRARIES)]
    for path in sorted(p for p in ASSETS_DIR.rglob("*") if p.is_file()):
        parts.append(f"{path.relative_to(ASSETS_DIR)} {_file_digest(path)}")
    for name in PRINTED_TEMPLATES:
        parts.append(f"{name} {hashlib.sha256(get_template(name).template.source.encode()).hexdigest()}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def font_digest() -> str:
    parts = [f"{role} {_file_digest(path)}" for role, path in sorted(fonts.role_files().items())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest_of(path, stat.st_size, stat.st_mtime_ns)


@cache
def _digest_of(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
