"""The park list in a real browser: filters work without a reload; without JS every park shows."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_SITE, write_site

from sitegen.cli import main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve_folder_for_module) -> str:
    """The minimal site, built once for the module's tests, which only read it."""
    site = write_site(tmp_path_factory.mktemp("park-list") / "site", MINIMAL_SITE)
    assert main(["build", "-s", str(site)]) == 0
    return serve_folder_for_module(site / "build")


@pytest.fixture
def page(reused_page):
    """One page for the module's tests: filters live in the address, nothing is stored."""
    return reused_page


def visible_cards(page) -> int:
    return page.locator(".park-list > .park-card:visible").count()


def test_filters_narrow_the_list_and_update_the_count(page, site_url):
    page.goto(site_url + "en/parks/")
    assert visible_cards(page) == 2
    page.select_option("select[name=sector]", "biomedicine")
    assert visible_cards(page) == 1
    assert page.locator("[data-park-count]").inner_text() == "1 park shown"
    page.select_option("select[name=sector]", "software")
    assert visible_cards(page) == 2  # the biotech park lists software as its second sector
    page.select_option("select[name=city]", "jinan")
    assert visible_cards(page) == 1
    assert "city=jinan" in page.url
    assert page.console_errors == []
    assert page.blocked_hosts == []


def test_a_filtered_address_can_be_shared(page, site_url):
    page.goto(site_url + "parks/?city=yantai")
    assert visible_cards(page) == 1
    assert page.locator("[data-park-count]").inner_text() == "显示 1 个园区"


def test_without_javascript_every_park_is_listed_and_the_form_is_hidden(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "en/parks/")
    assert page.locator(".park-list > .park-card").count() == 2
    assert not page.locator("form[data-park-filter]").is_visible()
    context.close()


def test_language_switcher_goes_to_the_same_page(page, site_url):
    page.goto(site_url + "parks/qilu-software-park/")
    page.click("a.language-switch")
    assert page.url == site_url + "en/parks/qilu-software-park/"
    assert page.locator("h1").inner_text() == "Qilu Software Park"


def test_no_horizontal_scroll_on_a_phone(page, site_url):
    for path in ("", "en/parks/", "en/parks/qilu-software-park/"):
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_switching_language_keeps_the_filters_and_an_empty_result_offers_a_way_back(page, site_url):
    page.goto(site_url + "parks/")
    page.select_option("select[name=sector]", "biomedicine")
    page.select_option("select[name=city]", "jinan")
    assert visible_cards(page) == 0
    page.click("[data-park-empty] button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.park-list > .park-card:not([hidden])').length === 2")
    page.select_option("select[name=sector]", "biomedicine")
    page.click("a.language-switch")
    page.wait_for_url("**/en/parks/?sector=biomedicine")
    assert visible_cards(page) == 1
    assert page.locator("select[name=sector]").input_value() == "biomedicine"
