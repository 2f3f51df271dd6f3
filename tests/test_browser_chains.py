"""Chains and projects in headless Chromium: the map's chain selector, the projects filters and
totals, and the chain diagram on a phone."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import StarterSite

from sitegen.render.chains import LINK_COLOURS, format_amount

pytestmark = pytest.mark.browser

LANGUAGES = [("zh", ""), ("en", "en/")]
BLOCKED_TILE = "net::ERR_FAILED"


@pytest.fixture(scope="module")
def starter_build(built_starter: StarterSite) -> Path:
    return built_starter.output


@pytest.fixture(scope="module")
def starter_url(starter_build, serve_folder_for_module) -> str:
    return serve_folder_for_module(starter_build)


@pytest.fixture
def page(reused_page):
    """One page for the module's tests: they choose in forms and leave nothing stored."""
    return reused_page


@pytest.fixture(scope="module")
def chains(starter_build) -> list[dict]:
    return json.loads((starter_build / "data/chains.json").read_text("utf-8"))["chains"]


@pytest.fixture(scope="module")
def projects(starter_build) -> list[dict]:
    """The starter's projects as the CSV download lists them: other code than the page's script."""
    text = (starter_build / "data/projects.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def expected_colours(chain: dict) -> dict[str, str]:
    """Each park of a chain with the colour of the first link (in tier order) it hosts."""
    colours: dict[str, str] = {}
    links = [link for tier in chain["tiers"] for link in tier["links"]]
    for index, link in enumerate(links):
        for slug in link["parks"]:
            colours.setdefault(slug, LINK_COLOURS[index % len(LINK_COLOURS)])
    return colours


SHOWN_MARKERS = """() => {
  const m = window.sitegenMaps.industry;
  return m.markers.filter((marker) => m.layer.hasLayer(marker) || (m.layer.getVisibleParent && m.layer.getVisibleParent(marker)))
    .map((marker) => [marker.feature.properties.slug, (marker.options.icon.options.html.match(/#[0-9a-f]{6}/i) || [""])[0]]);
}"""


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_choosing_a_chain_on_the_map_shows_its_parks_coloured_by_link(page, starter_url, chains, lang, prefix):
    page.goto(f"{starter_url}{prefix}map/")
    page.wait_for_function("() => window.sitegenMaps && window.sitegenMaps.industry")
    everything = len(page.evaluate(SHOWN_MARKERS))
    for chain in chains:
        page.select_option('form[data-chain-selector] select[name="chain"]', chain["slug"])
        shown = dict(page.evaluate(SHOWN_MARKERS))
        assert shown == expected_colours(chain), chain["slug"]
        legend = page.locator(f'.chain-legend[data-chain="{chain["slug"]}"]')
        assert legend.is_visible()
        names = [link["name"][lang] for tier in chain["tiers"] for link in tier["links"]]
        items = legend.locator("li").all_inner_texts()
        assert len(items) == len(names) and all(name in item for name, item in zip(names, items, strict=True))
        rows = page.locator('[data-sitegen-map-list="industry"] tr[data-slug]:not([hidden])')
        assert sorted(rows.evaluate_all("rows => rows.map(row => row.dataset.slug)")) == sorted(shown)
    page.select_option('form[data-chain-selector] select[name="chain"]', "")
    assert len(page.evaluate(SHOWN_MARKERS)) == everything
    assert page.locator('form[data-sitegen-map-filters="industry"]').is_visible()
    assert [error for error in page.console_errors if BLOCKED_TILE not in error] == []


def expected_totals(rows: list[dict], lang: str) -> str:
    stated = [Decimal(row["investment_yi_yuan"]) for row in rows if row["investment_yi_yuan"]]
    if lang == "zh":
        parts = [f"共 {len(rows)} 个项目。"] if rows else ["没有符合条件的项目。"]
        if stated:
            parts.append(f"其中 {len(stated)} 个写明投资额，合计 {format_amount(float(sum(stated)), 'zh')}。")
        if len(rows) - len(stated):
            parts.append(f"{len(rows) - len(stated)} 个项目未写明投资额，未计入合计。")
    else:
        parts = (
            [f"{len(rows)} project{'s' if len(rows) != 1 else ''}."] if rows else ["No project matches these filters."]
        )
        if stated:
            parts.append(f"Those with a stated amount ({len(stated)}) total {format_amount(float(sum(stated)), 'en')}.")
        without = len(rows) - len(stated)
        if without:
            parts.append(
                f"{without} project{'s' if without != 1 else ''} without a stated amount, not counted in the total."
            )
    return " ".join(parts)


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_projects_filters_and_totals_agree_with_the_content(page, starter_url, projects, lang, prefix):
    page.goto(f"{starter_url}{prefix}projects/")
    totals = page.locator("[data-project-totals]")
    assert " ".join(totals.inner_text().split()) == expected_totals(projects, lang)
    for name, column in (("stage", "stage"), ("sector", "sector"), ("city", "city"), ("park", "park")):
        values = page.locator(f'select[name="{name}"] option').evaluate_all("options => options.map(o => o.value)")
        for value in [value for value in values if value]:
            page.select_option(f'select[name="{name}"]', value)
            wanted = [row for row in projects if row[column] == ("" if value == "-" else value)]
            shown = page.locator(".project-list > .project:not([hidden])")
            assert sorted(shown.evaluate_all("items => items.map(item => item.id)")) == sorted(
                f"project-{row['slug']}" for row in wanted
            ), (name, value)
            assert totals.inner_text() == expected_totals(wanted, lang), (name, value)
        page.select_option(f'select[name="{name}"]', "")
    assert page.console_errors == []


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_chain_diagrams_do_not_scroll_sideways_on_a_phone(page, starter_url, chains, lang, prefix):
    for chain in chains:
        page.goto(f"{starter_url}{prefix}chains/{chain['slug']}/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, chain["slug"]
        diagram = page.locator(".chain-diagram").bounding_box()
        assert diagram["x"] >= 0 and diagram["x"] + diagram["width"] <= 390


def test_the_projects_list_is_complete_without_javascript(browser, starter_url, projects):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{starter_url}projects/")
    assert page.locator(".project-list > .project").count() == len(projects)
    assert not page.locator("[data-project-filter]").is_visible()
    assert " ".join(page.locator("[data-project-totals]").inner_text().split()) == expected_totals(projects, "zh")
    context.close()
