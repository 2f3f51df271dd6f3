"""The map parts: only our own assets, relative paths, same bytes twice, escaping, tiles per language."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace

import folium
import pytest
from folium import plugins
from links import third_party_hosts

from sitegen.content.theme import DEFAULT_THEME
from sitegen.geo import distance_m, wgs84_to_gcj02
from sitegen.map.folium_shapes import draw_shape
from sitegen.map.parts import MapParts, MapPoint, MapRenderer, PopupText, asset_paths
from sitegen.map.tiles import TileSettings, tile_attribution


def render_map(points, **settings):
    """One map, drawn on its own; see MapRenderer.render for the settings."""
    return MapRenderer(draw_shape).render(points, **settings)


THEME = DEFAULT_THEME
STATIC = THEME / "static"
TIANDITU = TileSettings("tianditu", key="0123456789abcdef0123456789abcdef", approval_number="GS(2024)0568号")
GAODE = TileSettings("gaode", approval_number="GS(2024)0650号")
OSM = TileSettings("openstreetmap")
TEXT = {
    "zh": PopupText("查看园区详情", "联盟成员", "、"),
    "en": PopupText("View park profile", "Alliance member", ", "),
}
URL = re.compile(r"""(?:https?:)?//[^\s"'<>()\\]+""")
DATA_LINE = re.compile(r"^\}\)\(map_\w+, \w+, JSON\.parse\('(\{.*\})'\)\);$", re.MULTILINE)


def park(slug: str = "qilu-software-park", **changes) -> MapPoint:
    fields = dict(
        slug=slug,
        lat=36.6659,
        lon=117.1367,
        name="齐鲁软件园",
        city_id="jinan",
        city_label="济南",
        level="national",
        level_label="国家级",
        sector_ids=("software", "ai"),
        sector_labels=("软件和信息服务", "人工智能"),
        colour="#1f77b4",
        summary="济南高新区内的软件产业园区。",
        url=f"../parks/{slug}/",
        member=True,
    )
    fields.update(changes)
    return MapPoint(**fields)


def parks_around_shandong(count: int) -> list[MapPoint]:
    return [
        park(f"park-{number:03d}", lat=34.5 + (number % 30) * 0.12, lon=115.0 + number * 0.05, member=number % 3 == 0)
        for number in range(count)
    ]


def industry(points=None, tiles=GAODE, lang="zh", prefix="../static/") -> MapParts:
    return render_map(
        points if points is not None else parks_around_shandong(5),
        lang=lang,
        tiles=tiles,
        static_prefix=prefix,
        map_id="industry",
        kind="industry",
        text=TEXT.get(lang, TEXT["zh"]),
    )


def everything(parts: MapParts) -> str:
    return parts.header + parts.html + parts.script


def map_data(parts: MapParts) -> dict:
    """The JSON the generated script hands to the browser (parks, labels, home bounds)."""
    (data,) = DATA_LINE.findall(parts.script)
    return json.loads(re.sub(r"\\(.)", r"\1", data))  # the JavaScript string's escapes undone


def coordinates(parts: MapParts) -> dict[str, tuple[float, float]]:
    features = map_data(parts)["parks"]["features"]
    return {feature["properties"]["slug"]: tuple(reversed(feature["geometry"]["coordinates"])) for feature in features}


@pytest.mark.parametrize("tiles", [TIANDITU, GAODE, OSM], ids=lambda tiles: tiles.provider)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_only_tile_servers_are_outside_hosts(tiles, lang):
    parts = industry(tiles=tiles, lang=lang)
    allowed = third_party_hosts(tiles)
    urls = URL.findall(everything(parts).replace("\\u0026", "&"))
    assert urls  # the tile template is there
    for url in urls:
        host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0]
        assert any(host.replace("{s}", digit) in allowed for digit in "0123456789"), url
    for cdn in ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrapcdn", "googleapis"):
        assert cdn not in everything(parts)


def test_outside_hosts_are_the_providers_own():
    assert third_party_hosts(TIANDITU) == {f"t{n}.tianditu.gov.cn" for n in range(8)}
    assert third_party_hosts(GAODE) == {f"webrd0{n}.is.autonavi.com" for n in range(1, 5)}
    assert third_party_hosts(OSM) == {"tile.openstreetmap.org", "www.openstreetmap.org"}


@pytest.mark.parametrize("prefix", ["../../static/", "static/", "../static/"])
def test_assets_are_relative_and_exist_in_the_theme(prefix):
    parts = industry(prefix=prefix)
    referenced = re.findall(r'(?:src|href)="([^"]+)"', parts.header)
    assert referenced
    for url in referenced:
        assert url.startswith(prefix)
        assert (STATIC / url.removeprefix(prefix)).is_file(), url


def test_industry_map_loads_leaflet_cluster_and_filters_but_nothing_else():
    referenced = re.findall(r'(?:src|href)="\.\./static/([^"]+)"', industry().header)
    scripts, styles = asset_paths(clustered=True, filters=True)
    assert sorted(referenced) == sorted(scripts + styles)
    assert "js/map.js" in referenced
    assert not any("jquery" in path or "bootstrap" in path for path in referenced)


def test_small_locator_map_skips_cluster_and_filters():
    points = [park(), park("qilu-software-park-east", lat=36.67, lon=117.15)]
    parts = render_map(
        points,
        lang="zh",
        tiles=GAODE,
        static_prefix="../../static/",
        map_id="locator",
        kind="locator",
        focus="qilu-software-park",
        text=TEXT["zh"],
    )
    assert "markercluster" not in parts.header
    assert "js/map.js" not in parts.header
    assert "L.featureGroup" in parts.script
    assert "scrollWheelZoom" in parts.script  # a small map must not trap page scrolling
    assert map_data(parts)["focus"] == "qilu-software-park"


def test_locator_map_with_many_parks_is_clustered():
    parts = render_map(
        parks_around_shandong(60),
        lang="en",
        tiles=GAODE,
        static_prefix="",
        map_id="sector_map",
        kind="locator",
        text=TEXT["en"],
    )
    assert "leaflet.markercluster.js" in parts.header
    assert "L.markerClusterGroup" in parts.script


def test_locator_map_clusters_parks_that_share_a_place():
    # a 区中园 given its parent's location must not hide under it: a cluster spreads them
    points = [park(), park("qilu-software-park-phase-two")]
    parts = render_map(
        points,
        lang="zh",
        tiles=TIANDITU,
        static_prefix="../../static/",
        map_id="locator",
        kind="locator",
        text=TEXT["zh"],
    )
    assert "leaflet.markercluster.js" in parts.header
    assert '"maxClusterRadius": 16' in parts.script


def test_scripts_load_after_styles_and_leaflet_before_its_plugin():
    header = industry().header
    assert header.rindex("<link") < header.index("<script")
    assert header.index("leaflet/dist/leaflet.js") < header.index("leaflet.markercluster.js")


def test_vendored_files_match_the_manifest():
    manifest = json.loads((THEME / "vendor.json").read_text(encoding="utf-8"))
    listed = set()
    for package in manifest["packages"]:
        assert package["version"] and package["license"] and package["integrity"]
        assert package["license_file"] in package["files"]
        for relative, digest in package["files"].items():
            path = STATIC / "vendor" / package.get("folder", package["name"]) / relative
            listed.add(path)
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
    on_disk = {path for path in (STATIC / "vendor").rglob("*") if path.is_file()}
    assert on_disk == listed


def test_same_parks_give_the_same_bytes():
    points = parks_around_shandong(20)
    first = industry(points)
    second = industry(list(reversed(points)))
    assert first == second
    assert not re.search(r"[0-9a-f]{32}", everything(first))  # no os.urandom ids left


def test_element_ids_come_from_the_map_id():
    parts = industry()
    assert 'id="map_industry"' in parts.html
    assert "var map_industry = L.map(" in parts.script
    assert '"id":"industry"' in parts.script  # the key in window.sitegenMaps


def test_header_drops_what_would_hurt_the_page():
    header = industry().header
    assert "viewport" not in header
    assert "user-scalable" not in header
    assert "html, body" not in header
    assert "#map" not in header
    assert "charset" not in header
    assert "<style" not in header


def test_folium_defaults_are_not_changed_for_other_maps():
    before = (list(folium.Map.default_js), list(plugins.MarkerCluster.default_js))
    industry()
    assert (list(folium.Map.default_js), list(plugins.MarkerCluster.default_js)) == before
    assert "cdn.jsdelivr.net" in folium.Map.default_js[0][1]


def test_hostile_text_is_escaped():
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    points = [park(name=hostile, summary=hostile, city_label=hostile, sector_labels=(hostile, "x"))]
    parts = industry(points)
    text = everything(parts)
    assert "<script>alert" not in text
    assert "</script" not in parts.script + parts.html  # nothing can end the inline script
    assert "<img" not in text
    assert "innerHTML" not in parts.script  # popups and tooltips are built from text nodes
    data = map_data(parts)
    assert data["parks"]["features"][0]["properties"]["name"] == hostile
    assert data["labels"]["cities"]["jinan"] == hostile


def test_popup_data_has_everything_the_popup_shows():
    data = map_data(industry([park()], lang="en"))
    (feature,) = data["parks"]["features"]
    assert feature["properties"] == {
        "slug": "qilu-software-park",
        "name": "齐鲁软件园",
        "city": "jinan",
        "level": "national",
        "sectors": ["software", "ai"],
        "colour": "#1f77b4",
        "member": True,
        "summary": "济南高新区内的软件产业园区。",
        "url": "../parks/qilu-software-park/",
    }
    assert data["labels"] == {
        "cities": {"jinan": "济南"},
        "levels": {"national": "国家级"},
        "sectors": {"ai": "人工智能", "software": "软件和信息服务"},
    }
    assert data["text"]["profile"] == "View park profile"


def test_gaode_points_are_shifted_to_gcj02():
    points = parks_around_shandong(10)
    drawn = coordinates(industry(points, tiles=GAODE))
    for point in points:
        lat, lon = drawn[point.slug]
        assert distance_m(point.lat, point.lon, lat, lon) == pytest.approx(
            distance_m(point.lat, point.lon, *wgs84_to_gcj02(point.lat, point.lon)), abs=0.5
        )
        assert 400 <= distance_m(point.lat, point.lon, lat, lon) <= 570


@pytest.mark.parametrize("tiles", [TIANDITU, OSM], ids=lambda tiles: tiles.provider)
def test_wgs84_providers_draw_points_where_they_are(tiles):
    points = parks_around_shandong(10)
    drawn = coordinates(industry(points, tiles=tiles))
    for point in points:
        assert drawn[point.slug] == pytest.approx((point.lat, point.lon), abs=1e-6)


def test_tianditu_labels_follow_the_page_language():
    chinese, english = industry(tiles=TIANDITU, lang="zh"), industry(tiles=TIANDITU, lang="en")
    assert "vec_w" in chinese.script and "vec_w" in english.script
    assert "cva_w" in chinese.script and "eva_w" not in chinese.script
    assert "eva_w" in english.script and "cva_w" not in english.script
    assert "tk=0123456789abcdef0123456789abcdef" in english.script
    assert '"subdomains": "01234567"' in english.script


def test_gaode_labels_follow_the_page_language():
    assert "lang=zh_cn" in industry(tiles=GAODE, lang="zh").script.replace("\\u0026", "&")
    english = industry(tiles=GAODE, lang="en").script.replace("\\u0026", "&")
    assert "https://webrd0{s}.is.autonavi.com/appmaptile?lang=en&size=1&scale=1&style=8" in english
    assert '"subdomains": "1234"' in english


def test_attribution_names_provider_and_approval_number():
    assert tile_attribution(TIANDITU, "zh") == "天地图 | 审图号：GS(2024)0568号"
    assert tile_attribution(GAODE, "en") == "AutoNavi (Gaode) | Map approval No. GS(2024)0650号"
    assert "openstreetmap.org/copyright" in tile_attribution(OSM, "en")
    hostile = TileSettings("gaode", approval_number="<b>GS</b>")
    assert "<b>" not in tile_attribution(hostile, "zh")


def test_industry_map_opens_on_shandong():
    assert map_data(industry())["home"] == [[34.3, 114.7], [38.5, 122.8]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "#rrggbb"),
        ({"url": "https://example.com/parks/x/"}, "relative"),
        ({"url": "/parks/x/"}, "relative"),
        ({"lat": float("nan")}, "numbers"),
        ({"sector_labels": ("软件",)}, "one label per sector"),
    ],
)
def test_bad_points_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        park(**changes)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"map_id": "industry-map"}, "map id"),
        ({"static_prefix": "https://cdn.example.com/static/"}, "static prefix"),
        ({"static_prefix": "../static"}, "static prefix"),
        ({"kind": "world"}, "map kind"),
        ({"lang": "fr"}, "language"),
    ],
)
def test_bad_arguments_are_refused(arguments, message):
    settings = dict(
        lang="zh", tiles=GAODE, static_prefix="../static/", map_id="industry", kind="industry", text=TEXT["zh"]
    )
    settings.update(arguments)
    with pytest.raises(ValueError, match=message):
        render_map([park()], **settings)


def test_the_same_park_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        industry([park(), park()])


def test_one_id_with_two_labels_is_refused():
    with pytest.raises(ValueError, match="two labels"):
        industry([park(), replace(park("other-park"), city_label="Jinan")])


@pytest.mark.parametrize("key", ["", "abc", "0123456789abcdef&callback=x"])
def test_tianditu_needs_a_plain_key(key):
    with pytest.raises(ValueError, match="key"):
        TileSettings("tianditu", key=key)


def test_unknown_provider_is_refused():
    with pytest.raises(ValueError, match="provider"):
        TileSettings("baidu")


def test_map_with_no_parks_still_renders():
    parts = industry([])
    assert map_data(parts)["parks"]["features"] == []


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_generated_script_and_map_js_parse_as_javascript(tmp_path):
    generated = tmp_path / "generated.js"
    generated.write_text(industry().script, encoding="utf-8")
    for path in (generated, STATIC / "js" / "map.js"):
        completed = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert completed.returncode == 0, completed.stderr
