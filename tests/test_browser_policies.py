"""The policies list and a park's timeline in headless Chromium at 390 px: the filters narrow the
grouped list as the build decides where a policy applies, and keep the choice in the address."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_SITE, write_site
from test_investment_pages import DAY, INVESTMENT_SITE

from sitegen.cli import main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("policies") / "site", {**MINIMAL_SITE, **INVESTMENT_SITE})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DAY)
        assert main(["build", "-s", str(root)]) == 0
    return root / "build"


def shown_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".policy-group:not([hidden]) .policy-item:not([hidden]) .policy-item__title",
        "items => items.map(i => i.textContent.trim())",
    )


def test_the_filters_narrow_the_policies_and_keep_the_choice_in_the_address(page, built, serve_folder):
    base = serve_folder(built)
    page.goto(base + "en/policies/")
    assert shown_titles(page) == ["Help for biomedicine", "Jinan settling grant"]
    page.select_option("select[name=park]", "yantai-biotech-park")
    assert shown_titles(page) == ["Help for biomedicine"]
    assert page.url.endswith("?park=yantai-biotech-park")
    page.select_option("select[name=park]", "")
    page.select_option("select[name=city]", "jinan")
    page.select_option("select[name=sector]", "software")
    assert shown_titles(page) == ["Jinan settling grant"]
    page.goto(base + "en/policies/?park=qilu-software-park")
    assert shown_titles(page) == ["Jinan settling grant"]
    assert page.is_hidden("[data-policy-none]")
    assert not page.console_errors and not page.blocked_hosts


def test_without_javascript_every_current_policy_is_listed(browser, built, serve_folder):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve_folder(built) + "policies/?park=yantai-biotech-park")
    titles = page.eval_on_selector_all(".policy-item__title", "items => items.map(i => i.textContent.trim())")
    assert titles == ["生物医药扶持", "济南落户奖励"]
    assert page.is_hidden(".policy-filters")
    context.close()


def test_the_park_page_reads_on_a_phone_without_scrolling_sideways(page, built, serve_folder):
    page.goto(serve_folder(built) + "parks/qilu-software-park/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    numbers = page.eval_on_selector_all(
        ".timeline__step", "steps => steps.map(s => getComputedStyle(s, '::before').content)"
    )
    assert numbers == ["counter(step)", "counter(step)"] or numbers == ['"1"', '"2"']
    box = page.locator(".site-card").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
