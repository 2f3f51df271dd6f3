"""Folium maps of parks -> the header, html and script parts our pages place; tiles per language."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import folium
from branca.element import CssLink, JavascriptLink, MacroElement
from folium import plugins
from folium.template import Template
from folium.utilities import JsCode

from sitegen.geo import SHANDONG, distance_m, wgs84_to_gcj02
from sitegen.tiles import TileSettings, check_lang, tile_layers, tile_sources

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
        """The header's script tags: placed just before `script` at the end of <body>, in this
        order, they keep Leaflet from holding up the first paint of the page."""
        return "".join(line + "\n" for line in self.header.splitlines() if line.startswith("<script"))


def asset_paths(*, clustered: bool, filters: bool) -> tuple[list[str], list[str]]:
    """(scripts, stylesheets) a map loads, relative to the static root, in load order.

    The vendored paths keep each npm package's own layout (themes/default/vendor.json)."""
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


class _ParkLayer(MacroElement):
    """The parks of one map: a GeoJSON layer whose markers go into the parent group, popups
    and tooltips bound per feature, and the map registered for map.js.

    The hook map.js relies on: `window.sitegenMaps[map_id] = {map, layer, markers, home}`,
    where `layer` holds the visible markers (a MarkerClusterGroup or a FeatureGroup),
    `markers` are all the L.Marker objects, each with `marker.feature.properties` =
    {slug, name, city, level, sectors, colour, member, summary, url}, and `home` is the
    LatLngBounds the map opened on (Shandong for the industry map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
(function (map, group, data) {
  "use strict";
  var text = data.text, labels = data.labels, icons = {};
  function node(tag, className, content) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (content) element.textContent = content;
    return element;
  }
  function icon(p) {
    var focus = p.slug === data.focus, key = p.colour + p.member + focus;
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "sg-pin sg-pin--" + (p.member ? "member" : "other") + (focus ? " sg-pin--focus" : ""),
        html: '<span style="--sg-colour:' + p.colour + '"></span>',
        iconSize: focus ? [24, 24] : [16, 16]
      });
    }
    return icons[key];
  }
  function popup(p) {
    var box = node("div", "sg-popup");
    box.appendChild(node("p", "sg-popup__name", p.name));
    var facts = [labels.cities[p.city], labels.levels[p.level], p.member ? text.member : ""];
    box.appendChild(node("p", "sg-popup__facts", facts.filter(Boolean).join(" · ")));
    box.appendChild(node("p", "sg-popup__sectors",
      p.sectors.map(function (id) { return labels.sectors[id]; }).join(text.separator)));
    if (p.summary) box.appendChild(node("p", "sg-popup__summary", p.summary));
    var link = node("a", "sg-popup__link", text.profile);
    link.href = p.url;
    box.appendChild(node("p")).appendChild(link);
    return box;
  }
  var parks = L.geoJSON(data.parks, {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      return L.marker(latlng, {icon: icon(p), title: p.name, alt: p.name, riseOnHover: true,
        zIndexOffset: p.slug === data.focus ? 1000 : 0});
    },
    onEachFeature: function (feature, marker) {
      var p = feature.properties;
      marker.bindTooltip(function () { return document.createTextNode(p.name); },
        {direction: "top", offset: [0, -10]});
      marker.bindPopup(function () { return popup(p); }, {maxWidth: 280});
    }
  });
  var markers = parks.getLayers();
  if (group.addLayers) group.addLayers(markers);
  else markers.forEach(function (marker) { group.addLayer(marker); });
  var home = L.latLngBounds(data.home);
  // Without animation, so a reader's first zoom click right after load is not swallowed.
  map.fitBounds(home, {maxZoom: data.maxZoom, padding: data.padding, animate: false});
  L.control.attribution({prefix: "Leaflet", position: "bottomleft"}).addTo(map);
  (window.sitegenMaps = window.sitegenMaps || {})[data.id] = {
    map: map, layer: group, markers: markers, home: home
  };
})({{ this.map_name }}, {{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, map_name: str, data_json: str) -> None:
        super().__init__()
        self._name = "ParkLayer"
        self.map_name = map_name
        self.data_json = data_json


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


_DATA_SLOT = "__sitegen_park_data__"
"""Stands in a drawn map's script where each map's own park data goes."""


def render_map(points: Sequence[MapPoint], **settings: Any) -> MapParts:
    """One map, drawn on its own; see MapRenderer.render for the settings."""
    return MapRenderer().render(points, **settings)


class MapRenderer:
    """Renders maps, drawing each distinct shape of map with folium only once.

    Folium's output for a map depends on its settings, not on its parks: the parks travel as
    one JSON object in the script. A site has thousands of small maps but only a handful of
    shapes (language, tiles, depth of the page, clustered or not), so each shape is drawn once
    and every later map of that shape gets its own park data put in the same place. That data
    is made of each park's feature, also encoded once and reused by every map that shows it.
    """

    def __init__(self) -> None:
        self._shapes: dict[tuple[Any, ...], MapParts] = {}
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
        page. All parks are one compact GeoJSON layer with popups and tooltips bound per
        feature: about a quarter of the bytes of a folium Marker + Popup per park (which also
        needs jQuery), and unlike GeoJsonPopup it works inside a cluster. folium's ids come
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
        if shape not in self._shapes:
            self._shapes[shape] = _draw_shape(lang, tiles, static_prefix, map_id, kind, clustered)
        drawn = self._shapes[shape]
        data = {
            "id": map_id,
            "focus": focus,
            "home": _home_bounds(features, kind),
            "maxZoom": None if kind == "industry" else 13,
            # Shandong's box has its own margin; a locator's parks need room from the edge.
            "padding": [0, 0] if kind == "industry" else [24, 24],
            "text": {"profile": text.profile, "member": text.member, "separator": text.separator},
            "labels": _labels_table(points),
        }
        data_json = _with_parks_json(data, [text for _, text in encoded])
        return MapParts(drawn.header, drawn.html, drawn.script.replace(_DATA_SLOT, data_json, 1))

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


def _draw_shape(
    lang: str, tiles: TileSettings, static_prefix: str, map_id: str, kind: str, clustered: bool
) -> MapParts:
    """Folium's rendering of one shape of map, with `_DATA_SLOT` where the park data goes."""
    options: dict[str, Any] = {}
    if kind == "locator":
        # A small map in a long page must not trap the page's scrolling.
        options = {"scroll_wheel_zoom": False, "dragging": JsCode("!L.Browser.mobile")}
    # The script fits the map to its parks before any tile loads, so the start view is moot.
    centre = [(SHANDONG.south + SHANDONG.north) / 2, (SHANDONG.west + SHANDONG.east) / 2]
    folium_map = folium.Map(location=centre, zoom_start=7, tiles=None, attribution_control=False, **options)
    folium_map._id = map_id  # folium's ids come from os.urandom; ours from map_id
    # The tiles are added last (see below), but the cluster needs the map's zoom range first.
    folium_map.options["max_zoom"] = max(source.max_zoom for source in tile_sources(tiles, lang))
    scripts, styles = asset_paths(clustered=clustered, filters=kind == "industry")
    folium_map.default_js = [(path, static_prefix + path) for path in scripts]
    folium_map.default_css = [(path, static_prefix + path) for path in styles]

    if clustered:
        group = plugins.MarkerCluster(
            control=False,
            show_coverage_on_hover=False,
            max_cluster_radius=40 if kind == "industry" else 16,
            chunked_loading=True,
        )
        group.default_js, group.default_css = [], []  # the map lists them with its own
    else:
        group = folium.FeatureGroup(control=False)
    group._id = map_id
    group.add_to(folium_map)
    parks = _ParkLayer(folium_map.get_name(), _DATA_SLOT)
    parks._id = map_id
    parks.add_to(group)
    # Tiles last: by then the map has fitted its home bounds, so no tile of the provisional
    # centre and zoom is requested.
    for index, layer in enumerate(tile_layers(tiles, lang)):
        layer._id = f"{map_id}_{index}"
        layer.add_to(folium_map)
    return _split(folium_map, kind)


def _split(folium_map: folium.Map, kind: str) -> MapParts:
    """Folium's documented component rendering, minus what would hurt the host page.

    The header keeps only the asset links: folium's Map header also carries a viewport meta
    with user-scalable=no (blocks pinch-zoom), `html, body {height: 100%}` and `#map`
    rules that restyle the whole page, and a second charset meta; map.css sizes the map."""
    figure = folium_map.get_root()
    figure.render()
    links = [
        child.render()
        for child in figure.header._children.values()  # branca has no public iterator
        if isinstance(child, JavascriptLink | CssLink)
    ]
    styles = [link for link in links if link.startswith("<link")]
    scripts = [link for link in links if link.startswith("<script")]
    header = "\n".join(styles + scripts) + "\n"
    body = figure.html.render().strip()
    html_part = f'<div class="sg-map sg-map--{kind}">{body}</div>\n'
    script = "\n".join(line.rstrip() for line in figure.script.render().splitlines() if line.strip())
    return MapParts(header=header, html=html_part, script=script + "\n")
