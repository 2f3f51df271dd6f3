"""The brochures' Chinese font cut down to the characters everyday Chinese and English text uses.

WeasyPrint embeds a subset of each font a PDF shows, but keeps every glyph's number: from the
65,000 glyphs of Noto Sans CJK, each PDF carried 60,000 empty ones, and subsetting that font,
twice (regular and bold), was a quarter of the time a brochure took to print. A cut of about
14,000 glyphs, made by HarfBuzz in a tenth of a second, makes each PDF's subsetting a third of
that and its file about a third of the size. It is made once, by the process that starts the
printing ones, which are handed the cut: cutting takes about 90 MB for a moment, and printing
processes cutting side by side made the peak of a small site's build.

The characters are fixed (GB 2312, which holds the 6,763 most used Chinese characters, with Latin
text, punctuation and common symbols), never drawn from the site, so a brochure's bytes still
depend on its own HTML only. A character outside the cut falls back to the whole font, which
the brochures name next (`Printer.fonts`): rarer characters print as before, never as boxes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import sys
from dataclasses import dataclass

CUT_SUFFIX = " Common"
"""Appended to the font's family to name its cut, so that the cut and the whole font are told apart."""

_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1 and Latin Extended-A and B: names in English text
    (0x2000, 0x206F),  # general punctuation: dashes, quotation marks, ellipsis
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency signs
    (0x2100, 0x24FF),  # letterlike symbols, number forms, arrows, mathematical operators, ①
    (0x25A0, 0x25FF),  # geometric shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3300, 0x33FF),  # CJK compatibility: ㎡, ㎞
    (0xFF00, 0xFFEF),  # full-width forms
)


@dataclass(frozen=True)
class Face:
    """One face of the system's Chinese font, as fontconfig finds it: file, index in a
    collection (.ttc) and CSS weight."""

    file: str
    index: int
    weight: int


@functools.cache
def common_characters() -> tuple[int, ...]:
    """The code points the cut keeps, sorted: GB 2312's characters and the ranges above."""
    found = {point for first, last in _RANGES for point in range(first, last + 1)}
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return tuple(sorted(found))


def cut_identity() -> str:
    """What the cut depends on besides the font: the characters and the HarfBuzz that cuts."""
    from importlib import metadata

    try:
        version = metadata.version("uharfbuzz")
    except metadata.PackageNotFoundError:
        version = "missing"
    points = ",".join(map(str, common_characters()))
    return f"uharfbuzz {version} {hashlib.sha256(points.encode()).hexdigest()[:16]}"


def cut_faces(faces: tuple[Face, ...]) -> tuple[tuple[int, bytes], ...]:
    """(CSS weight, OpenType font) of each face cut down. A face HarfBuzz cannot cut is left
    out: its text prints in the whole font. (Without uharfbuzz nothing prints: the printing
    processes say so.)"""
    cuts = []
    for face in faces:
        try:
            cuts.append((face.weight, cut_face(face)))
        except (ImportError, OSError):
            continue
    _return_freed_memory()
    return tuple(cuts)


def _return_freed_memory() -> None:
    """Hand the C heap's free pages back to the system. Cutting the two faces frees about 90 MB
    of HarfBuzz's working memory that glibc would keep for the life of the process; elsewhere
    (no glibc: musl, macOS, Windows) there is nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).malloc_trim(0)


def cut_face(face: Face) -> bytes:
    """The face with only the glyphs of `common_characters` (and those its layout features
    reach from them), as an OpenType font. Raises OSError when HarfBuzz cannot read or cut it."""
    import uharfbuzz

    source = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(face.file), face.index)
    wanted = uharfbuzz.SubsetInput()
    wanted.unicode_set.update(common_characters())
    cut = uharfbuzz.subset(source, wanted)
    data = bytes(cut.blob.data) if cut is not None else b""
    if not data:
        raise OSError(f"HarfBuzz could not cut {face.file} (face {face.index})")
    return data
