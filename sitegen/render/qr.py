"""QR codes of page addresses, drawn as SVG by segno."""

from __future__ import annotations

import io


def qr_svg(url: str, title: str, standalone: bool = False) -> str:
    """A QR code of `url` that scales to any size (no width or height, only a viewBox).

    Black on an opaque white square with the four-module quiet zone readers need, so it
    scans on tinted paper too. `standalone` adds the XML declaration of a file of its own;
    without it the SVG is meant to sit inside an HTML page.
    """
    import segno  # with what it imports (xml.sax, urllib, http, ssl): a build that draws no code spares it

    # Mask 0, not the best of eight: every mask gives a valid code that readers scan, and
    # scoring all eight would draw each code eight times over.
    code = segno.make(url, error="m", micro=False, mask=0)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        border=4,
        dark="#000",
        light="#fff",
        title=title,
        omitsize=True,
        xmldecl=standalone,
        svgns=True,
        svgclass="qr-code",
        lineclass=None,
        nl=standalone,
    )
    return buffer.getvalue().decode("utf-8")
