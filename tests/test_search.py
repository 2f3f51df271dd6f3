"""Search: the Pagefind index built with the site finds parks and events in each language."""

from __future__ import annotations

import dataclasses
import html
import json
import shutil
from pathlib import Path

import pytest
from conftest import STARTER_ADDRESS, StarterSite

from sitegen.build import load_site
from sitegen.render import search
from sitegen.render.pages import Renderer
from sitegen.render.search import SearchIndexError, SearchIndexing, SearchRecord, search_terms

RECORDS = [
    SearchRecord("parks/qilu-software-park/", "zh-cn", "齐鲁软件园", "济南高新区内的软件园", "新能源 生物医药"),
    SearchRecord("parks/yantai-park/", "zh-cn", "烟台园区", "烟台的园区", "海洋经济"),
    SearchRecord("en/parks/qilu-software-park/", "en", "Qilu Software Park", "A software park in Jinan", "software"),
    SearchRecord("en/parks/yantai-park/", "en", "Yantai Park", "A park in Yantai", "marine economy"),
]


def search_bundle(records: list[SearchRecord], keep: Path | None = None) -> list[tuple[str, bytes]]:
    return SearchIndexing(records, keep).files()


def test_search_terms_start_a_run_at_every_chinese_character_after_the_first():
    # Pagefind indexes 比亚迪新能源 and 园区 as words themselves.
    assert search_terms("比亚迪新能源，Qilu 园区") == "亚迪新能 迪新能源 新能源 能源 源 区"


def test_search_terms_leave_out_repeats_and_words_that_begin_another():
    # 能源 and 源 begin 能源汽车 and 源汽车; the second 新能源 begins the run 新能源汽车.
    assert search_terms("新能源汽车，新能源") == "能源汽车 源汽车 汽车 车"


def test_search_terms_start_a_run_after_a_letter_or_digit_at_its_first_character():
    # Pagefind keeps A地块 and 1号厂房 as one word each, so 地块 and 号厂房 begin none.
    assert search_terms("软件园A地块 1号厂房") == "件园 园 地块 块 号厂房 厂房 房"


def test_a_part_of_a_page_is_indexed_within_its_page_and_one_without_its_page_on_its_own():
    park = SearchRecord("en/parks/a/", "en", "Qilu Park", "A park in Jinan", "software")
    plot = SearchRecord("en/parks/a/#site-plot-a", "en", "Plot A", "", "industrial land Qilu Park", kind="site")
    alone = SearchRecord("en/parks/b/#site-plot-b", "en", "Plot B", "", "land", kind="site")
    indexed = dict(search_bundle([park, plot, alone]))
    assert json.loads(indexed["pagefind/pagefind-entry.json"])["languages"]["en"]["page_count"] == 2
    assert len([path for path in indexed if path.startswith("pagefind/fragment/")]) == 2


@pytest.fixture(scope="module")
def bundle() -> dict[str, bytes]:
    return dict(search_bundle(RECORDS))


def test_the_bundle_holds_every_language_and_only_the_files_we_serve(bundle):
    assert "pagefind/pagefind.js" in bundle and "pagefind/pagefind-ui.js" not in bundle
    assert any(path.startswith("pagefind/fragment/en_") for path in bundle)
    assert any(path.startswith("pagefind/fragment/zh-cn_") for path in bundle)
    entry = json.loads(bundle["pagefind/pagefind-entry.json"])
    assert {language: table["page_count"] for language, table in entry["languages"].items()} == {"en": 2, "zh-cn": 2}
    assert (
        bundle["pagefind/pagefind-entry.json"]
        == json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    )


AWKWARD_RECORDS = [
    SearchRecord("parks/a/", "zh-cn", "齐鲁软件园", "济南高新区内的软件园。", "新能源 生物医药\n"),
    SearchRecord("parks/b/#site-b1", "zh-cn", "  标准厂房\nA栋 ", "   ", "R&D 中心 &amp; <实验室>", kind="site"),
    SearchRecord("parks/c/", "zh-cn", "“园区”", "", "", kind="city"),
    SearchRecord("en/parks/a/", "en", 'The "Qilu" Park', "A park in  Jinan\r\nand Zibo's", "software $ (5*)"),
    SearchRecord("en/parks/b/#site-b1", "en", "R&D Centre", "Tab\there", "it's 'quoted'", kind="site"),
    SearchRecord("en/pages/d/", "en", "Page", "ends with a quote'", "ends in a space ", kind="page"),
]


def page_request(index_id: int, record: SearchRecord) -> dict:
    """The record as the HTML page Pagefind reads for it: the title as the heading, the summary
    as a paragraph, then the summary and text (with the runs of Chinese characters)."""
    content = f"{record.summary}\n{record.text}"
    if record.language.startswith("zh"):
        content += "\n" + search_terms(f"{record.title} {content}")
    page = (
        f'<!doctype html><html lang="{record.language}"><head><meta charset="utf-8"></head><body>'
        f'<h1 data-pagefind-meta="kind:{html.escape(record.kind)}">{html.escape(record.title)}</h1>'
        f'<p data-pagefind-meta="summary">{html.escape(record.summary)}</p>'
        f"<div>{html.escape(content)}</div></body></html>"
    )
    return {"type": "AddFile", "index_id": index_id, "url": f"/{record.url}", "file_path": None, "file_contents": page}


def test_records_are_indexed_as_pagefind_indexes_their_pages(monkeypatch):
    # Titles weighted as headings, full stops, entities, spaces and empty summaries alike.
    records = AWKWARD_RECORDS + RECORDS
    indexed = dict(search_bundle(records))
    monkeypatch.setattr(search, "_custom_record", page_request)
    assert indexed == dict(search_bundle(records))


@pytest.fixture
def pagefind_runs(monkeypatch) -> list[str]:
    """The languages Pagefind indexes from here on."""
    runs: list[str] = []
    run_pagefind = search._run_pagefind

    def counted(binary, records):
        runs.append(records[0].language)
        return run_pagefind(binary, records)

    monkeypatch.setattr(search, "_run_pagefind", counted)
    return runs


def test_a_second_build_with_the_same_records_reads_one_kept_file_per_language(bundle, pagefind_runs, tmp_path):
    assert dict(search_bundle(RECORDS, tmp_path)) == bundle
    assert sorted(pagefind_runs) == ["en", "zh-cn"]
    assert dict(search_bundle(RECORDS, tmp_path)) == bundle
    assert sorted(pagefind_runs) == ["en", "zh-cn"]
    assert sorted(file.name.split(".")[1] for file in tmp_path.iterdir()) == ["en", "zh-cn"]


def test_an_edit_in_one_language_indexes_that_language_only(bundle, pagefind_runs, tmp_path):
    search_bundle(RECORDS, tmp_path)
    edited = RECORDS[:2] + [dataclasses.replace(RECORDS[2], text="hydrogen")] + RECORDS[3:]
    rebuilt = dict(search_bundle(edited, tmp_path))
    assert pagefind_runs[2:] == ["en"]
    chinese = [path for path in bundle if "zh-cn_" in path]
    assert chinese and all(rebuilt[path] == bundle[path] for path in chinese)
    assert any(rebuilt.get(path) != content for path, content in bundle.items() if "/en_" in path)
    assert sorted(file.name.split(".")[1] for file in tmp_path.iterdir()) == ["en", "zh-cn"]


def test_a_damaged_kept_file_is_made_again(bundle, pagefind_runs, tmp_path):
    search_bundle(RECORDS, tmp_path)
    next(tmp_path.glob("0.en.*")).write_bytes(b"not a zip")
    assert dict(search_bundle(RECORDS, tmp_path)) == bundle
    assert pagefind_runs[2:] == ["en"]


def test_what_pagefind_says_when_it_fails_is_the_error(monkeypatch, tmp_path):
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'cannot read the index' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(SearchIndexError, match="stopped before it wrote the index\ncannot read the index"):
        search_bundle(RECORDS)


def test_a_large_site_is_indexed_in_parts_and_an_edit_indexes_one_part(pagefind_runs, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_SIZE", 2)
    parks = [
        record
        for number in range(6)
        for record in (
            SearchRecord(f"parks/park-{number}/", "zh-cn", f"园区{number}", "园区", "新能源"),
            SearchRecord(f"en/parks/park-{number}/", "en", f"Park {number}", "A park", "new energy"),
        )
    ]
    files = dict(search_bundle(parks, tmp_path))
    others = json.loads(files["pagefind/sitegen-shards.json"])
    assert len(others) >= 1 and "pagefind/pagefind-entry.json" in files
    assert all(f"pagefind/{other}pagefind-entry.json" in files for other in others)
    assert len(pagefind_runs) == 2 * (1 + len(others)) == len(list(tmp_path.glob("*.zip")))
    edited = [dataclasses.replace(parks[0], text="海洋牧场"), *parks[1:]]
    rebuilt = dict(search_bundle(edited, tmp_path))
    assert pagefind_runs[2 * (1 + len(others)) :] == ["zh-cn"]
    assert sum(rebuilt[path] != content for path, content in files.items() if path in rebuilt) > 0


@pytest.fixture(scope="module", params=[search.SHARD_SIZE, 8], ids=["one part", "in parts"])
def starter_site(tmp_path_factory, request, built_starter: StarterSite) -> Path:
    """The starter site built as it is, and with its index split into parts as a large site's is.

    The parts are made as a build makes them, from the records of the starter's pages; only the
    index differs, so the rest of the site is the one build's (a build with SHARD_SIZE 8 writes
    the same pagefind/ folder byte for byte)."""
    if request.param == search.SHARD_SIZE:
        output = built_starter.output
    else:
        output = tmp_path_factory.mktemp("search") / "build"
        shutil.copytree(built_starter.output, output, ignore=shutil.ignore_patterns(search.BUNDLE_FOLDER))
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SITEGEN_BASE_URL", STARTER_ADDRESS)
            patch.setattr(search, "SHARD_SIZE", request.param)
            site, theme, catalogue, _ = load_site(built_starter.root, False)
            files = SearchIndexing(Renderer(site, theme, catalogue).search_records()).files()
        for path, content in files:
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            (output / path).write_bytes(content)
    assert json.loads((output / "pagefind/sitegen-shards.json").read_text()) != [] or request.param > 100
    return output


@pytest.fixture(scope="module")
def starter_url(starter_site: Path, serve_folder_for_module) -> str:
    return serve_folder_for_module(starter_site)


@pytest.fixture
def page(reused_page):
    """One page for all the searches of the module, which leave nothing in it."""
    return reused_page


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
def test_search_finds_the_right_pages_in_the_right_language(page, starter_url, path, query, expected):
    base = starter_url
    found = results(page, base, path, query)
    assert base + expected in found, found
    prefix = base + ("en/" if path.startswith("en/") else "")
    assert all(link.startswith(prefix) for link in found)
    assert all(link.startswith(base + "en/") == path.startswith("en/") for link in found)
    assert page.blocked_hosts == [] and page.console_errors == []


@pytest.mark.browser
def test_search_works_under_a_sub_path(page, serve_folder_for_module, starter_site, tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "alliance").symlink_to(starter_site, target_is_directory=True)  # served as a folder
    base = serve_folder_for_module(tmp_path / "root") + "alliance/"
    found = results(page, base, "en/search/", "Qilu")
    assert base + "en/parks/qilu-software-park/" in found
    page.click(".search-results a >> nth=0")
    assert page.locator("h1").inner_text()


@pytest.mark.browser
def test_a_search_with_no_match_says_so(page, starter_url):
    base = starter_url
    assert results(page, base, "en/search/", "zzzzqqq") == []
    assert page.locator(".search-status").inner_text().startswith("Nothing found")


def test_chinese_names_are_also_found_by_pinyin_and_traditional_characters():
    from sitegen.content.i18n import SearchSpellings

    spellings = SearchSpellings().of("济南软件").split()
    assert {"jinanruanjian", "ji", "nan", "濟南軟件", "濟南軟體"} <= set(spellings)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["软件", "軟體", "ruanjian"])
def test_a_sector_finds_every_park_with_it_and_its_own_page_grouped_by_kind(page, starter_url, starter_site, query):
    base = starter_url
    found = results(page, base, "search/", query)
    starter = json.loads((starter_site / "data/parks.geojson").read_text(encoding="utf-8"))["features"]
    with_software = {
        f"{base}parks/{feature['properties']['slug']}/"
        for feature in starter
        if "software" in feature["properties"]["sectors"]
    }
    assert len(with_software) >= 9
    assert with_software <= set(found), with_software - set(found)
    assert base + "sectors/software/" in found
    headings = page.locator(".search-group h2").all_inner_texts()
    assert headings[0].startswith("园区") and any(heading.startswith("产业") for heading in headings)


@pytest.mark.browser
def test_pinyin_finds_a_city_page(page, starter_url):
    base = starter_url
    assert base + "cities/jinan/" in results(page, base, "search/", "jinan")
