"""The map's generated script: its park data read as one JSON string, and pins that keep their
tooltip and popup when they are drawn again (they are bound when a pin is first drawn)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page

from sitegen.cli import main
from sitegen.map.folium_shapes import draw_shape
from sitegen.map.parts import MapPoint, MapRenderer, PopupText
from sitegen.map.tiles import TileSettings

# Characters that a JavaScript string, JSON or an inline <script> treats specially.
AWKWARD_NAME = 'O\'Brien \\ "Park" </script> end'
# Chromium logs this for each tile request the page fixture refuses.
BLOCKED_TILE = "Failed to load resource: net::ERR_FAILED"
INDUSTRY = ".sg-map--industry"
FILTERS = 'form[data-sitegen-map-filters="industry"]'
JSON_STRING = re.compile(r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)")


def awkward_park() -> MapPoint:
    return MapPoint(
        slug="qilu-software-park",
        lat=36.666,
        lon=117.134,
        name=AWKWARD_NAME + "\u2028",
        city_id="jinan",
        city_label="济南",
        level=None,
        level_label="",
        sector_ids=("software",),
        sector_labels=(AWKWARD_NAME,),
        colour="#1f77b4",
        summary=AWKWARD_NAME,
        url="../parks/qilu-software-park/",
        member=False,
    )


def test_the_park_data_reaches_the_script_as_one_json_string():
    """A browser parses a JSON string several times faster than the same object literal."""
    parts = MapRenderer(draw_shape).render(
        [awkward_park()],
        lang="zh",
        tiles=TileSettings("gaode"),
        static_prefix="../static/",
        map_id="industry",
        kind="industry",
        text=PopupText("查看园区详情", "联盟成员", "、"),
    )
    (quoted,) = JSON_STRING.findall(parts.script)
    data = json.loads(re.sub(r"\\(.)", r"\1", quoted))  # the JavaScript string's escapes undone
    assert data["parks"]["features"][0]["properties"]["name"] == AWKWARD_NAME + "\u2028"
    assert data["labels"]["sectors"]["software"] == AWKWARD_NAME
    assert "</script" not in parts.script and "\u2028" not in parts.script


def build(make_site) -> str:
    """The minimal site with its software park renamed to AWKWARD_NAME, in both languages."""
    name = json.dumps(AWKWARD_NAME)  # a YAML double-quoted string
    site = make_site(
        {
            "content/parks/qilu-software-park.md": f"""\
            ---
            name: {{zh: {name}, en: {name}}}
            city: jinan
            location: {{lat: 36.666, lon: 117.134}}
            sectors: [software]
            summary: {{zh: 济南的软件园, en: A software park in Jinan}}
            ---
            齐鲁软件园。
            """,
        }
    )
    assert main(["build", "-s", str(site)]) == 0
    return site / "build"


@pytest.mark.browser
def test_a_pin_drawn_again_shows_its_name_on_focus_and_opens_its_popup_with_enter(page: Page, make_site, serve_folder):
    page.goto(serve_folder(build(make_site)) + "en/map/")
    pin = page.locator(INDUSTRY).get_by_title(AWKWARD_NAME, exact=True)
    pin.wait_for()
    # Hidden by its sector and shown again: the cluster layer removes the pin and draws it anew.
    page.locator(f'{FILTERS} input[name=sector][value="software"]').set_checked(False)
    pin.wait_for(state="detached")
    page.locator(f'{FILTERS} input[name=sector][value="software"]').set_checked(True)
    pin.wait_for()
    pin.focus()
    tooltip = page.locator(f"{INDUSTRY} .leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == AWKWARD_NAME
    pin.press("Enter")
    popup = page.locator(f"{INDUSTRY} .leaflet-popup")
    popup.wait_for()
    assert popup.locator(".sg-popup__name").inner_text() == AWKWARD_NAME
    assert [message for message in page.console_errors if message != BLOCKED_TILE] == []
