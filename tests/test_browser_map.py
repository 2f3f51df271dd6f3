"""The industry map and the locator maps in headless Chromium, as a reader sees them.

Tiles are blocked (the `page` fixture refuses every non-local request), so these tests see
markers, clusters, popups, filters and counts, never the base map. Most run in both languages.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    MINIMAL_SITE,
    REPO,
    RequestsInFlight,
    StarterSite,
    local_page,
    serving,
    wait_until_settled,
    write_site,
)
from links import third_party_hosts
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sitegen.cli import main
from sitegen.content.config import load_config
from sitegen.errors import Problems
from sitegen.map.tiles import TileSettings

pytestmark = pytest.mark.browser

STARTER_PARKS = 37

ARTEFACTS = REPO / "test-artifacts" / "map"
"""Screenshots of the page as a failed test left it."""

# (language, path prefix of its pages)
LANGUAGES = [("zh", ""), ("en", "en/")]

# What Chromium logs for each tile request the page fixture aborts; any other error counts.
BLOCKED_TILE = "Failed to load resource: net::ERR_FAILED"

# Parks drawn on one map: each pin is one park, each cluster shows how many it holds.
DRAWN_PARKS = """(map) => {
  const box = document.querySelector(map);
  if (!box) return -1;
  const pins = box.querySelectorAll(".sg-pin").length;
  const clustered = Array.from(box.querySelectorAll(".marker-cluster"))
    .reduce((sum, cluster) => sum + Number(cluster.textContent.trim()), 0);
  return pins + clustered;
}"""

# While the map zooms or the clusters split and merge, pins fading out and clusters fading in are
# both on the page: parks are counted once neither runs.
ANIMATING = ".leaflet-zoom-anim, .leaflet-cluster-anim"
INDUSTRY = ".sg-map--industry"
LOCATOR = ".sg-map--locator"
FILTERS = 'form[data-sitegen-map-filters="industry"]'
VISIBLE_COUNT = 'output[data-count="visible"]'
TABLE_ROWS = '[data-sitegen-map-list="industry"] tr[data-slug]'
CITY_GROUP = ".park-group"


# --- sites and the page ------------------------------------------------------------------


def build_site(site: Path) -> Path:
    assert main(["build", "-s", str(site)]) == 0
    return site / "build"


def build_minimal_site(tmp_path_factory: pytest.TempPathFactory, files: dict[str, str] | None = None) -> Path:
    """The minimal bilingual site with the given files replaced or added, built once for the
    module: its tests only read the output."""
    return build_site(write_site(tmp_path_factory.mktemp("site"), {**MINIMAL_SITE, **(files or {})}))


@pytest.fixture(scope="module")
def phone_page(browser) -> Iterator[Page]:
    """The `page` of conftest, one for the whole module, which each test navigates."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = local_page(context)
    page.loading = RequestsInFlight(page)
    yield page
    context.close()


@pytest.fixture
def page(phone_page, request) -> Iterator[Page]:
    """The module's phone page, blank, with no console error or blocked host recorded yet and
    the mouse back in the corner, as a fresh page would be; what it shows is kept if the test fails."""
    phone_page.goto("about:blank")  # stops what the last test left loading; what it logged is cleared below
    phone_page.mouse.move(0, 0)
    phone_page.console_errors.clear()
    phone_page.blocked_hosts.clear()
    yield phone_page
    if getattr(request.node, "failed", False):
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        phone_page.screenshot(path=str(ARTEFACTS / f"{request.node.name.replace('/', '_')}.png"), full_page=True)


@pytest.fixture(scope="module")
def starter_build(built_starter: StarterSite) -> Path:
    """The repository's own content and theme, built once for the test run."""
    return built_starter.output


@pytest.fixture(scope="module")
def starter_url(starter_build) -> Iterator[str]:
    with serving(starter_build) as url:
        yield url


@pytest.fixture(scope="module")
def starter_parks(starter_build) -> list[dict]:
    """The starter's parks as the GeoJSON download lists them: written by other code than the map."""
    data = json.loads((starter_build / "data" / "parks.geojson").read_text("utf-8"))
    return [feature["properties"] for feature in data["features"]]


@pytest.fixture(scope="module")
def minimal_build(tmp_path_factory) -> Path:
    return build_minimal_site(tmp_path_factory)


@pytest.fixture(scope="module")
def minimal_url(minimal_build) -> Iterator[str]:
    with serving(minimal_build) as url:
        yield url


@pytest.fixture(scope="module")
def member_url(tmp_path_factory) -> Iterator[str]:
    """The minimal site with Qilu Software Park as an alliance member."""
    member = """\
        ---
        name: {zh: 齐鲁软件园, en: Qilu Software Park}
        city: jinan
        location: {lat: 36.666, lon: 117.134}
        sectors: [software]
        level: national
        summary: {zh: 济南高新区内的软件园, en: A software park in Jinan High-tech Zone}
        alliance: {member: true, batch: 1}
        ---
        齐鲁软件园位于济南高新区。
        """
    with serving(build_minimal_site(tmp_path_factory, {"content/parks/qilu-software-park.md": member})) as url:
        yield url


MARKUP_NAME = 'Qilu <script>window.sgInjected = 1</script><img src="x" onerror="window.sgInjected = 2"> Park'


@pytest.fixture(scope="module")
def markup_url(tmp_path_factory) -> Iterator[str]:
    """The minimal site with a park named in HTML that would run if it were not shown as text."""
    quoted = MARKUP_NAME.replace("'", "''")
    park = f"""\
        ---
        name: {{zh: '{quoted}', en: '{quoted}'}}
        city: jinan
        location: {{lat: 36.666, lon: 117.134}}
        sectors: [software]
        summary: {{zh: 济南的软件园, en: A software park in Jinan}}
        ---
        齐鲁软件园。
        """
    with serving(build_minimal_site(tmp_path_factory, {"content/parks/qilu-software-park.md": park})) as url:
        yield url


def configured_tile_hosts(site: Path) -> frozenset[str]:
    """The tile hosts of the providers the site's site.yaml sets, in both languages."""
    config = load_config(site, Problems())
    assert config is not None
    settings = config.map
    hosts: frozenset[str] = frozenset()
    for provider in set(settings.tiles.values()):
        tiles = TileSettings(provider, settings.tianditu_key, settings.approval_numbers.get(provider, ""))
        hosts |= third_party_hosts(tiles)
    return hosts


# --- what the reader sees ------------------------------------------------------------------


def open_map(page: Page, url: str, parks: int) -> None:
    """Load a map page and wait until it has zoomed to Shandong and drawn all its parks.

    The opening fit animates from folium's start zoom (Leaflet defers it to the next frame and
    ignores zoom clicks until it ends), and clustering adds markers in chunks."""
    page.goto(url)
    page.wait_for_function(
        "() => { const m = window.sitegenMaps && window.sitegenMaps.industry;"
        " return m && m.map.getZoom() === m.map.getBoundsZoom(m.home); }"
    )
    wait_until_still(page)
    wait_until_drawn(page, parks)


def open_popup(page: Page, name: str):
    """Click a park's marker until its popup is open: on a busy machine a click can land while
    the cluster layer is still placing markers, and Leaflet drops it."""
    popup = page.locator(f"{INDUSTRY} .leaflet-popup")
    for _ in range(3):
        page.locator(INDUSTRY).get_by_title(name, exact=True).click()
        try:
            popup.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeout:
            wait_until_still(page)
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim')")  # the pan showing it whole
    return popup


def wait_until_still(page: Page) -> None:
    """Wait for a zoom animation to end: Leaflet ignores zoom clicks until it has."""
    page.wait_for_function(f"() => !document.querySelector('{ANIMATING}')")


def drawn_parks(page: Page, map_selector: str = INDUSTRY) -> int:
    return page.evaluate(DRAWN_PARKS, map_selector)


def wait_until_drawn(page: Page, parks: int, map_selector: str = INDUSTRY) -> None:
    """Wait for the map to settle on `parks` parks; if it never does, the caller's assert shows
    the number it did draw."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"([map, parks]) => !document.querySelector('{ANIMATING}') && ({DRAWN_PARKS})(map) === parks",
            arg=[map_selector, parks],
            timeout=5000,
        )
    assert drawn_parks(page, map_selector) == parks


def visible_count(page: Page) -> int:
    return int(page.locator(VISIBLE_COUNT).inner_text())


def shown_rows(page: Page) -> set[str]:
    return set(page.eval_on_selector_all(TABLE_ROWS, "rows => rows.filter(r => !r.hidden).map(r => r.dataset.slug)"))


def set_sector(page: Page, sector: str, checked: bool) -> None:
    page.locator(f'{FILTERS} input[name=sector][value="{sector}"]').set_checked(checked)


def console_problems(page: Page) -> list[str]:
    return [message for message in page.console_errors if message != BLOCKED_TILE]


def name_of(park: dict, lang: str) -> str:
    return park[f"name_{lang}"]


# --- the industry map ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_every_starter_park_is_one_marker_or_counted_in_one_cluster(page, starter_url, starter_parks, lang, prefix):
    assert len(starter_parks) == STARTER_PARKS
    open_map(page, starter_url + prefix + "map/", STARTER_PARKS)
    assert page.locator(f"{INDUSTRY} .marker-cluster").count() > 0, "37 parks on a phone should cluster somewhere"
    assert visible_count(page) == STARTER_PARKS
    assert shown_rows(page) == {park["slug"] for park in starter_parks}
    assert console_problems(page) == []


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_unchecking_a_sector_hides_the_pins_of_that_colour(page, minimal_url, lang, prefix):
    # Qilu Software Park: software; the biotech park: biomedicine first (its colour), software second.
    open_map(page, minimal_url + prefix + "map/", 2)
    set_sector(page, "biomedicine", False)
    wait_until_drawn(page, 1)  # the biotech park goes with its colour, though software stays checked
    assert visible_count(page) == 1
    assert shown_rows(page) == {"qilu-software-park"}

    set_sector(page, "biomedicine", True)
    set_sector(page, "software", False)
    wait_until_drawn(page, 1)
    assert shown_rows(page) == {"yantai-biotech-park"}
    assert page.locator(f'{TABLE_ROWS}[data-slug="qilu-software-park"]').is_hidden()

    set_sector(page, "biomedicine", False)
    wait_until_drawn(page, 0)
    assert visible_count(page) == 0
    assert shown_rows(page) == set()
    assert page.locator(f"{FILTERS} [data-sitegen-map-empty]").is_visible()  # and a way back
    page.locator(f"{FILTERS} [data-sitegen-map-empty] button[type=reset]").click()
    wait_until_drawn(page, 2)
    assert console_problems(page) == []


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_only_this_sector_shows_exactly_the_parks_of_its_colour_in_one_tap(
    page, starter_url, starter_parks, lang, prefix
):
    main = [park["sectors"][0] for park in starter_parks]
    sector = max(sorted(set(main)), key=main.count)
    staying = {park["slug"] for park in starter_parks if park["sectors"][0] == sector}
    assert 0 < len(staying) < STARTER_PARKS
    open_map(page, starter_url + prefix + "map/", STARTER_PARKS)
    page.locator(f'{FILTERS} [data-sitegen-map-only="{sector}"]').click()
    wait_until_drawn(page, len(staying))
    assert visible_count(page) == len(staying)
    assert shown_rows(page) == staying
    assert console_problems(page) == []


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_the_map_stays_on_shandong(page, starter_url, lang, prefix):
    open_map(page, starter_url + prefix + "map/", STARTER_PARKS)
    opened = page.evaluate("() => window.sitegenMaps.industry.map.getZoom()")
    page.evaluate("() => window.sitegenMaps.industry.map.setZoom(2, {animate: false})")
    state = page.evaluate(
        "() => { const m = window.sitegenMaps.industry; return [m.map.getZoom(), m.map.getBounds().pad(-0.3).intersects(m.home)]; }"
    )
    assert opened - 1 < state[0] <= opened and state[1]  # it cannot be zoomed out to the whole country
    assert console_problems(page) == []


@pytest.mark.parametrize("zoom_ins", [0, 1])
def test_on_a_phone_the_popup_of_the_northernmost_pin_shows_whole_beside_the_buttons(page, starter_url, zoom_ins):
    open_map(page, starter_url + "map/", STARTER_PARKS)
    for _ in range(zoom_ins):
        zoom = page.evaluate("() => window.sitegenMaps.industry.map.getZoom()")
        page.click(".leaflet-control-zoom-in")
        page.wait_for_function("zoom => window.sitegenMaps.industry.map.getZoom() > zoom", arg=zoom)
        wait_until_still(page)
    pin = page.evaluate(TOPMOST_PIN)
    page.mouse.click(pin["x"], pin["y"])
    popup = page.locator(f"{INDUSTRY} .leaflet-popup")
    popup.wait_for(state="visible")
    page.wait_for_function(f"() => !document.querySelector('{INDUSTRY} .leaflet-pan-anim')")
    page.wait_for_timeout(400)  # the pan that shows the popup whole

    shown = popup.bounding_box()
    map_box = page.locator(INDUSTRY).bounding_box()
    assert map_box["x"] <= shown["x"] and shown["x"] + shown["width"] <= map_box["x"] + map_box["width"] + 1
    assert map_box["y"] <= shown["y"] and shown["y"] + shown["height"] <= map_box["y"] + map_box["height"] + 1
    for button in (".sg-map-filters-toggle", ".leaflet-control-zoom"):
        assert not overlap(shown, page.locator(button).bounding_box()), button

    page.locator(f"{INDUSTRY} .leaflet-popup-close-button").click()
    page.wait_for_function(
        "() => { const m = window.sitegenMaps.industry.map; return m.options.maxBounds"
        " && m.options.maxBounds.intersects(m.getBounds()); }"
    )


TOPMOST_PIN = """() => {
    const pins = [...document.querySelectorAll(".sg-map--industry .sg-pin")]
        .map((pin) => pin.getBoundingClientRect()).filter((box) => box.width > 0);
    pins.sort((a, b) => a.top - b.top);
    return {x: pins[0].left + pins[0].width / 2, y: pins[0].top + pins[0].height / 2};
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_the_city_filter_updates_the_markers_the_count_and_the_rows(page, starter_url, starter_parks, lang, prefix):
    in_qingdao = {park["slug"] for park in starter_parks if park["city"] == "qingdao"}
    assert 1 < len(in_qingdao) < STARTER_PARKS
    open_map(page, starter_url + prefix + "map/", STARTER_PARKS)
    option = page.locator(f'{FILTERS} select[name=city] option[value="qingdao"]')
    assert option.inner_text().endswith(f"({len(in_qingdao)})")
    page.select_option(f"{FILTERS} select[name=city]", "qingdao")
    wait_until_drawn(page, len(in_qingdao))
    assert visible_count(page) == len(in_qingdao)
    assert shown_rows(page) == in_qingdao

    page.select_option(f"{FILTERS} select[name=city]", "")
    wait_until_drawn(page, STARTER_PARKS)
    assert visible_count(page) == STARTER_PARKS
    assert console_problems(page) == []


def test_the_park_list_has_a_table_per_city_and_hides_the_cities_filtered_out(
    page, built_starter, starter_url, starter_parks
):
    config = load_config(built_starter.root, Problems())
    assert config is not None
    with_parks = [city for city in config.cities if any(park["city"] == city for park in starter_parks)]
    open_map(page, starter_url + "en/map/", STARTER_PARKS)
    groups = page.locator(f'[data-sitegen-map-list="industry"] {CITY_GROUP}')
    assert groups.count() == len(with_parks) > 1
    for index, city in enumerate(with_parks):
        group = groups.nth(index)
        assert group.locator("table").get_attribute("aria-labelledby") == f"parks-{city}"
        assert group.locator("h3 a").get_attribute("href").endswith(f"/cities/{city}/")
        slugs = set(group.locator("tr[data-slug]").evaluate_all("rows => rows.map(r => r.dataset.slug)"))
        assert slugs == {park["slug"] for park in starter_parks if park["city"] == city}

    page.select_option(f"{FILTERS} select[name=city]", "qingdao")
    wait_until_drawn(page, sum(park["city"] == "qingdao" for park in starter_parks))
    shown = groups.evaluate_all("groups => groups.filter(g => g.checkVisibility()).map(g => g.querySelector('h3').id)")
    assert shown == ["parks-qingdao"]
    page.select_option(f"{FILTERS} select[name=city]", "")
    assert groups.evaluate_all("groups => groups.every(g => g.checkVisibility())")


def test_cities_of_the_park_list_out_of_view_are_drawn_only_when_scrolled_to(page, starter_url):
    open_map(page, starter_url + "map/", STARTER_PARKS)
    last = page.locator(f"{CITY_GROUP}:last-child tr[data-slug]").first
    drawn = "row => row.checkVisibility({contentVisibilityAuto: true})"
    assert last.evaluate(drawn) is False  # skipped by content-visibility: auto, yet in the page
    assert last.evaluate("row => row.checkVisibility()") is True
    last.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({drawn})(document.querySelector('{CITY_GROUP}:last-child tr[data-slug]'))")
    assert last.is_visible()


@pytest.mark.parametrize(
    ("lang", "prefix", "name"),
    [
        ("zh", "", "齐鲁软件园"),
        ("en", "en/", "Qilu Software Park"),
    ],
)
def test_a_popup_link_opens_the_profile_in_the_same_language_under_a_sub_path(
    page, minimal_build, serve_folder, tmp_path, lang, prefix, name
):
    served = tmp_path / "served"
    shutil.copytree(minimal_build, served / "alliance")
    base = serve_folder(served) + "alliance/"
    open_map(page, base + prefix + "map/", 2)

    popup = open_popup(page, name)
    assert popup.locator(".sg-popup__name").inner_text() == name
    link = popup.locator("a.sg-popup__link")
    href = link.get_attribute("href")
    assert not href.startswith(("/", "http:", "https:")), href  # relative, so the sub-path stays

    link.click()
    page.wait_for_url(base + prefix + "parks/qilu-software-park/")
    assert page.locator("h1").inner_text() == name
    assert console_problems(page) == []


def test_fit_to_shandong_brings_back_the_opening_view_and_reset_shows_every_park(page, starter_url):
    open_map(page, starter_url + "map/", STARTER_PARKS)
    view = (
        "() => { const m = window.sitegenMaps.industry; return [m.map.getZoom(), m.map.getBounds().contains(m.home)]; }"
    )
    opening_zoom, shows_home = page.evaluate(view)
    assert shows_home

    for step in (1, 2, 3):
        page.click(f"{INDUSTRY} .leaflet-control-zoom-in")
        page.wait_for_function(f"() => window.sitegenMaps.industry.map.getZoom() === {opening_zoom + step}")
        wait_until_still(page)
    assert page.evaluate(view) == [opening_zoom + 3, False]

    page.click(f'{FILTERS} [data-sitegen-map-action="fit"]')
    page.wait_for_function(f"() => window.sitegenMaps.industry.map.getZoom() === {opening_zoom}")
    wait_until_still(page)
    assert page.evaluate(view) == [opening_zoom, True]
    wait_until_drawn(page, STARTER_PARKS)

    set_sector(page, "software", False)
    page.select_option(f"{FILTERS} select[name=city]", "jinan")
    page.wait_for_function(f"() => document.querySelector('{VISIBLE_COUNT}').textContent !== '{STARTER_PARKS}'")
    page.click(f"{FILTERS} button[type=reset]")
    # Choosing Jinan zoomed to its parks; showing all of them again goes back to Shandong.
    page.wait_for_function(f"() => window.sitegenMaps.industry.map.getZoom() === {opening_zoom}")
    wait_until_still(page)
    assert page.evaluate(view) == [opening_zoom, True]
    wait_until_drawn(page, STARTER_PARKS)
    assert visible_count(page) == STARTER_PARKS
    assert page.locator(f"{FILTERS} input[name=sector]:not(:checked)").count() == 0
    assert page.locator(f"{TABLE_ROWS}[hidden]").count() == 0
    assert console_problems(page) == []


@pytest.mark.parametrize(
    ("lang", "prefix", "member", "other"),
    [
        ("zh", "", "齐鲁软件园", "山东国际生物科技园"),
        ("en", "en/", "Qilu Software Park", "Shandong International Biotech Park"),
    ],
)
def test_members_look_different_from_other_parks_and_can_be_hidden(page, member_url, lang, prefix, member, other):
    open_map(page, member_url + prefix + "map/", 2)
    member_pin = page.locator(f"{INDUSTRY} .sg-pin--member")
    other_pin = page.locator(f"{INDUSTRY} .sg-pin--other")
    assert member_pin.get_attribute("title") == member
    assert other_pin.get_attribute("title") == other
    looks = (
        "pin => { const s = getComputedStyle(pin.firstElementChild); return [s.backgroundColor, s.borderTopWidth]; }"
    )
    assert member_pin.evaluate(looks) != other_pin.evaluate(looks)

    page.locator(f'{FILTERS} input[name=member][value="member"]').uncheck()
    wait_until_drawn(page, 1)
    assert page.locator(f"{INDUSTRY} .sg-pin--member").count() == 0
    assert visible_count(page) == 1
    assert shown_rows(page) == {"yantai-biotech-park"}
    assert console_problems(page) == []


def test_without_members_there_is_no_member_toggle(page, minimal_url):
    open_map(page, minimal_url + "en/map/", 2)
    assert page.locator(f"{FILTERS} input[name=member]").count() == 0
    assert page.locator(f"{INDUSTRY} .sg-pin--other").count() == 2


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_park_name_with_markup_shows_as_text(page, markup_url, prefix):
    name = MARKUP_NAME
    open_map(page, markup_url + prefix + "map/", 2)
    popup = open_popup(page, name)
    assert popup.locator(".sg-popup__name").inner_text() == name
    assert popup.locator("script, img").count() == 0
    page.locator(INDUSTRY).get_by_title(name, exact=True).hover()
    assert page.locator(f"{INDUSTRY} .leaflet-tooltip").inner_text() == name
    assert page.evaluate("window.sgInjected") is None
    assert console_problems(page) == []


# --- locator maps and what the pages load --------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "focus", "other"),
    [
        ("", "齐鲁软件园", "山东国际生物科技园"),
        ("en/", "Qilu Software Park", "Shandong International Biotech Park"),
    ],
)
def test_a_park_page_locator_shows_the_park_and_its_child_park(page, minimal_url, prefix, focus, other):
    page.goto(minimal_url + prefix + "parks/qilu-software-park/")
    page.wait_for_function("() => window.sitegenMaps && window.sitegenMaps.locator")
    wait_until_drawn(page, 2, LOCATOR)
    assert page.locator(f"{LOCATOR} .sg-pin--focus").get_attribute("title") == focus
    assert page.locator(LOCATOR).get_by_title(other, exact=True).count() == 1

    page.goto(minimal_url + prefix + "parks/yantai-biotech-park/")  # the child shows its parent
    page.wait_for_function("() => window.sitegenMaps && window.sitegenMaps.locator")
    wait_until_drawn(page, 2, LOCATOR)
    assert page.locator(f"{LOCATOR} .sg-pin--focus").get_attribute("title") == other
    assert page.locator(LOCATOR).get_by_title(focus, exact=True).count() == 1
    assert console_problems(page) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_locator_spreads_parks_that_share_one_place(page, starter_url, starter_parks, lang):
    # Jibei Development Zone and its four parks-within-the-zone share one location.
    slug = "jibei-economic-development-zone"
    family = [park for park in starter_parks if slug in (park["slug"], park["parent"])]
    assert len(family) == 5
    page.goto(starter_url + ("en/" if lang == "en" else "") + f"parks/{slug}/")
    page.wait_for_function("() => window.sitegenMaps && window.sitegenMaps.locator")
    wait_until_drawn(page, len(family), LOCATOR)
    page.click(f"{LOCATOR} .marker-cluster")
    page.wait_for_function(
        "([map, parks]) => document.querySelectorAll(map + ' .sg-pin').length === parks", arg=[LOCATOR, len(family)]
    )
    titles = page.eval_on_selector_all(f"{LOCATOR} .sg-pin", "pins => pins.map(pin => pin.title)")
    assert sorted(titles) == sorted(name_of(park, lang) for park in family)
    focus = next(park for park in family if park["slug"] == slug)
    assert page.locator(f"{LOCATOR} .sg-pin--focus").get_attribute("title") == name_of(focus, lang)
    assert console_problems(page) == []


def test_map_pages_log_no_errors_and_ask_only_the_tile_servers(page, starter_build, starter_url, starter_parks):
    allowed = configured_tile_hosts(starter_build.parent)
    pages = ["map/", "parks/qilu-software-park/", "sectors/software/", "cities/qingdao/"]
    for prefix in ("", "en/"):
        for path in pages:
            page.goto(starter_url + prefix + path)
            page.wait_for_function("() => window.sitegenMaps && Object.keys(window.sitegenMaps).length > 0")
            assert drawn_parks(page, ".sg-map") > 0, prefix + path
            wait_until_settled(page)
            page.loading.wait_until_none()
    assert page.blocked_hosts, "tiles were never requested: the check below would prove nothing"
    assert set(page.blocked_hosts) <= allowed
    assert console_problems(page) == []


@pytest.mark.parametrize(
    ("lang", "prefix", "words"), [("zh", "", "底图暂时无法加载"), ("en", "en/", "base map cannot load")]
)
def test_without_tiles_the_map_says_so_in_the_page_language_and_its_pins_still_open(
    page, starter_url, lang, prefix, words
):
    open_map(page, starter_url + prefix + "map/", STARTER_PARKS)  # tile hosts are blocked here
    note = page.locator(f"{INDUSTRY} .sg-map__no-tiles")
    note.wait_for()
    assert words in note.inner_text()
    link = page.locator(f"{INDUSTRY} .leaflet-popup .sg-popup__link")
    for _ in range(3):  # a click that lands while clusters place their markers is dropped
        page.locator(f"{INDUSTRY} .sg-pin").first.click()
        with contextlib.suppress(PlaywrightTimeout):
            link.wait_for(state="visible", timeout=5000)
            break
    assert link.is_visible()


def test_on_a_phone_the_filters_open_over_the_map_and_a_city_zooms_to_its_parks(page, starter_url, starter_parks):
    open_map(page, starter_url + "en/map/", STARTER_PARKS)
    opening_zoom = page.evaluate("() => window.sitegenMaps.industry.map.getZoom()")
    page.click(".sg-map-filters-toggle")
    sheet = page.locator(".map-layout__filters")
    box = sheet.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844 + 1  # on screen, over the map
    page.select_option(f"{FILTERS} select[name=city]", "qingdao")
    page.click(".sg-map-filters-close")
    page.wait_for_function(f"() => window.sitegenMaps.industry.map.getZoom() > {opening_zoom}")
    wait_until_still(page)
    in_qingdao = sum(park["city"] == "qingdao" for park in starter_parks)
    wait_until_drawn(page, in_qingdao)
    assert page.locator(".sg-map-filters-toggle output").inner_text() == str(in_qingdao)
    assert console_problems(page) == []
