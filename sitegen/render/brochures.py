"""PDF brochures of each park and of the whole alliance, drawn from the theme's templates and
printed by WeasyPrint, with QR codes of the pages they stand for.

Promotion officers hand brochures to investors and pass them around in WeChat, so each is a
file on its own: A4, every link absolute, the Chinese font embedded (WeasyPrint embeds only the
glyphs used). The font is the system's, found by fontconfig and named by its family, as Pango
finds it without reading a file through WeasyPrint. WeasyPrint may fetch only the site's own
media files a brochure names by their published address (`media("gate.jpg")` in a template), so
a template can show a park's photo but cannot make a build read elsewhere or reach the network.

A brochure shows what its park's page shows (facts, sectors, city, parent and child parks), so
the build draws it when it draws that page, and the alliance's when it draws the map page.
Printing a PDF costs far more than drawing a page, so each PDF is kept in a folder this module owns,
named by a digest of its HTML, of the media files it shows and of the printer (WeasyPrint's
version, the font files): a brochure none of which changed is taken from the cache, not printed again.
A build that draws every page only because the last output is gone (build/ deleted) does not
even draw the brochures that build would have kept: it takes their PDFs from that folder when
they hold the very bytes the last build's record names (`kept_prints`).
"""

from __future__ import annotations

import hashlib
import html as markup
import json
import multiprocessing
import os
import re
import shutil
import subprocess
from collections.abc import Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup

from sitegen.content.i18n import source_language
from sitegen.content.model import Park, Site
from sitegen.render import urls
from sitegen.render.fontcut import CUT_SUFFIX, Face, cut_faces, cut_identity
from sitegen.render.pages import Output, Renderer
from sitegen.render.qr import qr_svg
from sitegen.workers import start_worker

FONT_PATTERN = "Noto Sans CJK SC,Source Han Sans SC,Source Han Sans CN,sans-serif:lang=zh-cn"
"""What fontconfig is asked for: Debian's fonts-noto-cjk first, then any Simplified Chinese sans."""
INSTALL_HINT = (
    "apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; pip install weasyprint"
)
_MANIFEST = "brochures.json"
MediaFiles = tuple[tuple[str, str], ...]
"""(published address, file) of the media files a brochure shows, by address."""
_PRINT_HERE_BELOW = 4
"""Fewer PDFs than this are printed in the build's own process: starting printing processes
costs more than it saves."""


class BrochuresUnavailable(Exception):
    """This machine cannot print brochures; the message says why, for one warning line."""


@dataclass(frozen=True)
class Printer:
    """What the PDFs are printed with: the family of the Chinese font, as the templates name
    it, its faces (cut down once by the process that starts the printing, see fontcut.py), and
    an identity that changes with the font's files, WeasyPrint's version or the cut."""

    family: str
    identity: str
    faces: tuple[Face, ...] = ()

    @property
    def fonts(self) -> Markup:
        """The brochures' CSS font-family list: the cut first, then the whole font for a
        character the cut leaves out. Safe to place in a template's <style> as it is:
        `_find_face` takes no family with a quote or an angle bracket."""
        families = [f"{self.family}{CUT_SUFFIX}"] if self.faces else []
        return Markup(", ".join(f'"{family}"' for family in [*families, self.family]) + ", sans-serif")


def find_printer() -> Printer:
    """The printer of this machine, or BrochuresUnavailable saying what is missing.

    Cheap (two fontconfig calls): WeasyPrint itself, slow to import, is imported only by the
    processes that print.
    """
    try:
        version = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        raise BrochuresUnavailable("WeasyPrint is not installed") from None
    regular = _find_face("")
    if regular is None:
        raise BrochuresUnavailable("fontconfig (fc-match) finds no Simplified Chinese font")
    family, face = regular
    bold = _find_face(":weight=bold")
    faces = (face,) if bold is None or bold[0] != family or bold[1].weight == face.weight else (face, bold[1])
    files = [(each.file, each.index, each.weight, Path(each.file).stat().st_size) for each in faces]
    identity = json.dumps(["weasyprint", version, family, files, cut_identity()], ensure_ascii=False)
    return Printer(family, hashlib.sha256(identity.encode()).hexdigest()[:16], faces)


_FONTCONFIG_BOLD = 180
"""fontconfig's weight from which a face is bold (its regular is 80, its bold 200)."""


def _find_face(style: str) -> tuple[str, Face] | None:
    """(family, face) of the font fontconfig picks for Chinese text in `style` (":weight=bold"
    or ""); None when it has no font covering Simplified Chinese (it then offers a Latin one) or
    its description cannot be read."""
    command = shutil.which("fc-match")
    if command is None:
        return None
    try:
        found = subprocess.run(
            [command, "--format", "%{family[0]}\t%{file}\t%{index}\t%{weight}\t%{lang}", FONT_PATTERN + style],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    family, file, index, weight, languages = (found.split("\t") + [""] * 5)[:5]
    if (
        not family
        or any(mark in family for mark in '"<>')
        or "zh-cn" not in languages.split("|")
        or not Path(file).is_file()
    ):
        return None
    try:
        css_weight = 700 if float(weight) >= _FONTCONFIG_BOLD else 400
        return family, Face(file, int(index or 0), css_weight)
    except ValueError:
        return None


@dataclass(frozen=True)
class Brochure:
    """A brochure drawn as HTML, to print unless a PDF of the same key is kept."""

    path: str
    html: str
    key: str
    media: MediaFiles = ()
    """(address, file) of each media file the HTML shows: all the printer may read."""


def brochure_files(site: Site, park_slugs: Iterable[str], alliance: bool) -> list[str]:
    """The files of these parks' brochures and, with `alliance`, the alliance's, in every language."""
    slugs = [*park_slugs, *([None] if alliance else [])]
    return [urls.brochure_path(lang, slug) for slug in slugs for lang in site.config.languages]


def qr_code_files(site: Site, park_slugs: Iterable[str]) -> list[str]:
    """The files of these parks' QR codes in every language: none while the site has no public
    address, as a printed page then shows no code (and a code of a local address opens nothing)."""
    if site.config.local_address:
        return []
    return [urls.qr_code_path(lang, slug) for slug in park_slugs for lang in site.config.languages]


def qr_outputs(site: Site, parks: Iterable[Park], known: dict[str, str]) -> list[Output]:
    """The QR code of each of these parks' pages in every language, shown on the printed page
    (none without a public address: `qr_code_files`). `known` holds the codes drawn before, by
    address, so an unchanged page's code is not drawn again."""
    if site.config.local_address:
        return []
    outputs = []
    for park in parks:
        for lang in site.config.languages:
            url = urls.absolute(site.config.base_url, urls.page_path(lang, "park", park.slug))
            if url not in known:
                known[url] = qr_svg(url, url, standalone=True)
            outputs.append(Output(urls.qr_code_path(lang, park.slug), known[url].encode()))
    return outputs


def draw_brochures(renderer: Renderer, printer: Printer, parks: Iterable[Park], alliance: bool) -> list[Brochure]:
    """The brochures of `parks` and, with `alliance`, the alliance's, in every language of the site."""
    site = renderer.site
    drawn = []
    for park in parks:
        values: dict[str, Any] = {
            "park": park,
            "parent": site.park(park.parent) if park.parent else None,
            "children": [site.park(slug) for slug in park.children],
        }
        for lang in site.config.languages:
            drawn.append(_draw(renderer, printer, "brochure/park.html", lang, "park", park.slug, values))
    if alliance:
        parks_in_order = renderer.parks_in_order(site.parks)
        values = {
            "parks": parks_in_order,
            "by_sector": [
                (sector, [park for park in parks_in_order if sector in park.sectors])
                for sector in site.sectors_with_parks
            ],
            "by_city": [
                (city, [park for park in parks_in_order if park.city == city]) for city in site.cities_with_parks
            ],
        }
        for lang in site.config.languages:
            drawn.append(_draw(renderer, printer, "brochure/alliance.html", lang, "map", None, values))
    return drawn


def _draw(
    renderer: Renderer, printer: Printer, template: str, lang: str, kind: str, slug: str | None, values: dict
) -> Brochure:
    """One brochure in one language, with the QR code of the page it stands for; none while
    base_url is a local address (config warns of it), since a printed code cannot be fixed."""
    config = renderer.site.config
    url = "" if config.local_address else urls.absolute(config.base_url, urls.page_path(lang, kind, slug))
    title = renderer.catalogue.text("brochure_qr_caption", source_language(lang))
    known = renderer.caches.qr_codes  # kept between builds: drawing a code takes a few milliseconds
    code = f"{url} {title}"  # the page's own code (qr_outputs) is filed by its address alone
    if url and code not in known:
        known[code] = qr_svg(url, title)
    qr_code = Markup(known[code]) if url else Markup()
    context = values | {"page_url": url, "qr_code": qr_code, "printer": printer}
    html = renderer.render_document(template, lang, context)
    media = _media_shown(renderer.site, html)
    digest = hashlib.sha256(f"{printer.identity}\0{html}".encode())
    for _, file in media:
        digest.update(hashlib.sha256(Path(file).read_bytes()).digest())
    return Brochure(urls.brochure_path(lang, slug if kind == "park" else None), html, digest.hexdigest()[:32], media)


def _media_shown(site: Site, html: str) -> MediaFiles:
    """The files of content/media/ that `html` names by their published address, by address."""
    prefix = urls.absolute(site.config.base_url, "media/")
    found = {}
    for written in re.findall(re.escape(markup.escape(prefix)) + r"[^\"'\s<>()]+", html):
        address = markup.unescape(written)
        file = site.media.get(unquote(address.removeprefix(prefix)))
        if file is not None and file.is_file():
            found[address] = str(file)
    return tuple(sorted(found.items()))


def print_brochures(
    printer: Printer, brochures: list[Brochure], kept_files: Collection[str], keep: Path
) -> list[Output]:
    """The PDFs of `brochures`: kept ones taken from `keep`, the others printed on every core.

    `keep` is a folder this function owns. It also remembers which PDF each path held, with
    the digest of its bytes and its size and modification time, so the PDFs of `kept_files`
    (brochures the build left as they were) stay while others are removed, and `kept_prints`
    finds them again. The site links its PDFs from there (none is held in memory: a thousand
    parks' brochures weigh a quarter of a gigabyte), so a PDF changed in place in build/
    changes the kept one too: a kept PDF whose size or time is not the remembered one is
    digested again, and printed again unless its bytes are still the remembered ones.
    Raises BrochuresUnavailable when WeasyPrint cannot run here (its libraries are missing).
    """
    before = _read_manifest(keep)
    intact = {key: digest for key, digest, stamp in before.values() if _still_kept(keep / f"{key}.pdf", digest, stamp)}
    missing = {brochure.key: brochure for brochure in brochures if brochure.key not in intact}
    keep.mkdir(parents=True, exist_ok=True)
    printed = _print_all(
        printer, [(brochure.key, brochure.html, brochure.media) for brochure in missing.values()], keep
    )
    digests = intact | printed
    keys = {path: before[path][0] for path in kept_files if path in before}
    keys |= {brochure.path: brochure.key for brochure in brochures}
    manifest = {path: (key, digests[key], _stamp(keep / f"{key}.pdf")) for path, key in keys.items() if key in digests}
    _keep(keep, _MANIFEST, json.dumps(manifest, sort_keys=True).encode())
    used = {f"{key}.pdf" for key, _, _ in manifest.values()} | {_MANIFEST}
    for file in keep.iterdir():
        if file.name not in used:
            file.unlink(missing_ok=True)
    return [
        Output(brochure.path, copy_from=keep / f"{brochure.key}.pdf", digest=digests[brochure.key])
        for brochure in brochures
    ]


def kept_prints(keep: Path, published: dict[str, tuple[str, int]]) -> dict[str, Path]:
    """The PDFs in `keep` that hold the very bytes the last build published at these paths
    (`published`: path -> sha256 and size of the file, from that build's record), by path.

    The record, not the manifest, says what the last build published: a build killed after
    printing leaves a manifest the record does not describe, and its PDFs then do not match.
    """
    found = {}
    for path, (key, digest, stamp) in _read_manifest(keep).items():
        file = keep / f"{key}.pdf"
        if published.get(path) == (digest, stamp[0]) and _still_kept(file, digest, stamp):
            found[path] = file
    return found


def _read_manifest(keep: Path) -> dict[str, tuple[str, str, tuple[int, int]]]:
    """Path -> (key, sha256 of the PDF's bytes, its size and st_mtime_ns as kept); entries
    of another shape (older code's, or damaged) are left out, and their PDFs printed again."""
    try:
        manifest = json.loads((keep / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict):
        return {}
    entries = {}
    for path, entry in manifest.items():
        match entry:
            case [str(key), str(digest), [int(size), int(modified)]] if key and digest:
                entries[path] = (key, digest, (size, modified))
    return entries


def _still_kept(file: Path, digest: str, stamp: tuple[int, int]) -> bool:
    """Whether a kept PDF still holds the bytes of `digest`: by its size and time when they are
    the remembered ones, else (touched, or restored from an archive) by digesting it again."""
    return _stamp(file) == stamp or _digest_of(file) == digest


def _digest_of(file: Path) -> str:
    """The sha256 of a kept PDF's bytes; empty when it cannot be read (it is then never reused)."""
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""


def _stamp(file: Path) -> tuple[int, int] | None:
    """A kept PDF's size and st_mtime_ns; None when it is missing."""
    try:
        status = file.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _keep(keep: Path, name: str, data: bytes) -> None:
    temporary = keep / f".{name}.tmp"
    temporary.write_bytes(data)
    temporary.replace(keep / name)


def _print_all(printer: Printer, documents: list[tuple[str, str, MediaFiles]], keep: Path) -> dict[str, str]:
    """Print these (key, HTML, media files it may show) documents into `keep`, as <key>.pdf, in processes of their own
    on every core (WeasyPrint runs on one core, in Python). Each process prints its share with
    one `Press`, so fonts and the stylesheet are set up once per process, not once per PDF; the
    Chinese font is cut once, here, and handed to them.

    The processes are forked from a server that imported WeasyPrint once (a preview keeps it
    for the whole session), not from the build: a forked copy of a build of a thousand parks
    would weigh as much as the build itself. A few PDFs (an edit of a park's facts) are printed
    here, which spares starting that server. Returns the sha256 of each PDF's bytes, by key.
    """
    if not documents:
        return {}
    largest_first = sorted(documents, key=lambda document: -len(document[1]))  # the alliance's
    workers = min(len(documents), os.cpu_count() or 1, 8)
    cuts = cut_faces(printer.faces)
    if workers < 2 or len(documents) < _PRINT_HERE_BELOW:
        return _print_share(printer, cuts, largest_first, keep)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["sitegen.render.printing", "sitegen.render.brochures"])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(None,)) as pool:
        shares = [
            pool.submit(_print_share, printer, cuts, largest_first[share::workers], keep) for share in range(workers)
        ]
        return {key: digest for share in shares for key, digest in share.result().items()}


def _print_share(
    printer: Printer, cuts: tuple[tuple[int, bytes], ...], documents: list[tuple[str, str, MediaFiles]], keep: Path
) -> dict[str, str]:
    from sitegen.render import printing  # imported where it prints: see _print_all

    if printing.problem is not None:
        raise BrochuresUnavailable(printing.problem)
    press = printing.Press(printer.family, cuts)
    digests = {}
    for key, html, media in documents:
        pdf = press.print(html, dict(media))
        _keep(keep, f"{key}.pdf", pdf)
        digests[key] = hashlib.sha256(pdf).hexdigest()
    return digests
