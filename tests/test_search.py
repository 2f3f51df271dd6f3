"""Search: the Pagefind index built with the site finds parks and events in each language."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from sitegen.search import search_terms


def test_search_terms_start_a_run_at_every_chinese_character():
    assert search_terms("比亚迪新能源，Qilu 园区") == "比亚迪新 亚迪新能 迪新能源 新能源 能源 源 园区 区"


@pytest.fixture(scope="module")
def starter_site(tmp_path_factory, request):
    site = tmp_path_factory.mktemp("search")
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "themes", site / "themes")
    from sitegen.cli import main

    assert main(["build", "-s", str(site)]) == 0
    return site / "build"


def results(page, base: str, path: str, query: str) -> list[str]:
    page.goto(f"{base}{path}?q={query}")
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
    return page.locator(".search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.browser
@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("search/", "新能源", "parks/jinan-start-up-area/"),
        ("search/", "生物医药", "parks/shandong-international-biotech-park/"),
        ("search/", "齐鲁软件园", "parks/qilu-software-park/"),
        ("search/", "邹平", "parks/zouping-economic-development-zone/"),
        ("search/", "鹊华观澜会", "events/2023-02-03-quehua-guanlan-roundtable/"),
        ("en/search/", "Qilu", "en/parks/qilu-software-park/"),
        ("en/search/", "biomedicine", "en/parks/shandong-international-biotech-park/"),
    ],
)
def test_search_finds_the_right_pages_in_the_right_language(page, serve_folder, starter_site, path, query, expected):
    base = serve_folder(starter_site)
    found = results(page, base, path, query)
    assert base + expected in found, found
    prefix = base + ("en/" if path.startswith("en/") else "")
    assert all(link.startswith(prefix) for link in found)
    assert all(link.startswith(base + "en/") == path.startswith("en/") for link in found)
    assert page.blocked_hosts == [] and page.console_errors == []


@pytest.mark.browser
def test_search_works_under_a_sub_path(page, serve_folder, starter_site, tmp_path):
    shutil.copytree(starter_site, tmp_path / "root" / "alliance")
    base = serve_folder(tmp_path / "root") + "alliance/"
    found = results(page, base, "en/search/", "Qilu")
    assert base + "en/parks/qilu-software-park/" in found
    page.click(".search-results a >> nth=0")
    assert page.locator("h1").inner_text()


@pytest.mark.browser
def test_a_search_with_no_match_says_so(page, serve_folder, starter_site):
    base = serve_folder(starter_site)
    assert results(page, base, "en/search/", "zzzzqqq") == []
    assert page.locator(".search-status").inner_text().startswith("Nothing found")
