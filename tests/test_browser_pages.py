"""The starter site in a real browser, as investors see it: phone and desktop, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import RequestsInFlight, StarterSite, foreign_urls, serving, wait_until_settled
from playwright.sync_api import BrowserContext, Page

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
def base(built_starter: StarterSite) -> Iterator[str]:
    """The starter site served for the whole module, as long as the pages that load from it."""
    with serving(built_starter.output) as url:
        yield url


def watched_page(context: BrowserContext) -> Page:
    """A page that refuses non-local hosts (kept in `page.foreign`), records errors (in
    `page.errors`) and knows which of its requests are still loading (`page.loading`)."""
    page = context.new_page()
    page.errors, page.foreign = [], []
    page.loading = RequestsInFlight(page)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and "net::ERR_FAILED" not in message.text and page.errors.append(message.text)
        ),
    )

    def refuse(route):
        page.foreign.append(urlsplit(route.request.url).hostname)
        route.abort()

    page.route(foreign_urls("127.0.0.1"), refuse)
    return page


@pytest.fixture(scope="module")
def page_of_width(browser) -> Iterator[dict[int, Page]]:
    """One page per width for the module: each test navigates it, instead of opening a context."""
    contexts = {width: browser.new_context(viewport={"width": width, "height": 900}) for width in WIDTHS}
    yield {width: watched_page(context) for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture
def sized_page(page_of_width, request):
    """The page of the requested width, with no errors or hosts recorded yet; a screenshot of it
    is kept if the test fails."""
    page = page_of_width[request.param]
    page.goto("about:blank")  # stops what the last test left loading; what it logged is cleared below
    page.errors.clear()
    page.foreign.clear()
    yield page
    if getattr(request.node, "failed", False):
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"{request.node.name.replace('/', '_')}.png"), full_page=True)


TILE_HOSTS = {f"webrd0{number}.is.autonavi.com" for number in range(1, 5)}


@pytest.mark.parametrize("sized_page", WIDTHS, indirect=True)
@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_loads_nothing_foreign_and_has_no_console_errors(sized_page, base, lang, path):
    sized_page.goto(base + lang + path, wait_until="load")
    wait_until_settled(sized_page)
    sized_page.loading.wait_until_none()
    assert sized_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert sized_page.errors == []
    assert set(sized_page.foreign) <= TILE_HOSTS


@pytest.mark.parametrize("sized_page", [390], indirect=True)
@pytest.mark.parametrize("path", ["", "parks/qilu-software-park/", "map/", "search/"])
def test_language_switcher_lands_on_the_counterpart_and_back(sized_page, base, path):
    sized_page.goto(base + path)
    sized_page.click("a.language-switch")
    assert sized_page.url == base + "en/" + path
    assert sized_page.locator("html").get_attribute("lang") == "en"
    sized_page.click("a.language-switch")
    assert sized_page.url == base + path
    assert sized_page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("sized_page", [390], indirect=True)
def test_search_returns_results_in_both_languages(sized_page, base):
    for path, query in (("search/", "软件"), ("en/search/", "software")):
        sized_page.goto(base + path)
        sized_page.fill("#search-query", query)
        sized_page.press("#search-query", "Enter")
        sized_page.wait_for_selector(".search-results a")
        assert sized_page.locator(".search-results a").count() > 0
