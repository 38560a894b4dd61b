"""The only way the renderer may read anything: its own assets, and font files in the font folders."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.rendering.fonts import FONT_SUFFIXES, font_cache_dir, font_dir

ASSETS_DIR = (Path(__file__).resolve().parent / "assets").resolve()
ASSETS_BASE_URL = ASSETS_DIR.as_uri() + "/"


class ForbiddenResource(ValueError):
    pass


class AssetsOnlyFetcher(URLFetcher):
    """Deny by default: no network, no data: URLs, no file outside the assets and font folders."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ForbiddenResource(f"refused {url!r}: only the renderer's own assets may be read")
        path = Path(unquote(parts.path)).resolve()
        if not (path.is_relative_to(ASSETS_DIR) or _is_font_file(path)) or not path.is_file():
            raise ForbiddenResource(f"refused {url!r}: outside the renderer's assets")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": _mime(path)})


def _is_font_file(path: Path) -> bool:
    """Agencies' licensed fonts and the cut-down free ones; resolve() has already followed any symlink."""
    in_font_folder = path.is_relative_to(font_dir()) or path.is_relative_to(font_cache_dir())
    return in_font_folder and path.suffix.lower() in FONT_SUFFIXES


def _mime(path: Path) -> str:
    return {".css": "text/css", ".otf": "font/otf", ".ttf": "font/ttf", ".ttc": "font/collection"}.get(
        path.suffix.lower(), "application/octet-stream"
    )
