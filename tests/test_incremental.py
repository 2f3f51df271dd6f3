"""Rebuilding after an edit: only the pages showing the edited entry are drawn and only changed
files are written, yet `build/` ends up byte for byte what a build from scratch makes."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, theme_override, write_site
from test_build import FIXED_DAY, digest_tree
from test_chains_projects import CHAIN, CHAINS_SITE, PROJECT
from test_investment_pages import DAY as INVESTMENT_DAY
from test_investment_pages import INVESTMENT_SITE

from sitegen.build import load_site
from sitegen.cli import main
from sitegen.content import sources, validate
from sitegen.content.config import Environment
from sitegen.render import parallel as drawing
from sitegen.render.pages import Renderer, data_paths
from sitegen.workers import shared_with_forks

QILU = "content/parks/qilu-software-park.md"
YANTAI = "content/parks/yantai-biotech-park.md"
EVENT = "content/events/alliance-founding.md"


def replaced(path: str, old: str, new: str) -> dict[str, str]:
    text = MINIMAL_SITE[path]
    assert old in text
    return {path: text.replace(old, new)}


EDITS = {
    "a park's body": replaced(QILU, "是软件产业基地。", "是国家级软件产业基地。"),
    "a park's city": replaced(YANTAI, "city: yantai", "city: jinan"),
    "a park's sectors": replaced(YANTAI, "sectors: [biomedicine, software]", "sectors: [biomedicine]"),
    "a park's parent": replaced(YANTAI, "parent: qilu-software-park\n", ""),
    "an event's parks": replaced(EVENT, "parks: [qilu-software-park]", "parks: [yantai-biotech-park]"),
    "an English body": {"content/parks/qilu-software-park.en.md": "---\n---\nA new English text.\n"},
    "a new park": {
        "content/parks/weifang-park.md": MINIMAL_SITE[YANTAI]
        .replace("山东国际生物科技园", "潍坊园区")
        .replace("Shandong International Biotech Park", "Weifang Park")
    },
    "a deleted park": {YANTAI: None},
    "a deleted event": {EVENT: None, "content/events/alliance-founding.en.md": None},
    "the sectors": {"content/sectors.yaml": MINIMAL_SITE["content/sectors.yaml"].replace("生物医药", "生物医药产业")},
}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_DAY)


def modification_times(folder: Path) -> dict[str, int]:
    return {
        file.relative_to(folder).as_posix(): file.stat().st_mtime_ns for file in folder.rglob("*") if file.is_file()
    }


def build_in_process(site: Path) -> None:
    """`sitegen build -s site` as the `run` fixture runs it, for the module's own fixtures."""
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        assert main(["build", "-s", str(site)]) == 0, said.getvalue()


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """built_once(name): a site of SITES_BUILT_ONCE as its first build left it, built once for the
    module. A build records the folder it was made in and a build elsewhere starts from scratch,
    so every test gets the site back in that folder: a copy with each file's bytes and
    modification time, which is what the next build compares."""
    place = tmp_path_factory.mktemp("incremental") / "site"
    kept: dict[str, Path] = {}

    def built(name: str) -> Path:
        if name not in kept:
            site_files, day = SITES_BUILT_ONCE[name]
            shutil.rmtree(place, ignore_errors=True)
            write_site(place, site_files)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SOURCE_DATE_EPOCH", day)
                build_in_process(place)
            kept[name] = place.with_name(f"built-{name}")
            shutil.copytree(place, kept[name], symlinks=True)
        shutil.rmtree(place, ignore_errors=True)
        shutil.copytree(kept[name], place, symlinks=True)
        return place

    return built


@pytest.fixture(scope="module")
def from_scratch(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, str | None]], dict[str, str]]:
    """from_scratch(files): digest_tree of build/ of a new site of these files, built on the day
    set. Several tests compare with the same site: each is built once for the module."""
    digests: dict[str, dict[str, str]] = {}

    def digest(site_files: dict[str, str | None]) -> dict[str, str]:
        key = json.dumps([os.environ["SOURCE_DATE_EPOCH"], site_files], sort_keys=True)
        if key not in digests:
            fresh = write_site(tmp_path_factory.mktemp("fresh") / "site", site_files)
            build_in_process(fresh)
            digests[key] = digest_tree(fresh / "build")
        return digests[key]

    return digest


@pytest.mark.parametrize("edit", EDITS)
def test_a_rebuild_after_an_edit_equals_a_build_from_scratch(edit, built_once, from_scratch, run):
    site = built_once("minimal")
    write_site(site, EDITS[edit])
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert digest_tree(site / "build") == from_scratch({**MINIMAL_SITE, **EDITS[edit]})


def test_a_body_edit_writes_only_that_pages_file_and_the_search_index(built_once, run):
    site = built_once("minimal")
    before = modification_times(site / "build")
    write_site(site, EDITS["a park's body"])
    code, out, _ = run("build", "-s", str(site))
    after = modification_times(site / "build")
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert {path for path in rewritten if not path.startswith("pagefind/")} == {"parks/qilu-software-park/index.html"}
    assert f"{len(rewritten)} changed" in out
    assert "国家级软件产业基地" in (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")


def test_a_page_changed_by_hand_in_build_is_restored_by_the_next_build(built_once, run):
    site = built_once("minimal")
    tampered = site / "build/en/parks/yantai-biotech-park/index.html"
    original = tampered.read_bytes()
    tampered.write_bytes(b"edited by hand")
    write_site(site, EDITS["a park's body"])
    assert run("build", "-s", str(site))[0] == 0
    assert tampered.read_bytes() == original


def test_a_download_deleted_by_hand_is_made_again_by_a_build_after_a_body_edit(built_once, from_scratch, run):
    site = built_once("minimal")
    (site / "build/data/parks.csv").unlink()  # a body edit alone leaves the downloads as they were
    write_site(site, EDITS["a park's body"])
    assert run("build", "-s", str(site))[0] == 0
    assert digest_tree(site / "build") == from_scratch({**MINIMAL_SITE, **EDITS["a park's body"]})


def test_downloads_feeds_and_the_sitemap_show_no_entry_s_body(tmp_path, run, monkeypatch):
    """What lets a build after body edits alone keep them as they were."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    rewritten = {
        path: text.split("\n---\n", 1)[0] + "\n---\n另一段正文。\n"
        for path, text in {**MINIMAL_SITE, **INVESTMENT_SITE}.items()
        if path.startswith("content/") and path.endswith(".md") and isinstance(text, str) and "\n---\n" in text
    }
    made = []
    for content in ({**MINIMAL_SITE, **INVESTMENT_SITE}, {**MINIMAL_SITE, **INVESTMENT_SITE, **rewritten}):
        site = write_site(tmp_path / f"site{len(made)}", content)
        code, _, err = run("build", "-s", str(site))
        assert code == 0, err
        paths = data_paths(load_site(site, strict=False, environment=Environment())[0])
        made.append({path: (site / "build" / path).read_bytes() for path in paths})
    assert len(rewritten) > 5 and made[0] == made[1]


def test_after_an_interrupted_build_the_next_one_checks_every_file(built_once, from_scratch, run):
    site = built_once("minimal")
    (site / ".sitegen-cache/written.json").unlink()  # what a build stopped while writing leaves
    (site / "build/parks/qilu-software-park/index.html").write_bytes(b"half a pa")
    (site / "build/parks/stray.html").write_bytes(b"left over")
    write_site(site, EDITS["a park's body"])
    assert run("build", "-s", str(site))[0] == 0
    assert digest_tree(site / "build") == from_scratch({**MINIMAL_SITE, **EDITS["a park's body"]})


def test_a_template_edit_redraws_every_page(built_once, run):
    site = built_once("minimal")
    footer = theme_override(site, "templates/base.html")
    footer.write_text(footer.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"), encoding="utf-8")
    assert run("build", "-s", str(site))[0] == 0
    pages = list((site / "build").rglob("*.html"))
    assert pages and all("<!-- edited -->" in page.read_text(encoding="utf-8") for page in pages)


def test_templates_compiled_by_the_last_build_are_used_unless_edited_or_damaged(tmp_path):
    """`build` keeps the compiled templates; a damaged one is compiled again, an edited one too."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)

    def build() -> None:
        command = [sys.executable, "-m", "sitegen", "build", "-s", str(site)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr

    build()
    compiled = list((site / ".sitegen-cache").glob("templates-*/*"))
    assert len(compiled) >= 10
    for number, kept in enumerate(compiled):
        kept.write_bytes(b"" if number % 2 else os.urandom(300))
    footer = theme_override(site, "templates/base.html")
    footer.write_text(footer.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"), encoding="utf-8")
    build()
    pages = list((site / "build").rglob("*.html"))
    assert pages and all("<!-- edited -->" in page.read_text(encoding="utf-8") for page in pages)


def test_a_rebuild_with_the_maps_kept_does_not_import_folium(tmp_path):
    """Folium costs a third of a second to import; the shapes of map it drew are kept."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)

    def build() -> str:
        command = [sys.executable, "-X", "importtime", "-m", "sitegen", "build", "-s", str(site)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert "folium" in build()
    write_site(site, EDITS["a park's body"])
    assert "folium" not in build()


@pytest.fixture
def drawn_by_workers(monkeypatch):
    """Share even the minimal site's pages out to forked workers, as a large site's are."""
    monkeypatch.setattr(drawing, "_PARALLEL_FROM", 1)


def test_pages_drawn_by_workers_are_the_pages_drawn_here(tmp_path, run, monkeypatch):
    here = write_site(tmp_path / "here", MINIMAL_SITE)
    assert run("build", "-s", str(here))[0] == 0
    monkeypatch.setattr(drawing, "_PARALLEL_FROM", 1)
    workers = write_site(tmp_path / "workers", MINIMAL_SITE)
    assert run("build", "-s", str(workers))[0] == 0
    assert digest_tree(workers / "build") == digest_tree(here / "build")


@pytest.mark.parametrize("frozen_before", [False, True], ids=["a build", "a preview after its first run"])
def test_forking_workers_keeps_no_object_of_the_parent_beyond_its_life(frozen_before):
    class Node:
        pass

    if frozen_before:
        gc.collect()
        gc.freeze()
    try:
        node = Node()
        node.itself = node  # a cycle: only the cyclic collector frees it
        alive = weakref.ref(node)
        with shared_with_forks():
            pass
        del node
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()


def test_a_template_mistake_met_by_a_worker_is_reported_like_any_other(tmp_path, run, drawn_by_workers):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    template = theme_override(site, "templates/event.html")
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines, 1) if "{% block main %}" in text) + 1
    lines.insert(line - 1, "{{ event.no_such_field.name }}\n")
    template.write_text("".join(lines), encoding="utf-8")
    code, _, err = run("build", "-s", str(site))
    assert code == 1 and f"themes/default/templates/event.html:{line}:" in err and "Traceback" not in err


def test_the_markdown_cache_keeps_only_the_bodies_of_the_last_build(built_once, run):
    site = built_once("minimal")
    write_site(site, EDITS["a park's body"])
    assert run("build", "-s", str(site))[0] == 0
    kept = "".join(file.read_text(encoding="utf-8") for file in (site / ".sitegen-cache").glob("markdown-*.json"))
    assert "国家级软件产业基地" in kept and "是软件产业基地" not in kept


CHAIN_SITE = {**MINIMAL_SITE, **CHAINS_SITE}


def chain_site_replaced(path: str, old: str, new: str) -> dict[str, str]:
    text = CHAIN_SITE[path]
    assert old in text
    return {path: text.replace(old, new)}


CHAIN_EDITS = {
    "a chain's link name": chain_site_replaced(CHAIN, "{zh: 芯片设计, en: Chip design}", "{zh: 芯片, en: Chips}"),
    "a chain's host parks": chain_site_replaced(
        CHAIN, "parks: [qilu-software-park]", "parks: [qilu-software-park, yantai-biotech-park]"
    ),
    "a chain's body": {CHAIN.replace(".md", ".en.md"): "The software chain, rewritten.\n"},
    "a project's amount": chain_site_replaced(PROJECT, "investment: 58", "investment: 60.5"),
    "a project's stage": chain_site_replaced(PROJECT, "stage: under-construction", "stage: in-production"),
    "a deleted project": {PROJECT: None},
    "a park named by a chain": replaced(
        QILU, "齐鲁软件园, en: Qilu Software Park", "齐鲁软件园区, en: Qilu Software Parks"
    ),
}


@pytest.mark.parametrize("edit", CHAIN_EDITS)
def test_a_rebuild_after_a_chain_or_project_edit_equals_a_build_from_scratch(edit, built_once, from_scratch, run):
    site = built_once("chains")
    write_site(site, CHAIN_EDITS[edit])
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert digest_tree(site / "build") == from_scratch({**CHAIN_SITE, **CHAIN_EDITS[edit]})


def test_a_build_reads_again_only_the_files_changed_since_the_last(tmp_path, run, monkeypatch, settle):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    settle()
    assert run("build", "-s", str(site))[0] == 0
    write_site(site, EDITS["a park's body"])
    read = []
    original = sources._read
    monkeypatch.setattr(sources, "_read", lambda file, *rest: read.append(Path(file).name) or original(file, *rest))
    assert run("build", "-s", str(site))[0] == 0
    assert read == ["qilu-software-park.md"]
    assert "国家级软件产业基地" in (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")


def test_a_build_checks_again_only_the_entries_changed_and_still_warns_of_the_others(
    tmp_path, run, monkeypatch, settle
):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    settle()
    code, _, err = run("build", "-s", str(site))
    warned = sorted(line for line in err.splitlines() if "yantai-biotech-park.md" in line)
    assert code == 0 and warned, err  # the park without an English text
    write_site(site, EDITS["a park's body"])
    checked = []
    original = validate._check_entry
    monkeypatch.setattr(
        validate, "_check_entry", lambda source, *rest: checked.append(source.slug) or original(source, *rest)
    )
    code, _, err = run("build", "-s", str(site))
    assert code == 0 and checked == ["qilu-software-park"]
    assert sorted(line for line in err.splitlines() if "yantai-biotech-park.md" in line) == warned


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(tmp_path, run, settle):
    """Tools that copy a file's time (cp -p, rsync -t, unzip) can give new bytes the old time."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    settle()
    assert run("build", "-s", str(site))[0] == 0
    park = site / QILU
    before = park.stat()
    text = park.read_text(encoding="utf-8")
    assert "是软件产业基地。" in text
    park.write_text(text.replace("是软件产业基地。", "是硬件产业基地。"), encoding="utf-8")
    os.utime(park, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert park.stat().st_size == before.st_size and park.stat().st_mtime_ns == before.st_mtime_ns
    settle()
    code, out, err = run("build", "-s", str(site))
    assert code == 0 and "up to date" not in out, err
    assert "是硬件产业基地" in (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")


RECORDS = {"last-build.json", "written.json"}
"""What the last build did, whose damage tests of their own cover; the rest are kept tables."""


def _damaged(value: object) -> object:
    """A value of the same kind and the wrong shape."""
    if isinstance(value, list) and len(value) == 5:
        return [*value[:4], "zz"]  # an input digest
    return 5


@pytest.mark.parametrize("damage", ["not JSON", '{"x": 5}', "[]", "{}", "wrong shapes"])
def test_damaged_kept_tables_are_read_again(tmp_path, run, settle, from_scratch, damage):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    settle()
    assert run("build", "-s", str(site))[0] == 0
    tables = [kept for kept in (site / ".sitegen-cache").glob("*.json") if kept.name not in RECORDS]
    assert len(tables) >= 5
    for kept in tables:
        if damage == "wrong shapes":
            entries = json.loads(kept.read_text(encoding="utf-8"))
            text = json.dumps({name: _damaged(value) for name, value in entries.items()})
        else:
            text = damage
        kept.write_text(text, encoding="utf-8")
    # the files as read and checked: cut short, or another Python value kept in their place
    [reading] = (site / ".sitegen-cache").glob("reading-*.pickle")
    kept_bytes = reading.read_bytes()
    if damage == "not JSON":
        reading.write_bytes(kept_bytes[: len(kept_bytes) // 2])
    else:
        reading.write_bytes(pickle.dumps(("documents", 5) if damage == "wrong shapes" else json.loads(damage)))
    write_site(site, EDITS["a park's body"])
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    assert digest_tree(site / "build") == from_scratch({**MINIMAL_SITE, **EDITS["a park's body"]})


INVESTED = {**MINIMAL_SITE, **INVESTMENT_SITE}
SITES_BUILT_ONCE = {
    "minimal": (MINIMAL_SITE, FIXED_DAY),
    "chains": (CHAIN_SITE, FIXED_DAY),
    "invested": (INVESTED, INVESTMENT_DAY),
}
"""The sites `built_once` builds, with the day each is built on."""
PLOT = "content/sites/qilu-plot-a.md"
JINAN_GRANT = "content/policies/jinan-settling-grant.md"
BIOTECH_HELP = "content/policies/biotech-help.md"
YANTAI_EXPIRED = "content/policies/yantai-expired.md"
PARK_LANDING = """\
landing:
  steps: [{title: {zh: 园区洽谈, en: Talks with the park}, duration: {zh: 一周, en: a week}}]
  source: {publication: {zh: 园区管委会, en: Park committee}}
"""
ALLIANCE_POLICY = """\
    ---
    title: {zh: 联盟招商奖励, en: Alliance investment reward}
    issuer: {zh: 青企峰会办公室, en: Summit office}
    scope: {alliance: true}
    source: {publication: {zh: 济南日报}}
    ---
    """


def invested_replaced(path: str, old: str, new: str) -> dict[str, str]:
    text = INVESTED[path]
    assert old in text
    return {path: text.replace(old, new)}


INVESTMENT_EDITS = {
    "a site's price": invested_replaced(PLOT, "{value: 30, unit: 万元/亩}", "{value: 28, unit: 万元/亩}"),
    "a site's status": invested_replaced(PLOT, "status: available", "status: sold"),
    "a site's body": {PLOT: INVESTED[PLOT] + "地块临近高速出口。\n"},
    "a site moved to another park": invested_replaced(PLOT, "park: qilu-software-park", "park: yantai-biotech-park"),
    "a new site": {"content/sites/yantai-plot.md": INVESTED[PLOT].replace("qilu-software-park", "yantai-biotech-park")},
    "a deleted site": {PLOT: None},
    "a policy's benefit": invested_replaced(JINAN_GRANT, "amount: 500 万元", "amount: 800 万元"),
    "a policy's city": invested_replaced(JINAN_GRANT, "cities: [jinan]", "cities: [yantai]"),
    "a policy's body": {JINAN_GRANT: INVESTED[JINAN_GRANT] + "申请材料见附件。\n"},
    "a policy's sector": invested_replaced(BIOTECH_HELP, "sectors: [biomedicine]", "sectors: [software]"),
    "a policy no longer expired": invested_replaced(YANTAI_EXPIRED, "until: 2025-12-31", "until: 2027-12-31"),
    "a new alliance policy": {"content/policies/alliance-reward.md": ALLIANCE_POLICY},
    "a deleted policy": {JINAN_GRANT: None},
    "a park's city, under a city's policy": replaced(YANTAI, "city: yantai", "city: jinan"),
    "a city's cost": invested_replaced("content/cities.yaml", "value: 2200", "value: 2300"),
    "a park's own cost": invested_replaced(QILU, "value: 3.9", "value: 3.5"),
    "a park's own costs removed": invested_replaced(
        QILU,
        "costs:\n  - {item: water, value: 3.9, unit: 元/吨, year: 2025, source: {zh: 园区管委会, en: Park committee}}\n",
        "",
    ),
    "the landing process": invested_replaced("content/landing.yaml", "en: Tripartite agreement}", "en: Agreement}"),
    "a park's own landing process": invested_replaced(QILU, "---\n齐鲁", PARK_LANDING + "---\n齐鲁"),
}


@pytest.mark.parametrize("edit", INVESTMENT_EDITS)
def test_a_rebuild_after_a_site_or_policy_edit_equals_a_build_from_scratch(
    edit, built_once, from_scratch, run, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = built_once("invested")
    write_site(site, INVESTMENT_EDITS[edit])
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert digest_tree(site / "build") == from_scratch({**INVESTED, **INVESTMENT_EDITS[edit]})


@pytest.fixture
def drawn_routes(monkeypatch):
    """The (kind, slug) of every page drawn, in any language."""
    drawn: set[tuple[str, str | None]] = set()
    original = Renderer.render_route
    monkeypatch.setattr(
        Renderer,
        "render_route",
        lambda self, route, lang: drawn.add((route.kind, route.slug)) or original(self, route, lang),
    )
    return drawn


def both_parks(*kinds: tuple[str, str | None]) -> set[tuple[str, str | None]]:
    return {("park", "qilu-software-park"), ("park", "yantai-biotech-park"), *kinds}


FIND, POLICIES = ("find", None), ("policies", None)
DRAWN_AFTER = {
    "a site's price": {("park", "qilu-software-park"), FIND},
    "a site's body": {("park", "qilu-software-park"), FIND},
    "a site moved to another park": both_parks(FIND),
    "a policy's benefit": {("policy", "jinan-settling-grant"), ("park", "qilu-software-park"), POLICIES, FIND},
    "a policy's body": {("policy", "jinan-settling-grant")},
    "a policy's city": both_parks(("policy", "jinan-settling-grant"), POLICIES, FIND),
    "a policy's sector": both_parks(("policy", "biotech-help"), POLICIES, FIND),
    "a policy no longer expired": {("policy", "yantai-expired"), ("park", "yantai-biotech-park"), POLICIES, FIND},
    "a new alliance policy": both_parks(("policy", "alliance-reward"), POLICIES, FIND),
}


@pytest.mark.parametrize("edit", DRAWN_AFTER)
def test_a_site_or_policy_edit_draws_only_the_pages_that_show_it(edit, built_once, run, monkeypatch, drawn_routes):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = built_once("invested")
    drawn_routes.clear()  # of the first build, if it was this test that asked for it
    write_site(site, INVESTMENT_EDITS[edit])
    assert run("build", "-s", str(site))[0] == 0
    assert drawn_routes == DRAWN_AFTER[edit]


def test_a_site_edit_leaves_every_file_that_does_not_show_it_alone(built_once, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = built_once("invested")
    before = {path: (file.stat().st_mtime_ns, file.stat().st_ino) for path, file in built_files(site / "build")}
    write_site(site, INVESTMENT_EDITS["a site's price"])
    assert run("build", "-s", str(site))[0] == 0
    after = {path: (file.stat().st_mtime_ns, file.stat().st_ino) for path, file in built_files(site / "build")}
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert {path for path in rewritten if not path.startswith("pagefind/")} == {
        "parks/qilu-software-park/index.html",
        "en/parks/qilu-software-park/index.html",
        "find/index.html",
        "en/find/index.html",
        "data/sites.csv",
        "data/sites.geojson",
    }
    assert "28万元/亩" in (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")


def built_files(folder: Path) -> list[tuple[str, Path]]:
    return [(file.relative_to(folder).as_posix(), file) for file in folder.rglob("*") if file.is_file()]


def test_a_build_after_build_was_deleted_keeps_the_files_as_read_and_checked(tmp_path, run, settle):
    """Nothing was edited: the events, chains and projects checked by the last build are kept,
    though this build read the settings afresh, and the cache of them is not written again."""
    site = write_site(tmp_path / "site", {**MINIMAL_SITE, **CHAINS_SITE})
    settle()
    assert run("build", "-s", str(site))[0] == 0
    [reading] = (site / ".sitegen-cache").glob("reading-*.pickle")
    written = reading.stat()
    shutil.rmtree(site / "build")
    assert run("build", "-s", str(site))[0] == 0
    again = reading.stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
