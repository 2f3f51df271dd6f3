"""Coordinate conversions against published reference values, and Shandong's bounds."""

from __future__ import annotations

import math

import pytest

from sitegen.geo import (
    SHANDONG,
    Bounds,
    bd09_to_gcj02,
    distance_m,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

_BAIDU_FACTOR = math.pi * 3000.0 / 180.0


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """Baidu's forward transform, the inverse of sitegen.geo.bd09_to_gcj02 (the site only reads BD-09)."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _BAIDU_FACTOR)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BAIDU_FACTOR)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


# (wgs lat, wgs lon, gcj lat, gcj lon): googollee/eviltransform python/test.py, TESTS
# (Shanghai, Shenzhen, Beijing); that suite checks them to 6 decimal places.
EVILTRANSFORM_WGS_GCJ = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]

# hujiulong/gcoord test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts, all from the point
# lon 123, lat 45; gcoord checks them with toBeCloseTo(x, 5), i.e. to within 5e-6 degrees.
GCOORD_TOLERANCE_DEG = 5e-6
GCOORD_POINT = (45.0, 123.0)

# hujiulong/gcoord test/fixtures/china-cities.json: the two Shandong entries (莱芜市, 泰安市)
# and two neighbours just across the border (邢台市, 沧州市), as (wgs, gcj, bd09), each (lat, lon).
# gcoord checks GCJ02 -> WGS84 against them to 4 decimal places; we ask for 1 metre.
GCOORD_CITIES = {
    "laiwu": ((36.2138283, 117.6708588), (36.2138184, 117.6767323), (36.2195866, 117.6832831)),
    "taian": ((36.2000071, 117.0815563), (36.2002574, 117.0876215), (36.2062086, 117.0941183)),
    "xingtai": ((37.0700925, 114.498916), (37.0705911, 114.5048503), (37.0766797, 114.5113116)),
    "cangzhou": ((38.3039089, 116.8330366), (38.3044822, 116.8388422), (38.3102948, 116.8454238)),
}

# Prefecture-level city centres in Shandong (WGS-84, rounded). The project's research note on
# maps in China (section 4.4) measured the shift over the whole province's box at 400-568 m.
SHANDONG_CITY_CENTRES = {
    "jinan": (36.6512, 117.1201),
    "qingdao": (36.0671, 120.3826),
    "zibo": (36.8131, 118.0548),
    "yantai": (37.4638, 121.4479),
    "weifang": (36.7069, 119.1619),
    "jining": (35.4154, 116.5872),
    "linyi": (35.1041, 118.3564),
    "heze": (35.2333, 115.4807),
    "weihai": (37.5131, 122.1204),
    "dezhou": (37.4355, 116.3575),
}


def shandong_grid(step: float = 0.5) -> list[tuple[float, float]]:
    """Points every `step` degrees over the province's box, edges included."""
    points = []
    lat = SHANDONG.south
    while lat <= SHANDONG.north:
        lon = SHANDONG.west
        while lon <= SHANDONG.east:
            points.append((lat, lon))
            lon += step
        lat += step
    return points


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), EVILTRANSFORM_WGS_GCJ)
def test_wgs84_to_gcj02_matches_eviltransform(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lat, lon = wgs84_to_gcj02(wgs_lat, wgs_lon)
    assert lat == pytest.approx(gcj_lat, abs=1e-9)
    assert lon == pytest.approx(gcj_lon, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), EVILTRANSFORM_WGS_GCJ)
def test_gcj02_to_wgs84_recovers_eviltransform_input(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    # eviltransform's own exact inverse is held to 0.5 m; the iteration in geo does far better.
    lat, lon = gcj02_to_wgs84(gcj_lat, gcj_lon)
    assert distance_m(lat, lon, wgs_lat, wgs_lon) < 0.01


@pytest.mark.parametrize(
    ("convert", "expected"),
    [
        (wgs84_to_gcj02, (45.00197815, 123.00607541)),
        (wgs84_to_bd09, (45.0083293, 123.0124491)),
        (gcj02_to_wgs84, (44.99804071, 122.99395597)),
        (gcj02_to_bd09, (45.00636899, 123.00636499)),
        (bd09_to_gcj02, (44.99365430, 122.99363304)),
        (lambda lat, lon: to_wgs84(lat, lon, "bd09"), (44.99171540, 122.98762210)),
    ],
    ids=["wgs-gcj", "wgs-bd", "gcj-wgs", "gcj-bd", "bd-gcj", "bd-wgs"],
)
def test_conversions_match_gcoord(convert, expected):
    lat, lon = convert(*GCOORD_POINT)
    assert lat == pytest.approx(expected[0], abs=GCOORD_TOLERANCE_DEG)
    assert lon == pytest.approx(expected[1], abs=GCOORD_TOLERANCE_DEG)


def test_conversions_match_coordtransform():
    # wandergis/coordtransform test/app.js, input (lon 116.404, lat 39.915); its gcj02towgs84
    # is the one-step approximation, good to a few metres, so that one is held to 5 m.
    lat, lon = wgs84_to_gcj02(39.915, 116.404)
    assert (lat, lon) == pytest.approx((39.91640428150164, 116.41024449916938), abs=1e-9)
    lat, lon = gcj02_to_bd09(39.915, 116.404)
    assert (lat, lon) == pytest.approx((39.92133699351021, 116.41036949371029), abs=1e-9)
    lat, lon = bd09_to_gcj02(39.915, 116.404)
    assert (lat, lon) == pytest.approx((39.90865673957631, 116.39762729119315), abs=1e-9)
    lat, lon = gcj02_to_wgs84(39.915, 116.404)
    assert distance_m(lat, lon, 39.91359571849836, 116.39775550083061) < 5


@pytest.mark.parametrize("city", sorted(GCOORD_CITIES))
def test_conversions_match_gcoord_city_fixture_within_a_metre(city):
    wgs, gcj, bd09 = GCOORD_CITIES[city]
    assert distance_m(*wgs84_to_gcj02(*wgs), *gcj) < 1
    assert distance_m(*gcj02_to_wgs84(*gcj), *wgs) < 1
    assert distance_m(*gcj02_to_bd09(*gcj), *bd09) < 1
    assert distance_m(*to_wgs84(*bd09, "bd09"), *wgs) < 1
    assert distance_m(*to_wgs84(*gcj, "gcj02"), *wgs) < 1


def test_round_trips_over_shandong_stay_within_a_metre():
    worst_gcj = worst_bd09 = 0.0
    for lat, lon in shandong_grid():
        back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
        worst_gcj = max(worst_gcj, distance_m(lat, lon, *back))
        back = to_wgs84(*wgs84_to_bd09(lat, lon), "bd09")
        worst_bd09 = max(worst_bd09, distance_m(lat, lon, *back))
    assert worst_gcj < 1
    assert worst_bd09 < 1


@pytest.mark.parametrize("city", sorted(SHANDONG_CITY_CENTRES))
def test_gcj02_shift_in_shandong_is_400_to_570_metres(city):
    lat, lon = SHANDONG_CITY_CENTRES[city]
    shift = distance_m(lat, lon, *wgs84_to_gcj02(lat, lon))
    assert 400 <= shift <= 570
    # mostly eastward: this is why markers on a Gaode map land in the wrong street unshifted
    assert wgs84_to_gcj02(lat, lon)[1] > lon


def test_gcj02_shift_over_the_whole_box_is_400_to_570_metres():
    shifts = [distance_m(lat, lon, *wgs84_to_gcj02(lat, lon)) for lat, lon in shandong_grid()]
    assert min(shifts) >= 400
    assert max(shifts) <= 570


def test_to_wgs84_leaves_wgs84_alone():
    assert to_wgs84(36.6512, 117.1201, "wgs84") == (36.6512, 117.1201)


def test_distance_of_one_degree_of_latitude():
    assert distance_m(36.0, 117.0, 37.0, 117.0) == pytest.approx(111_195, abs=1)


@pytest.mark.parametrize("city", sorted(SHANDONG_CITY_CENTRES))
def test_shandong_contains_its_cities(city):
    assert SHANDONG.contains(*SHANDONG_CITY_CENTRES[city])


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (37.9300, 120.7400),  # 长岛 Changdao county, in the Bohai strait
        (38.3900, 120.9100),  # 北隍城岛 Beihuangcheng, the province's northern tip
    ],
)
def test_shandong_contains_its_islands(lat, lon):
    assert SHANDONG.contains(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (39.9042, 116.4074),  # Beijing
        (31.2304, 121.4737),  # Shanghai
        (34.7466, 113.6254),  # Zhengzhou, west of the box
        (34.2610, 117.1859),  # Xuzhou, south of the box
        (38.9140, 121.6147),  # Dalian, north across the strait
        (36.6512, -117.1201),  # a sign error in the longitude
        (-36.6512, 117.1201),  # a sign error in the latitude
        (117.1201, 36.6512),  # latitude and longitude swapped
    ],
)
def test_shandong_excludes_points_outside(lat, lon):
    assert not SHANDONG.contains(lat, lon)


def test_bounds_edges_are_inclusive():
    box = Bounds(south=1.0, west=2.0, north=3.0, east=4.0)
    assert box.contains(1.0, 2.0)
    assert box.contains(3.0, 4.0)
    assert not box.contains(0.999, 2.0)
    assert not box.contains(3.0, 4.001)
