"""Drawing a shape of map with folium: the one module that imports it (a slow import).

A shape is everything about a map but its parks (see sitegen.map.parts.MapRenderer), so a
site needs only a handful, and a build whose shapes are kept needs no folium at all.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import CssLink, Figure, JavascriptLink, MacroElement
from folium import plugins
from folium.template import Template
from folium.utilities import JsCode

from sitegen.geo import SHANDONG
from sitegen.map.parts import DATA_SLOT, MapParts, asset_paths
from sitegen.map.tiles import TileSettings, check_lang, tile_attribution, tile_sources


def draw_shape(lang: str, tiles: TileSettings, static_prefix: str, map_id: str, kind: str, clustered: bool) -> MapParts:
    """Folium's rendering of one shape of map, with `DATA_SLOT` where the park data goes."""
    options: dict[str, Any] = {}
    if kind == "locator":
        # A small map in a long page must not trap the page's scrolling.
        options = {"scroll_wheel_zoom": False, "dragging": JsCode("!L.Browser.mobile")}
    # The script fits the map to its parks before any tile loads, so the start view is moot.
    centre = [(SHANDONG.south + SHANDONG.north) / 2, (SHANDONG.west + SHANDONG.east) / 2]
    # Quarter zoom steps, so "fit to Shandong" fills a phone's screen instead of a third of it.
    options |= {"zoom_snap": 0.25}
    folium_map = folium.Map(location=centre, zoom_start=7, tiles=None, attribution_control=False, **options)
    folium_map._id = map_id  # folium's ids come from os.urandom; ours from map_id
    # The tiles are added last (see below), but the cluster needs the map's zoom range first.
    folium_map.options["max_zoom"] = max(source.max_zoom for source in tile_sources(tiles, lang))
    scripts, styles = asset_paths(clustered=clustered, filters=kind == "industry")
    folium_map.default_js = [(path, static_prefix + path) for path in scripts]
    folium_map.default_css = [(path, static_prefix + path) for path in styles]

    group: plugins.MarkerCluster | folium.FeatureGroup
    if clustered:
        group = plugins.MarkerCluster(
            control=False,
            show_coverage_on_hover=False,
            max_cluster_radius=40 if kind == "industry" else 16,
            # In one go: in chunks, the clusters of the industry map waited for the browser to
            # parse the park list below it between chunks, and appeared only after the last.
            chunked_loading=False,
        )
        group.default_js, group.default_css = [], []  # the map lists them with its own
    else:
        group = folium.FeatureGroup(control=False)
    group._id = map_id
    group.add_to(folium_map)
    parks = _ParkLayer(folium_map.get_name(), DATA_SLOT)
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
    assert isinstance(figure, Figure), "folium places every Map in a Figure"
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


class _ParkLayer(MacroElement):
    """The parks of one map: a marker per GeoJSON feature, put into the parent group, each with
    its tooltip and popup bound when first drawn, and the map registered for map.js.

    The data arrives as a string for JSON.parse, which a browser reads several times faster
    than an object literal; markers skip L.geoJSON, whose per-feature layer group is unused.

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
    // Where the page offers comparing parks (compare-pick.js), the popup offers it too.
    var tray = document.querySelector("[data-compare-tray]");
    if (tray) {
      var add = node("button", "compare-add", tray.getAttribute("data-add"));
      add.type = "button";
      add.setAttribute("data-cmp", p.slug);
      add.setAttribute("aria-pressed", String(tray.getAttribute("data-chosen").split(",").indexOf(p.slug) >= 0));
      box.appendChild(node("p")).appendChild(add);
    }
    return box;
  }
  // A park's tooltip and popup are bound just before its pin is first drawn, not for every
  // park up front: the industry map has thousands of parks, most of them inside clusters.
  var ParkMarker = L.Marker.extend({
    beforeAdd: function () {
      if (this.getPopup()) return;
      var p = this.feature.properties;
      this.bindTooltip(function () { return document.createTextNode(p.name); },
        {direction: "top", offset: [0, -10]});
      // Below the zoom and Filters buttons when the map pans to show the popup, and narrow
      // enough for the map's width as it is when it opens (a popup's frame adds 44 px).
      var marker = this;
      this.bindPopup(function () {
        marker.getPopup().options.maxWidth = Math.min(280, map.getSize().x - 80);
        return popup(p);
      }, {autoPanPaddingTopLeft: [12, 112], autoPanPaddingBottomRight: [12, 12]});
    }
  });
  var markers = data.parks.features.map(function (feature) {
    var p = feature.properties, lonLat = feature.geometry.coordinates;
    var marker = new ParkMarker([lonLat[1], lonLat[0]], {icon: icon(p), title: p.name, alt: p.name,
      riseOnHover: true, zIndexOffset: p.slug === data.focus ? 1000 : 0});
    marker.feature = feature;
    return marker;
  });
  var home = L.latLngBounds(data.home);
  // Without animation, so a reader's first zoom click right after load is not swallowed.
  map.fitBounds(home, {maxZoom: data.maxZoom, padding: data.padding, animate: false});
  if (data.bounded) {
    // Before the markers go in: the cluster indexes its zoom levels when they are added.
    map.setMinZoom(Math.floor(map.getZoom()));  // whole: markercluster indexes whole zoom levels only
    var bounds = home.pad(0.25);
    map.setMaxBounds(bounds);
    map.options.maxBoundsViscosity = 0.8;
    // A popup near an edge pans the map to show itself whole, which the bounds undid at once
    // (on a phone the view is wider than them), leaving it cut off under the Filters button.
    // They let go while a popup is open; once it closes, the map glides back inside them.
    map.on("autopanstart", function () { map.setMaxBounds(null); });
    map.on("popupclose", function () { map.setMaxBounds(bounds); });
  }
  if (group.addLayers) group.addLayers(markers);
  else markers.forEach(function (marker) { group.addLayer(marker); });
  L.control.attribution({prefix: "Leaflet", position: "bottomleft"}).addTo(map);
  // Without tiles (blocked, offline) the box would be blank: say so; the pins still work.
  var tileErrors = 0, tilesLoaded = 0;
  map.on("layeradd", function (event) {
    if (!(event.layer instanceof L.TileLayer)) return;
    event.layer.on("tileload", function () { tilesLoaded += 1; });
    event.layer.on("tileerror", function () {
      tileErrors += 1;
      if (tileErrors === 3 && tilesLoaded === 0 && data.text.noTiles) {
        var note = node("p", "sg-map__no-tiles", data.text.noTiles);
        note.setAttribute("role", "status");
        map.getContainer().parentNode.appendChild(note);
        // Under the pins, the page's map drawn from our own data instead of a grey box.
        var section = map.getContainer().closest(".map-section");
        var sketch = section && section.querySelector("template[data-sitegen-map-fallback]");
        if (sketch && sketch.content.firstElementChild) drawCities(sketch.content.firstElementChild);
      }
    });
  });
  // The cities of the locator drawing (sitegen/render/locator.py) as points and names of a
  // fixed size at their places: the drawing stretched under the pins grew with every zoom,
  // its names as tall as the map at the closest.
  function drawCities(svg) {
    var box = svg.getAttribute("data-bounds").split(" ").map(Number);  // south west north east
    var view = svg.getAttribute("viewBox").split(" ").map(Number);
    var pane = map.createPane("sgCities");
    pane.style.zIndex = 350;  // over the tiles' place, under the pins and their clusters
    pane.style.pointerEvents = "none";
    svg.querySelectorAll("text.locator-city").forEach(function (name) {
      var dot = name.previousElementSibling;
      var lat = box[2] - dot.getAttribute("cy") / view[3] * (box[2] - box[0]);
      var lon = box[1] + dot.getAttribute("cx") / view[2] * (box[3] - box[1]);
      var label = node("span", "sg-map-city__name", name.textContent);
      var west = name.getAttribute("text-anchor") === "end";  // near the east edge, named on the left
      var place = node("span", west ? "sg-map-city sg-map-city--west" : "sg-map-city");
      place.appendChild(node("span", "sg-map-city__dot"));
      place.appendChild(label);
      L.marker([lat, lon], {
        icon: L.divIcon({html: place, className: "sg-map-city-icon", iconSize: null}),
        pane: "sgCities", interactive: false, keyboard: false
      }).addTo(map);
    });
  }
  (window.sitegenMaps = window.sitegenMaps || {})[data.id] = {
    map: map, layer: group, markers: markers, home: home
  };
})({{ this.map_name }}, {{ this._parent.get_name() }}, JSON.parse('{{ this.data_json }}'));
        {% endmacro %}
        """
    )

    def __init__(self, map_name: str, data_json: str) -> None:
        super().__init__()
        self._name = "ParkLayer"
        self.map_name = map_name
        self.data_json = data_json


def tile_layers(tiles: TileSettings, lang: str) -> list[folium.TileLayer]:
    """The folium tile layers for one provider and page language (Tianditu: map + labels)."""
    check_lang(lang)
    attribution = tile_attribution(tiles, lang)
    layers = []
    for source in tile_sources(tiles, lang):
        options: dict[str, Any] = {"subdomains": source.subdomains} if source.subdomains else {}
        layers.append(
            folium.TileLayer(
                tiles=source.url,
                attr=attribution,  # the same text twice is shown once by Leaflet
                name=f"{tiles.provider}-{'labels' if source.overlay else 'map'}",
                max_zoom=source.max_zoom,
                overlay=source.overlay,
                control=False,
                **options,
            )
        )
    return layers
