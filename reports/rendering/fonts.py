"""Which font file prints each kind of text: an agency's licensed fonts, else compact free substitutes.

GB/T 9704 names four typefaces: 仿宋 for the body, 小标宋 for the title, 黑体 for 一、 headings and
楷体 for （一） headings (宋体 for page numbers). An agency may put its licensed fonts (方正小标宋简体,
仿宋_GB2312, ...) in settings.PORTAL_FONT_DIR; they are recognised by the names inside the files.
Otherwise the free Debian fonts stand in, cut down once to GB 2312 and the usual punctuation: the
full CJK fonts hold 65,535 glyphs, and WeasyPrint keeps every glyph number below the highest one a
report uses, so embedding from them costs time and a few hundred kilobytes per face. Characters outside
the cut-down set fall back to the full installed font through the stylesheet's family lists.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont, TTLibError

from reports.rendering.native import find_font, subset_font
from reports.rendering.packing import has_identity_cids

logger = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
# Bump when the character set or the tables below change, so that cached fonts are cut again.
CHARACTER_SET_VERSION = "gb2312-5-drawn-only"
# Horizontal text shaped without OpenType features needs none of these; without GSUB the cut also keeps
# no glyph variants (vertical forms and the like), which halves the glyph count.
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG")


@dataclass(frozen=True)
class FontRole:
    css_family: str
    licensed_names: tuple[str, ...]
    substitute: str | None


ROLES = {
    "fangsong": FontRole(
        "gw-fangsong",
        (
            "仿宋_GB2312",
            "FangSong_GB2312",
            "方正仿宋_GBK",
            "方正仿宋简体",
            "FZFangSong-Z02",
            "FZFangSong-Z02S",
            "仿宋",
            "FangSong",
        ),
        "Noto Serif CJK SC:style=Regular",
    ),
    "xiaobiaosong": FontRole(
        "gw-xiaobiaosong",
        ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05", "小标宋"),
        "Noto Serif CJK SC:style=Bold",
    ),
    "heiti": FontRole(
        "gw-heiti",
        ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "FZHei-B01S", "FZHei-B01"),
        "Noto Sans CJK SC:style=Regular",
    ),
    "kaiti": FontRole(
        "gw-kaiti",
        ("楷体_GB2312", "KaiTi_GB2312", "方正楷体_GBK", "方正楷体简体", "FZKai-Z03S", "FZKai-Z03", "楷体", "KaiTi"),
        # A Kai face with simplified-Chinese shapes and punctuation set as in the mainland (。，、 low and to
        # the left); AR PL UKai centres them and prints a fifth smaller than the body.
        "LXGW WenKai:style=Regular",
    ),
    # Page numbers; without a licensed 宋体 the stylesheet falls back to the body's font.
    "songti": FontRole("gw-songti", ("宋体", "SimSun", "方正书宋_GBK", "方正书宋简体", "FZShuSong-Z01S"), None),
}


# The title's characters beyond the cut-down set come from the bold face cut down to every Chinese character it
# draws, so that they print bold too (report.css lists it second for the title). Neither a family name nor
# src: local() reaches the bold face of the installed collection: WeasyPrint reads local() as the collection's
# first face, a Japanese one, and fontconfig matched none of it for the title.
TITLE_FALLBACK = ("gw-xiaobiaosong-full", "Noto Serif CJK SC:style=Bold")


def font_faces_css() -> str:
    """@font-face rules binding each CSS family the portal names to its file (report.css uses the families)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in face_files().items()
    )


@cache
def face_files() -> dict[str, Path]:
    """The file behind each CSS family the portal binds: the roles', and the title's fallback."""
    files = {ROLES[name].css_family: path for name, path in role_files().items()}
    family, installed = TITLE_FALLBACK
    if fallback := compact_substitute(installed, codepoints=wide_characters, name="cjk"):
        files[family] = fallback
    return files


@cache
def role_files() -> dict[str, Path]:
    """The file printing each role: licensed first, else the compact substitute (once per process)."""
    licensed = licensed_fonts()
    files = {}
    for name, role in ROLES.items():
        path = next((licensed[n] for n in role.licensed_names if n in licensed), None)
        if path is None and role.substitute:
            path = compact_substitute(role.substitute)
        if path is not None:
            files[name] = path
    logger.info("PDF fonts: %s", {name: path.name for name, path in files.items()})
    return files


# The installed families report.css falls back to, for characters the cut-down fonts lack.
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# After them, for CJK Extension B and later (𠀀 𪚥): Hanazono Mincho (GlyphWiki, SIL OFL 1.1 or its own free
# licence; Debian fonts-hanazono), HanaMinA for the BMP and HanaMinB for the supplementary planes.
RARE_FAMILIES = ("HanaMinA", "HanaMinB")


@cache
def packable_families() -> frozenset[str]:
    """The CSS families whose embedded fonts packing.py may subset densely (CIDs equal glyph numbers)."""
    files = {family: (path, 0) for family, path in face_files().items()}
    for family in FALLBACK_FAMILIES:
        if face := find_font(family):
            files[family] = (face.path, face.index)
    return frozenset(family for family, (path, index) in files.items() if has_identity_cids(path, index))


def licensed_fonts() -> dict[str, Path]:
    """Font files in PORTAL_FONT_DIR, by every family, full and PostScript name they carry."""
    folder = font_dir()
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
            continue
        try:
            font = TTFont(path, lazy=True, fontNumber=0)
            names = {record.toUnicode() for record in font["name"].names if record.nameID in (1, 4, 6, 16)}
        except (TTLibError, OSError, KeyError, UnicodeDecodeError, AssertionError) as exc:
            logger.warning("ignoring %s in the font folder: %s", path.name, exc)
            continue
        for name in names:
            found.setdefault(name, path)
    return found


def compact_substitute(
    pattern: str, codepoints: Callable[[], tuple[int, ...]] | None = None, name: str = "gb2312"
) -> Path | None:
    """The installed font for the pattern, cut down to the characters codepoints gives (GB 2312 and its
    symbols by default), cached in PORTAL_FONT_CACHE_DIR."""
    face = find_font(pattern)
    if face is None:
        logger.warning("font %r is not installed: run scripts/install-system-deps", pattern)
        return None
    stat = face.path.stat()
    key = f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}|{CHARACTER_SET_VERSION}"
    key += "" if name == "gb2312" else f"|{name}"
    target = font_cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.otf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        keep_numbers = has_identity_cids(face.path, face.index)
        drawn = drawn_characters(face.path, face.index, (codepoints or characters)())
        data = subset_font(face, drawn, drop_tables=DROPPED_TABLES, keep_glyph_numbers=keep_numbers)
        # Two worker processes may cut the same font at once: each writes its own file, the rename is atomic.
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
            part.write(data)
        os.chmod(part.name, 0o644)
        os.replace(part.name, target)
    return target


def drawn_characters(path: Path, index: int, codepoints: tuple[int, ...]) -> list[int]:
    """The characters the font maps to a glyph with an outline: one mapped to an empty glyph (AR PL UKai's 䶮)
    is left out of the cut-down font, so that it prints from the next font in the stylesheet's list instead
    of blank. Spaces and other invisible characters are kept."""
    font = TTFont(path, lazy=True, fontNumber=index)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    kept = []
    for codepoint in codepoints:
        name = cmap.get(codepoint)
        if name is None:
            continue
        if not chr(codepoint).isprintable() or chr(codepoint).isspace():
            kept.append(codepoint)
            continue
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is not None:
            kept.append(codepoint)
    return kept


@cache
def characters() -> tuple[int, ...]:
    """GB 2312 (6,763 hanzi and its symbols), Latin-1, and the punctuation and forms Chinese text uses."""
    codepoints = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for first, last in [
        (0x2000, 0x206F),
        (0x2100, 0x218F),
        (0x2190, 0x21FF),
        (0x2460, 0x24FF),
        (0x2500, 0x257F),
        (0x25A0, 0x25FF),
        (0x2600, 0x26FF),
        (0x3000, 0x303F),
        (0x3200, 0x32FF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFFEF),
    ]:
        codepoints.update(range(first, last + 1))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                codepoints.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return tuple(sorted(codepoints))


def wide_characters() -> tuple[int, ...]:
    """Every Chinese character Unicode encodes (CJK Unified Ideographs, their extensions and compatibility
    ideographs), with the characters of the cut-down set: the 通用规范汉字表's 8,105 among them."""
    codepoints = set(characters())
    for first, last in [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF)]:
        codepoints.update(range(first, last + 1))
    return tuple(sorted(codepoints))


def font_dir() -> Path:
    return Path(settings.PORTAL_FONT_DIR).resolve()


def font_cache_dir() -> Path:
    return Path(settings.PORTAL_FONT_CACHE_DIR).resolve()
