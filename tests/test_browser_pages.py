"""The starter site in a real browser, as investors see it: phone and desktop, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import StarterSite

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PAGES = (
    "",
    "parks/qilu-software-park/",
    "map/",
    "search/?q=软件",
    "chains/",
    "chains/new-energy-vehicles/",
    "projects/",
    "parks/zouping-economic-development-zone/",
)
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def site_url(built_starter: StarterSite) -> Path:
    return built_starter.output


@pytest.fixture
def sized_page(browser, request):
    """A page of the requested width that refuses non-local hosts and keeps a screenshot on failure."""
    from urllib.parse import urlsplit

    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.errors, page.foreign = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and "net::ERR_FAILED" not in message.text and page.errors.append(message.text)
        ),
    )

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            page.foreign.append(host)
            route.abort()

    page.route("**/*", only_local)
    yield page
    if getattr(request.node, "failed", False):
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


TILE_HOSTS = {f"webrd0{number}.is.autonavi.com" for number in range(1, 5)}


@pytest.mark.parametrize("sized_page", WIDTHS, indirect=True)
@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_loads_nothing_foreign_and_has_no_console_errors(sized_page, serve_folder, site_url, lang, path):
    base = serve_folder(site_url)
    sized_page.goto(base + lang + path, wait_until="networkidle")
    assert sized_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert sized_page.errors == []
    assert set(sized_page.foreign) <= TILE_HOSTS


@pytest.mark.parametrize("sized_page", [390], indirect=True)
@pytest.mark.parametrize("path", ["", "parks/qilu-software-park/", "map/", "search/"])
def test_language_switcher_lands_on_the_counterpart_and_back(sized_page, serve_folder, site_url, path):
    base = serve_folder(site_url)
    sized_page.goto(base + path)
    sized_page.click("a.language-switch")
    assert sized_page.url == base + "en/" + path
    assert sized_page.locator("html").get_attribute("lang") == "en"
    sized_page.click("a.language-switch")
    assert sized_page.url == base + path
    assert sized_page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("sized_page", [390], indirect=True)
def test_search_returns_results_in_both_languages(sized_page, serve_folder, site_url):
    base = serve_folder(site_url)
    for path, query in (("search/", "软件"), ("en/search/", "software")):
        sized_page.goto(base + path)
        sized_page.fill("#search-query", query)
        sized_page.press("#search-query", "Enter")
        sized_page.wait_for_selector(".search-results a")
        assert sized_page.locator(".search-results a").count() > 0
