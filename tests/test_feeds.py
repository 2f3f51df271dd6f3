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
    site = make_site(
        {
            "content/parks/yantai-biotech-park.md": """\
        ---
        name: {zh: 山东国际生物科技园, en: Shandong International Biotech Park}
        city: yantai
        location: {lat: 37.44, lon: 121.59, crs: gcj02}
        sectors: [biomedicine]
        ---
        """
        }
    )
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


def test_atom_feeds_per_language_list_the_events(build):
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    for path, title in (
        ("events/feed.xml", "产业园区联盟成立仪式"),
        ("en/events/feed.xml", "Founding of the park alliance"),
    ):
        feed = ElementTree.parse(build / path).getroot()
        assert feed.find("a:title", namespace).text
        (entry,) = feed.findall("a:entry", namespace)
        assert entry.find("a:title", namespace).text == title
        assert entry.find("a:updated", namespace).text == "2020-09-20T00:00:00+08:00"
        link = entry.find("a:link", namespace).get("href")
        assert link.startswith("https://parks.example.cn/alliance/") and link.endswith("events/alliance-founding/")


def test_calendar_files_parse_back_with_beijing_time(make_site, run):
    import icalendar

    site = make_site(
        {
            "content/events/alliance-founding.md": """\
        ---
        title: {zh: 产业园区联盟成立仪式, en: Founding of the park alliance}
        date: 2020-09-20
        time: "09:30"
        end_time: "11:00"
        city: jinan
        venue: {zh: 济南, en: Jinan}
        kind: signing
        parks: [qilu-software-park]
        summary: {zh: 联盟成立，发布产业地图, en: The alliance is founded}
        ---
        """
        }
    )
    assert run("build", "-s", str(site))[0] == 0
    for path in ("events.ics", "events/alliance-founding.ics"):
        data = (site / "build" / path).read_bytes()
        assert b"\r\n" in data
        calendar = icalendar.Calendar.from_ical(data)
        (timezone,) = calendar.walk("VTIMEZONE")
        assert timezone["TZID"] == "Asia/Shanghai"
        (event,) = calendar.walk("VEVENT")
        start = event.decoded("DTSTART")
        assert start.isoformat() == "2020-09-20T09:30:00+08:00"
        assert event.decoded("DTEND").isoformat() == "2020-09-20T11:00:00+08:00"
        assert str(event["SUMMARY"]) == "产业园区联盟成立仪式 / Founding of the park alliance"
        assert str(event["LOCATION"]) == "济南, 济南"
        assert str(event["DESCRIPTION"]) == "联盟成立，发布产业地图"


def test_all_day_events_are_whole_days_in_the_calendar(build):
    import icalendar

    (event,) = icalendar.Calendar.from_ical((build / "events.ics").read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2020-09-20"
    assert event.decoded("DTEND").isoformat() == "2020-09-21"


def structured_data(page: str) -> dict:
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(page[start : page.index("</script>", start)])


def test_park_pages_describe_a_place_with_coordinates(build):
    data = structured_data((build / "en/parks/qilu-software-park/index.html").read_text(encoding="utf-8"))
    assert data["@type"] == "Place" and data["name"] == "Qilu Software Park"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 36.666, "longitude": 117.134}
    assert data["address"]["addressLocality"] == "Jinan"


def test_event_pages_describe_an_event(build):
    data = structured_data((build / "events/alliance-founding/index.html").read_text(encoding="utf-8"))
    assert data["@type"] == "Event" and data["startDate"] == "2020-09-20"
    assert data["location"]["address"]["addressLocality"] == "济南"


def test_every_page_has_open_graph_and_description_with_an_absolute_image(build):
    for page in build.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta name="description" content="' in html, page
        assert '<meta property="og:image" content="https://parks.example.cn/alliance/static/img/share.png">' in html, (
            page
        )
        assert '<meta property="og:title" content="' in html, page
    assert (build / "static/img/share.png").is_file()
