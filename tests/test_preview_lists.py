"""A save redraws the pages that can show it and no others: an edit of a park's summary, figures
or level draws its page and the lists of cards again, not the finder, the compare page or the
policies and projects lists, which show only the park's name, city, sectors, contact and
district; and the preview still equals a fresh build, byte for byte, and reports every warning
of the files it did not read again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, write_site
from test_chains_projects import CHAIN, CHAIN_TEXT, PROJECT, PROJECT_TEXT
from test_investment_pages import DAY, INVESTMENT_SITE
from test_preview import tree

from sitegen.build import Pipeline, check
from sitegen.content.model import Park
from sitegen.publish.plan import PARK_FIELDS_LISTED
from sitegen.publish.store import MemoryStore
from sitegen.render.pages import Renderer, Route

QILU = "content/parks/qilu-software-park.md"
YANTAI = "content/parks/yantai-biotech-park.md"
FEW_FIELDS_PAGES = ["find/index.html", "compare/index.html", "policies/index.html", "projects/index.html"]
SITE = {
    **MINIMAL_SITE,
    **INVESTMENT_SITE,
    CHAIN: CHAIN_TEXT,
    CHAIN.replace(".md", ".en.md"): "Software chain.\n",
    PROJECT: PROJECT_TEXT,
}

OTHER_FACTS = {
    "level": ("sectors: [software]\n", "sectors: [software]\nlevel: provincial\nkind: incubator\n"),
    "summary": ("济南高新区内的软件园", "济南的软件园"),
    "costs": ("value: 3.9, unit: 元/吨", "value: 4.1, unit: 元/吨"),
    "location": ("{lat: 36.666, lon: 117.134}", "{lat: 36.67, lon: 117.13}"),
    "more": (
        "contact:",
        "operator: {zh: 高新区, en: High-tech Zone}\nestablished: 2001\n"
        "area_km2: 12.5\nwebsite: https://example.org/\nupdated: 2026-01-02\n"
        "alliance: {member: true, batch: 1, joined: 2020-09-20}\n"
        "key_enterprises: [{zh: 浪潮, en: Inspur}]\n"
        "figures:\n  - {label: {zh: 企业, en: Firms}, value: 5, unit: {zh: 家, en: firms}, year: 2024,"
        " source: {zh: 济南日报, en: Jinan Daily}}\n"
        "landing:\n  steps: [{title: {zh: 洽谈, en: Talks}}]\n  source: {publication: {zh: 济南日报, en: Jinan Daily}}\n"
        "contact:",
    ),
}
"""Edits of a park's facts that the pages of FEW_FIELDS_PAGES do not show."""
NOT_EDITED = {"slug", "body", "source_path", "children", "parent", "cover", "cover_alt"}
"""Park fields the edits above leave alone: a new slug is another park, the body is no fact,
`children` follows another park's `parent` (edited in the site below) and a cover needs an
image."""


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)


def edited(files: dict[str, str], edits: list[tuple[str, str]]) -> dict[str, str]:
    """The site with the edits made to the Chinese file of Qilu Software Park."""
    park = files[QILU]
    for old, new in edits:
        assert old in park, old
        park = park.replace(old, new, 1)
    return {**files, QILU: park}


def test_the_pages_listing_few_fields_of_a_park_do_not_show_its_other_facts(tmp_path, run):
    edits = list(OTHER_FACTS.values())
    unparented = {YANTAI: MINIMAL_SITE[YANTAI].replace("parent: qilu-software-park\n", "")}
    before = write_site(tmp_path / "before", SITE)
    after = write_site(tmp_path / "after", {**edited(SITE, edits), **unparented})
    for site in (before, after):
        assert run("build", "-s", str(site))[0] == 0, run("check", "-s", str(site))

    shown, expected = tree(after / "build"), tree(before / "build")
    for page in FEW_FIELDS_PAGES:
        for lang in ("", "en/"):
            assert shown[lang + page] == expected[lang + page], f"{lang + page} shows a fact it is not redrawn for"
    assert shown["parks/qilu-software-park/index.html"] != expected["parks/qilu-software-park/index.html"]
    edited_fields = {"level", "kind", "summary", "costs", "lat", "lon", "operator", "established"}
    edited_fields |= {"area_km2", "website", "updated", "membership", "key_enterprises", "figures", "landing"}
    every_field = {field.name for field in dataclasses.fields(Park)}
    assert every_field - set(PARK_FIELDS_LISTED) - NOT_EDITED == edited_fields, "edit the new field above too"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """The (kind, slug) of every page drawn, in any language."""
    pages: list[tuple[str, str | None]] = []
    draw = Renderer.render_route

    def record(renderer: Renderer, route: Route, lang: str) -> object:
        pages.append((route.kind, route.slug))
        return draw(renderer, route, lang)

    monkeypatch.setattr(Renderer, "render_route", record)
    return pages


def saved(site: Path, edits: list[tuple[str, str]]) -> set[Path]:
    file = site / QILU
    text = file.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    return {file}


@pytest.mark.parametrize(
    ("edit", "finder_drawn"),
    [
        ([OTHER_FACTS["summary"]], False),
        ([OTHER_FACTS["level"]], False),
        ([("齐鲁软件园", "齐鲁软件园区")], True),
        ([("0531-88888888", "0531-66666666")], True),
    ],
    ids=["summary", "level", "name", "contact"],
)
def test_a_save_draws_the_finder_only_when_it_shows_what_changed(tmp_path, run, drawn, edit, finder_drawn):
    site = write_site(tmp_path / "site", SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.complete()
    before = tree(tmp_path / "preview" / "site")
    drawn.clear()

    preview.run(saved(site, edit))
    preview.complete()

    assert ("park", "qilu-software-park") in drawn
    assert ("parks", None) in drawn
    assert (("find", None) in drawn) is finder_drawn
    assert (("policies", None) in drawn) is finder_drawn
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    shown, expected = tree(tmp_path / "preview" / "site"), tree(tmp_path / "fresh")
    assert shown == expected
    assert (shown["find/index.html"] != before["find/index.html"]) is finder_drawn


def test_a_body_save_draws_only_the_parks_own_pages(tmp_path, run, drawn):
    site = write_site(tmp_path / "site", SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.complete()
    drawn.clear()

    preview.run(saved(site, [("齐鲁软件园位于济南高新区。", "齐鲁软件园位于济南高新区，靠近机场。")]))

    assert set(drawn) == {("park", "qilu-software-park")}
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_after_a_save_the_warnings_of_the_files_not_read_again_are_reported_again(tmp_path):
    twin = MINIMAL_SITE[YANTAI].replace("山东国际生物科技园", "齐鲁软件园").replace("parent: qilu-software-park", "")
    site = write_site(
        tmp_path / "site",
        {
            **SITE,
            "content/parks/qilu-twin-park.md": twin,  # a duplicate-park warning
            "themes/default/templates/parks_old.html": "{{ 1 }}",  # a theme override no template has
        },
    )
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    first = preview.run()
    preview.complete()

    again = preview.run(saved(site, [OTHER_FACTS["summary"]]))

    def described(warnings: list) -> list[tuple[str, int, str]]:
        return sorted((problem.path, problem.line or 0, problem.message) for problem in warnings)

    expected = described(check(site).warnings)
    assert described(again.warnings) == described(first.warnings) == expected
    paths = {path for path, _, _ in expected}
    assert {"content/parks/qilu-twin-park.md", "themes/default/templates/parks_old.html"} <= paths
    assert "content/policies/yantai-expired.md" in paths
