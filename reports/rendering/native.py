"""The few calls the renderer makes into HarfBuzz's subsetter and Fontconfig itself.

WeasyPrint loads the same libraries; these bindings exist so that the worker can refuse to start
without the subsetter, so that the free CJK fonts can be cut down once to the characters reports
use (see fonts.py), and so that an embedded font can be packed to the glyphs a PDF uses (packing.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cffi import FFI

HARFBUZZ_SUBSET = "libharfbuzz-subset.so.0"

_ffi = FFI()
_ffi.cdef(
    """
    typedef struct hb_blob_t hb_blob_t;
    typedef struct hb_face_t hb_face_t;
    typedef struct hb_set_t hb_set_t;
    typedef struct hb_subset_input_t hb_subset_input_t;
    hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
    hb_blob_t *hb_blob_create_or_fail (const char *data, unsigned int length, int mode, void *user_data,
                                       void *destroy);
    void hb_blob_destroy (hb_blob_t *blob);
    const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t *hb_face_reference_blob (hb_face_t *face);
    hb_blob_t *hb_face_reference_table (hb_face_t *face, uint32_t tag);
    void hb_set_add (hb_set_t *set, uint32_t codepoint);
    hb_subset_input_t *hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
    hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
    hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
    hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);

    typedef struct _FcPattern FcPattern;
    typedef struct _FcConfig FcConfig;
    FcConfig *FcInitLoadConfigAndFonts (void);
    void FcConfigDestroy (FcConfig *config);
    FcPattern *FcNameParse (const char *name);
    int FcConfigSubstitute (FcConfig *config, FcPattern *p, int kind);
    void FcDefaultSubstitute (FcPattern *pattern);
    FcPattern *FcFontMatch (FcConfig *config, FcPattern *p, int *result);
    int FcPatternGetString (const FcPattern *p, const char *object, int n, char **s);
    int FcPatternGetInteger (const FcPattern *p, const char *object, int n, int *i);
    void FcPatternDestroy (FcPattern *p);
    """
)
_HB_SUBSET_FLAGS_NO_HINTING = 0x01
_HB_SUBSET_FLAGS_RETAIN_GIDS = 0x02
_HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x04
_HB_SUBSET_FLAGS_NOTDEF_OUTLINE = 0x40
_HB_SUBSET_SETS_DROP_TABLE_TAG = 3
_HB_MEMORY_MODE_READONLY = 1
_FC_MATCH_PATTERN = 0


class SubsetterMissing(RuntimeError):
    pass


@cache
def _harfbuzz():
    return _ffi.dlopen("libharfbuzz.so.0")


@cache
def _harfbuzz_subset():
    try:
        return _ffi.dlopen(HARFBUZZ_SUBSET)
    except OSError as exc:
        raise SubsetterMissing(
            f"{HARFBUZZ_SUBSET} cannot be loaded ({exc}). Without it WeasyPrint falls back to fontTools "
            "and a report takes seconds instead of milliseconds: install the Debian package "
            "libharfbuzz-subset0 (scripts/install-system-deps does)."
        ) from exc


@cache
def _fontconfig():
    return _ffi.dlopen("libfontconfig.so.1")


def require_harfbuzz_subset() -> None:
    """Raise SubsetterMissing unless HarfBuzz's subsetter can be loaded."""
    _harfbuzz_subset()


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int
    family: str


def find_font(pattern: str) -> FontFace | None:
    """The installed face Fontconfig picks for a pattern such as "Noto Serif CJK SC:style=Bold".

    None when the best match is of another family: Fontconfig always answers with something.
    """
    fc = _fontconfig()
    config = fc.FcInitLoadConfigAndFonts()
    query = fc.FcNameParse(pattern.encode())
    try:
        fc.FcConfigSubstitute(config, query, _FC_MATCH_PATTERN)
        fc.FcDefaultSubstitute(query)
        result = _ffi.new("int *")
        match = fc.FcFontMatch(config, query, result)
        if match == _ffi.NULL:
            return None
        try:
            string = _ffi.new("char **")
            index = _ffi.new("int *")
            fc.FcPatternGetString(match, b"family", 0, string)
            family = _ffi.string(string[0]).decode()
            fc.FcPatternGetString(match, b"file", 0, string)
            path = Path(_ffi.string(string[0]).decode())
            fc.FcPatternGetInteger(match, b"index", 0, index)
        finally:
            fc.FcPatternDestroy(match)
    finally:
        fc.FcPatternDestroy(query)
        fc.FcConfigDestroy(config)
    wanted = pattern.split(":")[0]
    return FontFace(path, index[0], family) if family.lower() == wanted.lower() else None


def subset_font(
    face: FontFace, codepoints: Iterable[int], *, drop_tables: Iterable[str] = (), keep_glyph_numbers: bool = False
) -> bytes:
    """An OpenType font holding only the glyphs of these characters (and what they need), without
    subroutines (so that subsetting it again is quick); renumbered unless keep_glyph_numbers."""
    hb = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(str(face.path).encode())
    if blob == _ffi.NULL:
        raise OSError(f"cannot read {face.path}")
    try:
        return _subset(
            blob,
            face.index,
            codepoints=codepoints,
            drop_tables=drop_tables,
            flatten=True,
            keep_glyph_numbers=keep_glyph_numbers,
        )
    finally:
        hb.hb_blob_destroy(blob)


def subset_glyphs(data: bytes, glyphs: Iterable[int], *, table: str | None = None) -> bytes:
    """The font in data holding only these glyph numbers (and what they need), renumbered densely, without
    subroutines; only the named table of it if one is given (b"" if it has none)."""
    hb = _harfbuzz()
    buffer = _ffi.from_buffer(data)
    blob = hb.hb_blob_create_or_fail(buffer, len(data), _HB_MEMORY_MODE_READONLY, _ffi.NULL, _ffi.NULL)
    if blob == _ffi.NULL:
        raise MemoryError("HarfBuzz cannot wrap the font data")
    try:
        return _subset(blob, 0, glyphs=glyphs, table=table, flatten=True)
    finally:
        hb.hb_blob_destroy(blob)
        del buffer  # kept alive until HarfBuzz has let go of the blob


def _subset(
    blob,
    index: int,
    *,
    codepoints: Iterable[int] = (),
    glyphs: Iterable[int] = (),
    drop_tables: Iterable[str] = (),
    table: str | None = None,
    flatten: bool = False,
    keep_glyph_numbers: bool = False,
) -> bytes:
    hb, hb_subset = _harfbuzz(), _harfbuzz_subset()
    source = hb.hb_face_create(blob, index)
    request = hb_subset.hb_subset_input_create_or_fail()
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(request)
        for codepoint in codepoints:
            hb.hb_set_add(unicodes, codepoint)
        glyph_set = hb_subset.hb_subset_input_glyph_set(request)
        for glyph in glyphs:
            hb.hb_set_add(glyph_set, glyph)
        dropped = hb_subset.hb_subset_input_set(request, _HB_SUBSET_SETS_DROP_TABLE_TAG)
        for tag in drop_tables:
            hb.hb_set_add(dropped, _tag(tag))
        flags = _HB_SUBSET_FLAGS_NO_HINTING | _HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        if flatten:
            flags |= _HB_SUBSET_FLAGS_DESUBROUTINIZE
        if keep_glyph_numbers:
            flags |= _HB_SUBSET_FLAGS_RETAIN_GIDS
        hb_subset.hb_subset_input_set_flags(request, flags)
        subset = hb_subset.hb_subset_or_fail(source, request)
        if subset == _ffi.NULL:
            raise ValueError("HarfBuzz cannot subset the font")
        if table is None:
            result = hb.hb_face_reference_blob(subset)
        else:
            result = hb.hb_face_reference_table(subset, _tag(table))
        length = _ffi.new("unsigned int *")
        data = _ffi.unpack(hb.hb_blob_get_data(result, length), length[0])
        hb.hb_blob_destroy(result)
        hb.hb_face_destroy(subset)
        return data
    finally:
        hb_subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(source)


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii").ljust(4), "big")
