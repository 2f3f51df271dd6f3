"""Maps of parks -> the header, html and script parts our pages place; tiles per language.

Folium itself is imported only to draw a shape of map not drawn before (sitegen.map.folium_shapes).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sitegen.geo import SHANDONG, distance_m, wgs84_to_gcj02
from sitegen.map.tiles import TileSettings, check_lang

MAP_KINDS = ("industry", "locator")

_MAP_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_STATIC_PREFIX = re.compile(r"[A-Za-z0-9._~/-]*")
_COORDINATE_DECIMALS = 6  # 0.11 m: finer than any park's location is known
_CLUSTER_FROM = 50  # a locator, sector or city map with this many parks is clustered too


@dataclass(frozen=True)
class MapPoint:
    """One park as a map shows it; labels are already in the page's language."""

    slug: str
    lat: float  # WGS-84; the Gaode shift is applied here, at drawing time only
    lon: float
    name: str
    city_id: str
    city_label: str
    level: str | None
    level_label: str
    sector_ids: tuple[str, ...]  # the first is the primary sector, which gives the colour
    sector_labels: tuple[str, ...]
    colour: str  # the primary sector's "#rrggbb"
    summary: str
    url: str  # relative URL of the profile in the page's language, computed by the caller
    member: bool

    def __post_init__(self) -> None:
        where = f"map point {self.slug!r}"
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            raise ValueError(f"{where}: latitude and longitude must be numbers")
        if not self.sector_ids or len(self.sector_ids) != len(self.sector_labels):
            raise ValueError(f"{where}: needs one label per sector and at least one sector")
        if not _COLOUR.fullmatch(self.colour):
            raise ValueError(f"{where}: colour {self.colour!r} is not of the form #rrggbb")
        parts = urlsplit(self.url)
        if parts.scheme or parts.netloc or self.url.startswith("/"):
            raise ValueError(f"{where}: url {self.url!r} must be relative (the site may live under a sub-path)")


@dataclass(frozen=True)
class MapParts:
    """A map split for our own page: `header` goes in <head>, `html` where the map should be,
    `script` inside a <script> element after `html` (it is JavaScript without the tags)."""

    header: str
    html: str
    script: str

    @property
    def styles(self) -> str:
        """The header's stylesheets: these belong in <head>."""
        return "".join(line + "\n" for line in self.header.splitlines() if line.startswith("<link"))

    @property
    def scripts(self) -> str:
        """The header's script tags: placed just before `script` after the content they follow
        (the end of <body>; on the map page, before its long park list), in this order, they
        keep Leaflet from holding up the first paint of the page."""
        return "".join(line + "\n" for line in self.header.splitlines() if line.startswith("<script"))

    @property
    def deferred_scripts(self) -> str:
        """`scripts` run once the page is parsed, for a map drawn after the page's first paint."""
        return self.scripts.replace("></script>", " defer></script>")


def asset_paths(*, clustered: bool, filters: bool) -> tuple[list[str], list[str]]:
    """(scripts, stylesheets) a map loads, relative to the static root, in load order.

    The vendored paths keep each npm package's own layout (sitegen/theme/vendor.json)."""
    scripts = ["vendor/leaflet/dist/leaflet.js"]
    styles = ["vendor/leaflet/dist/leaflet.css"]
    if clustered:
        scripts.append("vendor/leaflet.markercluster/dist/leaflet.markercluster.js")
        styles += [
            "vendor/leaflet.markercluster/dist/MarkerCluster.css",
            "vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
        ]
    styles.append("css/map.css")
    if filters:
        scripts.append("js/map.js")
    return scripts, styles


@dataclass(frozen=True)
class PopupText:
    """The words a popup needs, in the page's language, from the theme's UI strings."""

    profile: str  # the link to the park's profile
    member: str  # shown for alliance members
    separator: str  # between sector names: "、" in Chinese, ", " in English
    no_tiles: str = ""  # shown over the map when its base tiles cannot load


def _script_json(value: object) -> str:
    """JSON safe inside an inline <script>: UTF-8 text kept (half the bytes of \\uXXXX for
    Chinese), and every character that could end the script or start markup escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return text


def _labels_table(points: Sequence[MapPoint]) -> dict[str, dict[str, str]]:
    """Each city, level and sector label once, instead of once per park."""
    table: dict[str, dict[str, str]] = {"cities": {}, "levels": {}, "sectors": {}}

    def put(kind: str, key: str, label: str, slug: str) -> None:
        if table[kind].setdefault(key, label) != label:
            raise ValueError(f"map point {slug!r}: {kind} {key!r} has two labels ({table[kind][key]!r} and {label!r})")

    for point in points:
        put("cities", point.city_id, point.city_label, point.slug)
        if point.level is not None:
            put("levels", point.level, point.level_label, point.slug)
        for sector_id, label in zip(point.sector_ids, point.sector_labels, strict=True):
            put("sectors", sector_id, label, point.slug)
    return {kind: dict(sorted(entries.items())) for kind, entries in table.items()}


def _feature(point: MapPoint, crs: str) -> dict[str, Any]:
    lat, lon = wgs84_to_gcj02(point.lat, point.lon) if crs == "gcj02" else (point.lat, point.lon)
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(lon, _COORDINATE_DECIMALS), round(lat, _COORDINATE_DECIMALS)],
        },
        "properties": {
            "slug": point.slug,
            "name": point.name,
            "city": point.city_id,
            "level": point.level,
            "sectors": list(point.sector_ids),
            "colour": point.colour.lower(),
            "member": point.member,
            "summary": point.summary,
            "url": point.url,
        },
    }


def _home_bounds(features: list[dict[str, Any]], kind: str) -> list[list[float]]:
    """Where the map opens: all of Shandong for the industry map, else around its parks."""
    if kind == "industry" or not features:
        return [[SHANDONG.south, SHANDONG.west], [SHANDONG.north, SHANDONG.east]]
    lons = [feature["geometry"]["coordinates"][0] for feature in features]
    lats = [feature["geometry"]["coordinates"][1] for feature in features]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _overlapping(features: list[dict[str, Any]], within_m: float = 30) -> bool:
    """Whether two parks would draw as one pin (compared pairwise: small maps only)."""
    places = [feature["geometry"]["coordinates"] for feature in features]
    return any(
        distance_m(lat1, lon1, lat2, lon2) < within_m
        for index, (lon1, lat1) in enumerate(places)
        for lon2, lat2 in places[index + 1 :]
    )


def _check_arguments(points: Sequence[MapPoint], lang: str, static_prefix: str, map_id: str, kind: str) -> None:
    check_lang(lang)
    if kind not in MAP_KINDS:
        raise ValueError(f"map kind {kind!r} is not one of {MAP_KINDS}")
    if not _MAP_ID.fullmatch(map_id):
        raise ValueError(
            f"map id {map_id!r} must be lower-case letters, digits and _, "
            "starting with a letter (it names JavaScript variables)"
        )
    parts = urlsplit(static_prefix)
    if (
        parts.scheme
        or parts.netloc
        or not _STATIC_PREFIX.fullmatch(static_prefix)
        or (static_prefix and not static_prefix.endswith("/"))
    ):
        raise ValueError(f"static prefix {static_prefix!r} must be a relative path ending in / (e.g. ../../static/)")
    slugs = [point.slug for point in points]
    if len(set(slugs)) != len(slugs):
        raise ValueError("a park appears twice on one map")


DATA_SLOT = "__sitegen_park_data__"
"""Stands in a drawn map's script, inside JSON.parse('...'), where each map's own park data goes."""


DrawShape = Callable[[str, TileSettings, str, str, str, bool], MapParts]
"""(lang, tiles, static_prefix, map_id, kind, clustered) -> the map's parts with DATA_SLOT
where its park data goes."""


class MapRenderer:
    """Renders maps, drawing each distinct shape of map with folium only once.

    Folium's output for a map depends on its settings, not on its parks: the parks travel as
    one JSON object in the script. A site has thousands of small maps but only a handful of
    shapes (language, tiles, depth of the page, clustered or not), so each shape is drawn once
    and every later map of that shape gets its own park data put in the same place. That data
    is made of each park's feature, also encoded once and reused by every map that shows it.
    """

    def __init__(self, draw: DrawShape, shapes: dict[str, MapParts] | None = None) -> None:
        """`draw` draws a shape with folium; `shapes` are the ones drawn before, filed by
        `shape_key`, e.g. by the last build (kept, they spare a build importing folium)."""
        self._draw = draw
        self.shapes = shapes if shapes is not None else {}
        self._features: dict[tuple[str, str, str], tuple[MapPoint, dict[str, Any], str]] = {}

    def render(
        self,
        points: Sequence[MapPoint],
        *,
        lang: str,
        tiles: TileSettings,
        static_prefix: str,
        map_id: str,
        kind: str,
        text: PopupText,
        focus: str | None = None,
    ) -> MapParts:
        """Render a map of `points` into the three parts our page template places.

        Why it is built this way (figures in the project's research note on maps in China):
        folium's defaults load Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from
        five CDNs that fail or stall in mainland China, so each map overrides `default_js` and
        `default_css` on its own instances (the class lists are shared by every map) to load
        only Leaflet, markercluster when clustering, and our map.css/map.js, relative to the
        page. All parks are one compact GeoJSON collection, a marker per feature with its popup
        and tooltip bound when first drawn: about a quarter of the bytes of a folium Marker +
        Popup per park (which also needs jQuery), and unlike GeoJsonPopup it works inside a
        cluster. folium's ids come
        from os.urandom; here every id derives from `map_id`, so the same parks give the same
        bytes.

        `kind` "industry" is the big map: all parks clustered, opening on Shandong, and loading
        map.js for the filter form. "locator" is a small map (a park with its parent and
        children, a sector, a city) that opens around its parks and clusters only from 50 parks
        or when two parks share a place; `focus` is the slug of the park the page is about,
        drawn larger and on top. `static_prefix` is the relative path from the page to the
        static root. `map_id` names the map in `window.sitegenMaps` and in element ids, so it
        must be unique on the page. Points are drawn in slug order.
        """
        _check_arguments(points, lang, static_prefix, map_id, kind)
        encoded = [self._encoded_feature(point, tiles.crs) for point in sorted(points, key=lambda p: p.slug)]
        features = [feature for feature, _ in encoded]
        # A 区中园 often shares its parent's location: clustering lets a click spread such pins.
        clustered = kind == "industry" or len(points) >= _CLUSTER_FROM or _overlapping(features)
        shape = (lang, tiles, static_prefix, map_id, kind, clustered)
        key = repr(shape)
        if key not in self.shapes:
            self.shapes[key] = self._draw(*shape)
        drawn = self.shapes[key]
        data = {
            "id": map_id,
            "focus": focus,
            "home": _home_bounds(features, kind),
            "maxZoom": None if kind == "industry" else 13,
            # Shandong's box has its own margin; a locator's parks need room from the edge.
            "padding": [0, 0] if kind == "industry" else [24, 24],
            "text": {
                "profile": text.profile,
                "member": text.member,
                "separator": text.separator,
                "noTiles": text.no_tiles,
            },
            # The industry map may not be zoomed or dragged far from Shandong.
            "bounded": kind == "industry",
            "labels": _labels_table(points),
        }
        data_json = _with_parks_json(data, [text for _, text in encoded])
        return MapParts(drawn.header, drawn.html, drawn.script.replace(DATA_SLOT, _quoted_for_script(data_json), 1))

    def _encoded_feature(self, point: MapPoint, crs: str) -> tuple[dict[str, Any], str]:
        """A park's GeoJSON feature and its JSON, kept: the big map and every sector and city
        map show the same parks again, and the preview redraws them after each edit. Filed by
        slug and link (which differs by page language and depth), checked by identity first
        (the renderer keeps its points)."""
        key = (point.slug, point.url, crs)
        kept = self._features.get(key)
        if kept is None or (kept[0] is not point and kept[0] != point):
            feature = _feature(point, crs)
            kept = self._features[key] = (point, feature, _script_json(feature))
        return kept[1], kept[2]


def _with_parks_json(data: dict[str, Any], features: list[str]) -> str:
    """`data` with its parks as one more key, as _script_json would write it all, but from
    features already written one by one (escaping is per character, so the pieces join)."""
    parks = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return _script_json(data).removesuffix("}") + ',"parks":' + parks + "}"


def _quoted_for_script(json_text: str) -> str:
    """JSON text as the inside of a single-quoted JavaScript string, for JSON.parse('...').

    A browser parses a large JSON string several times faster than the same data written as
    an object literal (3.8 MB for 10,000 parks). `json_text` comes from _script_json, so it
    holds no line break and nothing that could end the script; only backslashes and single
    quotes need escaping."""
    return json_text.replace("\\", "\\\\").replace("'", "\\'")
