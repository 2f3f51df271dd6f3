"""Park data downloads, the sitemap and robots.txt, read back as other tools would read them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest


@pytest.fixture
def build(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    return site / "build"


def test_geojson_is_an_rfc7946_collection_with_bilingual_properties(build):
    collection = json.loads((build / "data/parks.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    qilu = next(feature for feature in collection["features"] if feature["id"] == "qilu-software-park")
    assert qilu["geometry"] == {"type": "Point", "coordinates": [117.134, 36.666]}  # [lon, lat], WGS-84
    properties = qilu["properties"]
    assert properties["name_zh"] == "齐鲁软件园" and properties["name_en"] == "Qilu Software Park"
    assert properties["sectors"] == ["software"]
    assert properties["url_en"] == "https://parks.example.cn/alliance/en/parks/qilu-software-park/"
    assert "齐鲁软件园".encode() in (build / "data/parks.geojson").read_bytes()  # not \\u escapes


def test_geojson_stores_wgs84_even_when_the_editor_entered_gcj02(make_site, run):
    site = make_site({"content/parks/yantai-biotech-park.md": """\
        ---
        name: {zh: 山东国际生物科技园, en: Shandong International Biotech Park}
        city: yantai
        location: {lat: 37.44, lon: 121.59, crs: gcj02}
        sectors: [biomedicine]
        ---
        """})
    assert run("build", "-s", str(site))[0] == 0
    collection = json.loads((site / "build/data/parks.geojson").read_text(encoding="utf-8"))
    lon, lat = next(f for f in collection["features"] if f["id"] == "yantai-biotech-park")["geometry"]["coordinates"]
    assert 37.437 < lat < 37.440 and 121.583 < lon < 121.586  # moved about 470 m west, back to WGS-84


def test_csv_opens_in_excel_with_a_bom_and_one_row_per_park(build):
    data = (build / "data/parks.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["qilu-software-park", "yantai-biotech-park"]
    assert rows[0]["name_zh"] == "齐鲁软件园" and rows[0]["city_en"] == "Jinan"
    assert rows[1]["sectors_zh"] == "生物医药、软件和信息技术"
    assert rows[0]["lat"] == "36.666" and rows[0]["member"] == "no"


def test_sitemap_lists_every_page_with_its_language_alternates(build):
    tree = ElementTree.parse(build / "sitemap.xml")
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [element.text for element in tree.findall("s:url/s:loc", namespaces)]
    assert "https://parks.example.cn/alliance/en/parks/qilu-software-park/" in locations
    assert len(locations) == len(set(locations)) == len(list(build.rglob("index.html")))
    first = tree.find("s:url", namespaces)
    assert [link.get("hreflang") for link in first.findall("x:link", namespaces)] == ["zh-CN", "en"]
    assert "Sitemap: https://parks.example.cn/alliance/sitemap.xml" in (build / "robots.txt").read_text()
