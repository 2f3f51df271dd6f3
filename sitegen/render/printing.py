"""WeasyPrint's side of the brochures: the process that prints many PDFs, with the fonts and the
stylesheet set up once for all of them.

Setting up fonts is most of the cost of a small document: a fresh font configuration makes
Pango load and shape the Chinese font from nothing for every PDF, and the brochures' one
stylesheet was parsed again for each. A `Press` keeps both for the PDFs it prints, with the
Chinese font cut down once (fontcut.py); each PDF is still a document of its own, so its bytes
depend on its HTML only, never on the PDFs printed before it in the same process.

The build imports this module only in the processes that print (WeasyPrint takes most of a
second and 60 MB to import), which is why importing it never fails: `problem` says why
WeasyPrint cannot run here instead.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sitegen.render.fontcut import CUT_SUFFIX

try:
    import uharfbuzz  # noqa: F401  (fontcut.py cuts the fonts with it)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    problem: str | None = None
except (ImportError, OSError) as error:  # OSError: Pango or HarfBuzz could not be loaded
    problem = f"WeasyPrint cannot run ({error})"

_FIRST_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_CUT_ADDRESS = "https://fonts.sitegen.invalid/cut-"
"""Where the cut faces are offered: only this press's own fetcher answers it."""


class Press:
    """Prints HTML documents to PDF, sharing fonts and parsed stylesheets between them."""

    def __init__(self, family: str = "", cuts: Sequence[tuple[int, bytes]] = ()) -> None:
        """`cuts`, (CSS weight, font) of the Chinese font `family` cut down (fontcut.cut_faces),
        are offered to the documents as `family` + CUT_SUFFIX, the first family the brochures
        name (Printer.fonts), as @font-face rules would."""
        self._fonts = FontConfiguration()
        self._stylesheets: dict[str, Any] = {}
        if cuts:
            fonts = {f"{_CUT_ADDRESS}{weight}.otf": data for weight, data in cuts}
            rules = "".join(
                f'@font-face {{ font-family: "{family}{CUT_SUFFIX}"; src: url("{_CUT_ADDRESS}{weight}.otf"); '
                f"font-weight: {weight}; }}"
                for weight, _ in cuts
            )
            weasyprint.CSS(string=rules, font_config=self._fonts, url_fetcher=_fetcher(fonts.get))

    def print(self, html: str, media: dict[str, str]) -> bytes:
        """The PDF of `html`, which may show the files of `media` (by address). No creation date
        is written (WeasyPrint takes it only from a `dcterms.created` meta the templates do not
        have), so the same HTML gives the same bytes.

        The first `<style>` of the document is parsed once for every document that has the same
        one, and given to WeasyPrint as the document's stylesheet; the PDF is the same as
        with the style left in place (tests/test_brochures.py prints both and compares them).
        A style that names a file (url(...)) stays in place, to be read with the document's files.
        """
        style = _FIRST_STYLE.search(html)
        stylesheets = []
        if style is not None and "url(" not in style.group(1):
            stylesheets.append(self._stylesheet(style.group(1)))
            html = html[: style.start()] + html[style.end() :]
        document = weasyprint.HTML(string=html, url_fetcher=media_fetcher(media))
        return document.write_pdf(stylesheets=stylesheets, font_config=self._fonts)

    def _stylesheet(self, css: str) -> Any:
        if css not in self._stylesheets:
            self._stylesheets[css] = weasyprint.CSS(string=css, font_config=self._fonts, url_fetcher=media_fetcher({}))
        return self._stylesheets[css]


def media_fetcher(files: dict[str, str]) -> Any:
    """WeasyPrint's fetcher that reads only `files`, by address. Any other address gets nothing:
    WeasyPrint leaves that image out and prints the rest, and a build never reads the network."""

    def read(url: str) -> bytes | None:
        file = files.get(url)
        return None if file is None else Path(file).read_bytes()

    return _fetcher(read, files)


def _fetcher(read: Callable[[str], bytes | None], names: dict[str, str] | None = None) -> Any:
    """WeasyPrint's fetcher (since WeasyPrint 68 a `URLFetcher` whose `fetch` returns a
    `URLFetcherResponse`) that answers with what `read` gives for an address, typed by the
    file `names` gives for it, or by the address; `read` giving None refuses the address."""
    fetchers = weasyprint.urls

    class Fetcher(fetchers.URLFetcher):  # type: ignore[name-defined]
        def fetch(self, url: str, headers: object = None) -> Any:
            data = read(url)
            if data is None:
                raise ValueError(f"brochures load only the site's media files: {url}")
            kind = mimetypes.guess_type((names or {}).get(url, url))[0] or "application/octet-stream"
            return fetchers.URLFetcherResponse(url, data, {"Content-Type": kind})

    return Fetcher()
