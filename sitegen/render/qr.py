"""QR codes of page addresses, drawn as SVG by segno."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, title: str, standalone: bool = False) -> str:
    """A QR code of `url` that scales to any size (no width or height, only a viewBox).

    Black on an opaque white square with the four-module quiet zone readers need, so it
    scans on tinted paper too. `standalone` adds the XML declaration of a file of its own;
    without it the SVG is meant to sit inside an HTML page.
    """
    code = segno.make(url, error="m", micro=False)
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
