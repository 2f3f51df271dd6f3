"""A locator map drawn from our own data, without tiles: Shandong's cities and the parks as
labelled points on a plain ground, with a scale bar and a north arrow.

It draws no administrative boundary and no coastline on purpose: a map that shows them must
carry an approval number (审图号); points placed by their coordinates need none. Brochures use
it, and the web map lays it under its pins when its tiles cannot load (an equirectangular
drawing stretched over Web Mercator: off by a few pixels across the province, as a sketch may be).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from markupsafe import Markup, escape

from sitegen.content.config import City
from sitegen.content.model import Park

WEST, EAST, SOUTH, NORTH = 114.6, 122.8, 34.3, 38.5
"""The extent drawn, in degrees: Shandong with a margin, the same on every map so they compare."""
WIDTH = 600
_SCALE = WIDTH / ((EAST - WEST) * math.cos(math.radians((SOUTH + NORTH) / 2)))
"""Pixels per degree of latitude; a degree of longitude is shorter by the cosine of the middle
latitude (an equirectangular projection, true enough over one province)."""
HEIGHT = round((NORTH - SOUTH) * _SCALE)
_KM_PER_DEGREE = 111.32


def _point(lat: float, lon: float) -> tuple[float, float]:
    x = (lon - WEST) * _SCALE * math.cos(math.radians((SOUTH + NORTH) / 2))
    return round(x, 1), round((NORTH - lat) * _SCALE, 1)


def _label(x: float, y: float, name: str, css_class: str) -> str:
    """A label right of its point, or left of it near the east edge, so none runs off the map."""
    if x > WIDTH - 120:
        return f'<text class="{css_class}" x="{x - 7}" y="{y + 4}" text-anchor="end">{escape(name)}</text>'
    return f'<text class="{css_class}" x="{x + 7}" y="{y + 4}">{escape(name)}</text>'


def locator_svg(
    cities: Iterable[City], parks: Iterable[Park], lang: str, label: str, focus: Park | None = None, font: str = ""
) -> Markup:
    """The map as inline SVG: every city as a labelled grey point, `parks` as small dots in
    their main sector's colour, and `focus` as a large labelled point on top. `font` is the CSS
    font-family list of its text where the page's own does not reach it (WeasyPrint draws SVG apart)."""
    parts = [
        f'<svg class="locator" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'data-bounds="{SOUTH} {WEST} {NORTH} {EAST}" xmlns="http://www.w3.org/2000/svg">',
        f"<style>{_font_rule(font)}.locator-city{{font-size:16px;fill:#444}}"
        ".locator-focus{font-size:19px;fill:#b00}.locator-note{font-size:12px;fill:#666}</style>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="8" fill="#f4f6f8"/>',
    ]
    for park in parks:
        x, y = _point(park.lat, park.lon)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{park.primary_sector.colour}" fill-opacity=".75"/>')
    if focus is not None:  # under the cities' labels, which a park beside its city would hide
        x, y = _point(focus.lat, focus.lon)
        parts.append(f'<circle cx="{x}" cy="{y}" r="8" fill="#b00" stroke="#fff" stroke-width="3"/>')
    for city in cities:
        x, y = _point(city.lat, city.lon)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="#fff" stroke="#555" stroke-width="1.5"/>')
        parts.append(_label(x, y, city.name.get(lang), "locator-city"))
    if focus is not None:
        x, y = _point(focus.lat, focus.lon)
        parts.append(_label(x, y - 16, focus.name.get(lang), "locator-focus"))
    parts += [_scale_bar(), _north_arrow(), "</svg>"]
    return Markup("".join(parts))


def _font_rule(font: str) -> str:
    """The text's families: `font` when given (a brochure embeds only its CJK font), else the page's."""
    return f"text{{font-family:{escape(font)}}}" if font else "text{font-family:inherit}"


def _scale_bar() -> str:
    """100 km along the bottom left: at this projection, 100 km north-south."""
    length = round(100 / _KM_PER_DEGREE * _SCALE, 1)
    y = HEIGHT - 18
    return (
        f'<path d="M16 {y - 5}v5h{length}v-5" fill="none" stroke="#555" stroke-width="1.5"/>'
        f'<text class="locator-note" x="{16 + length + 6}" y="{y + 2}">100 km</text>'
    )


def _north_arrow() -> str:
    x = WIDTH - 24
    return (
        f'<path d="M{x} 14l7 20h-14z" fill="#555"/><text class="locator-note" x="{x}" y="48" '
        'text-anchor="middle">N</text>'
    )
