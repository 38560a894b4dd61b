"""Read PDFs the way a person's tools do: poppler's pdftotext and pdffonts."""

import subprocess
import tempfile


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(
            [tool, *args, f.name, "-"] if tool == "pdftotext" else [tool, *args, f.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_text(pdf: bytes) -> str:
    return _run("pdftotext", pdf, "-layout")


def pdf_fonts(pdf: bytes) -> list[dict]:
    lines = _run("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name ... emb sub uni object ID: the three flags sit before the last two columns.
        fonts.append({"name": parts[0], "embedded": parts[-5] == "yes", "subset": parts[-4] == "yes"})
    return fonts
