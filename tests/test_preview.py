"""The preview runs the build pipeline after every save: whatever an editor changes, the
preview's folder must then hold exactly the files a fresh `sitegen build` of the same content
writes, byte for byte, search index included."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, theme_override, write_site
from test_chains_projects import CHAIN, CHAINS_SITE, PROJECT, PROJECT_TEXT
from test_incremental import INVESTMENT_DAY, INVESTMENT_EDITS
from test_investment_pages import INVESTMENT_SITE

from sitegen.build import Pipeline
from sitegen.content import files, sources
from sitegen.errors import SiteError
from sitegen.publish.cache import BuildCache
from sitegen.publish.store import MemoryStore

PARK = "content/parks/qilu-software-park.md"
NEW_PARK = """\
---
name: {zh: 威海火炬高新区, en: Weihai Torch Hi-tech Zone}
city: yantai
location: {lat: 37.40, lon: 121.50}
sectors: [software]
---
新园区的介绍。
"""
NEW_EVENT = """\
---
title: {zh: 园区推介会, en: Park promotion day}
date: 2026-03-01
kind: promotion
parks: [qilu-software-park]
---
推介会。
"""
NEW_PAGE = """\
---
title: {zh: 联系我们, en: Contact}
menu: 2
---
联系方式。
"""


def replace(site: Path, relative: str, old: str, new: str) -> Path:
    file = site / relative if not relative.startswith("theme:") else theme_override(site, relative[len("theme:") :])
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return file


def write(site: Path, relative: str, text: str | bytes) -> Path:
    file = site / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return file


def delete(site: Path, relative: str) -> Path:
    file = site / relative
    file.unlink()
    return file


EDITS = {
    # what an editor does: a function of the site folder returning the paths it saved
    "facts of a park": lambda site: [replace(site, PARK, "level: national", "level: provincial")],
    "a park's summary": lambda site: [replace(site, PARK, "济南高新区内的软件园", "济南的软件园")],
    "a park's body": lambda site: [replace(site, PARK, "是软件产业基地。", "是软件和信息服务基地。")],
    "an English body": lambda site: [replace(site, "content/parks/qilu-software-park.en.md", "lies in", "is part of")],
    "a new park": lambda site: [write(site, "content/parks/weihai-torch-zone.md", NEW_PARK)],
    "a deleted park": lambda site: [
        delete(site, "content/parks/yantai-biotech-park.md"),
    ],
    "a new event": lambda site: [write(site, "content/events/2026-03-01-promotion-day.md", NEW_EVENT)],
    "a deleted event": lambda site: [
        delete(site, "content/events/alliance-founding.md"),
        delete(site, "content/events/alliance-founding.en.md"),
    ],
    "a new page": lambda site: [write(site, "content/pages/contact.md", NEW_PAGE)],
    "a deleted page": lambda site: [delete(site, "content/pages/about.md"), delete(site, "content/pages/about.en.md")],
    "a new image": lambda site: [write(site, "content/media/gate.png", b"\x89PNG\r\n\x1a\nnew")],
    "an edited image": lambda site: [write(site, "content/media/logo.png", b"\x89PNG\r\n\x1a\nedited")],
    "a deleted image": lambda site: [delete(site, "content/media/logo.png")],
    "a park card template": lambda site: [
        replace(site, "theme:templates/park_card.html", 'class="park-card"', 'class="park-card x"')
    ],
    "a map table row template": lambda site: [replace(site, "theme:templates/park_row.html", "<tr ", '<tr class="x" ')],
    "a UI string": lambda site: [replace(site, "theme:i18n.yaml", "en: National}", "en: National level}")],
    "a static file of the theme": lambda site: [replace(site, "theme:static/css/site.css", "body", "body ")],
    "an override removed": lambda site: [
        replace(site, "theme:templates/base.html", "</body>", "<!-- edited --></body>"),
        delete(site, "themes/default/templates/base.html"),
    ],
    "a sector's colour": lambda site: [replace(site, "content/sectors.yaml", "#1565c0", "#0d47a1")],
    "a site setting": lambda site: [replace(site, "content/site.yaml", "园区与产业", "园区与产业链")],
}


def tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_preview_equals_a_build(site: Path, tmp_path: Path, run) -> None:
    """The preview's folder holds what a fresh `sitegen build` of the site makes, byte for byte."""
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    shown, expected = tree(tmp_path / "preview" / "site"), tree(tmp_path / "fresh")
    assert sorted(shown.keys() ^ expected.keys()) == []
    assert [path for path in expected if shown[path] != expected[path]] == []


def held_late_work(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(making, release): the preview's late work, once it starts making its files, waits for
    `release`; `making` says it has started."""
    making, release = threading.Event(), threading.Event()
    make_late = MemoryStore.make_late

    def held(store: MemoryStore, late: object) -> object:
        making.set()
        release.wait(60)
        return make_late(store, late)

    monkeypatch.setattr(MemoryStore, "make_late", held)
    return making, release


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture
def site_with_media(make_site):
    return make_site({"content/media/logo.png": b"\x89PNG\r\n\x1a\nlogo"})


@pytest.mark.parametrize("edit", EDITS)
def test_after_a_save_the_preview_equals_a_fresh_build(site_with_media, tmp_path, run, edit):
    site = site_with_media
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.run(set(EDITS[edit](site)))
    preview.complete()

    assert_preview_equals_a_build(site, tmp_path, run)


def test_a_series_of_saves_keeps_the_preview_equal_to_a_build(site_with_media, tmp_path, run):
    site = site_with_media
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    for number, edit in enumerate(EDITS.values()):
        preview.run(set(edit(site)))
        if number % 2:  # the next run finishes what this one left, as the preview's server does
            preview.complete()
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_what_was_saved_while_the_content_was_broken_is_in_the_preview_once_fixed(site_with_media, tmp_path, run):
    """A save of the theme's stylesheet, a template or a picture while a park cannot be read is
    seen by a run that fails; the run after the fix, a save of the park alone, still brings
    them in."""
    site = site_with_media
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.complete()
    broken = replace(site, PARK, "city: jinan", "city: jinnan")
    saves = [
        replace(site, "theme:static/css/site.css", "body", "body "),
        replace(site, "theme:templates/base.html", "</footer>", "<p>页脚</p></footer>"),
        write(site, "content/media/gate.png", b"\x89PNG\r\n\x1a\ngate"),
    ]
    for saved in (broken, *saves):
        with pytest.raises(SiteError):
            preview.run({saved})
    preview.run({replace(site, PARK, "city: jinnan", "city: jinan")})
    preview.complete()

    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_a_save_of_a_park_keeps_the_hosted_editors_settings_as_a_build_makes_them(make_site, tmp_path, run):
    """/admin/config.json names the parks and chains an editor picks from."""
    from test_cms_hosted import HOSTED

    site = make_site({"content/site.yaml": HOSTED})
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.run({replace(site, "content/parks/yantai-biotech-park.md", "山东国际生物科技园", "烟台国际生物科技园")})
    preview.complete()

    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    shown, expected = tmp_path / "preview" / "site" / "admin", tmp_path / "fresh" / "admin"
    assert tree(shown) == tree(expected)
    assert "烟台国际生物科技园" in (shown / "config.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("first_completion", ["fails", "has not run when the next save comes"])
def test_a_save_of_text_after_a_save_of_facts_not_completed_leaves_the_preview_equal_to_a_build(
    site_with_media, tmp_path, run, monkeypatch, first_completion
):
    """A save's downloads, QR codes and brochures follow its reload; when that part fails, or a
    second save comes before it runs, the next completion still makes what the first owed."""
    from sitegen.publish import store

    site = site_with_media
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.complete()
    preview.run({replace(site, PARK, "summary: {zh: ", "summary: {zh: 国家级")})  # a fact: in parks.csv
    if first_completion == "fails":
        indexing = store.search_outputs

        def fails_once(*arguments):
            monkeypatch.setattr(store, "search_outputs", indexing)
            raise OSError("the search indexer stopped")

        monkeypatch.setattr(store, "search_outputs", fails_once)
        with pytest.raises(OSError):
            preview.complete()
    preview.run({replace(site, PARK, "是软件产业基地。", "是国家级软件产业基地。")})  # text alone
    preview.complete()

    assert_preview_equals_a_build(site, tmp_path, run)


def test_a_save_while_the_late_work_is_made_is_not_held_up_and_the_preview_ends_as_a_build(
    site_with_media, tmp_path, run, monkeypatch
):
    """The first build's brochures, downloads and search index are made while the editor may
    already save: the save's run does not wait for them. What they made is then out of date, so
    it is not published but made again with what the save owes, and the preview ends as a
    fresh build does. The pages say the rest is coming until it is there."""
    from sitegen.preview.server import Preview

    site = site_with_media
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    make_late = MemoryStore.make_late
    making, release = held_late_work(monkeypatch)
    overtaken: list[bool] = []
    late_work = threading.Thread(target=lambda: overtaken.append(preview.complete()))
    late_work.start()
    try:
        assert making.wait(60)
        assert preview.rebuild({replace(site, PARK, "summary: {zh: ", "summary: {zh: 国家级")}) is not None
        assert preview.pipeline.store.pending
    finally:
        release.set()
        late_work.join(60)
    assert overtaken == [False]  # nothing published, no reload asked for
    assert preview.pipeline.store.pending
    monkeypatch.setattr(MemoryStore, "make_late", make_late)
    assert preview.complete() is True  # the pages said the rest was coming: the browsers reload
    assert not preview.pipeline.store.pending

    assert_preview_equals_a_build(site, tmp_path, run)


def test_a_save_while_the_late_work_writes_its_files_is_not_held_up(site_with_media, tmp_path, run, monkeypatch):
    """The late files are written outside the preview's lock: at a thousand parks the first
    search index is thousands of new files, and the first save after `serve` started waited
    for them. No run writes those files, so a save goes on meanwhile."""
    from sitegen.preview.server import Preview
    from sitegen.publish import store

    site = site_with_media
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    writing, release = threading.Event(), threading.Event()
    write_in_place = store.write_in_place

    def held(outputs: list, *arguments: object) -> int:
        writing.set()
        release.wait(60)
        return write_in_place(outputs, *arguments)

    monkeypatch.setattr(store, "write_in_place", held)
    late_work = threading.Thread(target=preview.complete)
    late_work.start()
    saved: list[object] = []
    try:
        assert writing.wait(60)
        save = threading.Thread(
            target=lambda: saved.append(
                preview.rebuild({replace(site, PARK, "summary: {zh: ", "summary: {zh: 国家级")})
            )
        )
        save.start()
        save.join(30)
        assert saved and saved[0] is not None  # the save ran while the files were being written
    finally:
        release.set()
        late_work.join(60)
    monkeypatch.setattr(store, "write_in_place", write_in_place)
    preview.complete()

    assert_preview_equals_a_build(site, tmp_path, run)


def test_late_files_whose_writing_fails_half_way_are_written_after_the_next_save(
    site_with_media, tmp_path, run, monkeypatch, capsys
):
    """A full disk while the late files are written: what was written before the failure is
    recorded as written, and the rest is written with the next save's late work."""
    from sitegen.preview.server import Preview
    from sitegen.publish import store

    site = site_with_media
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    write_in_place = store.write_in_place

    def fails_half_way(outputs: list, *arguments: object) -> int:
        monkeypatch.setattr(store, "write_in_place", write_in_place)

        def until_full() -> Iterator[object]:
            yield from outputs[: len(outputs) // 2]
            raise OSError(28, "No space left on device")

        return write_in_place(until_full(), *arguments)

    monkeypatch.setattr(store, "write_in_place", fails_half_way)
    preview.complete()
    said = capsys.readouterr().out
    assert "No space left on device" in said and "free some space on the disk" in said
    assert "Traceback" not in said  # the disk, not a bug to report
    output = tmp_path / "preview" / "site"
    assert any(path.startswith("pagefind/") for path in tree(output))  # half of the files are there
    assert preview.rebuild({replace(site, PARK, "是软件产业基地。", "是国家级软件产业基地。")}) is not None
    preview.complete()

    assert_preview_equals_a_build(site, tmp_path, run)


def built_preview(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A `Preview` of the site with its first run and late work done, and nothing said yet."""
    from sitegen.preview.server import Preview

    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    preview.complete()
    capsys.readouterr()
    return preview


def test_a_save_on_a_full_disk_is_reported_as_such_and_the_next_save_mends_the_preview(
    site_with_media, tmp_path, run, monkeypatch, capsys
):
    """A full disk while a save's pages are written: the terminal says which file and what to
    do (save again), not that sitegen has a bug, and that the pages may show the save in part;
    the next save, with space again, leaves the preview as a build."""
    site = site_with_media
    preview = built_preview(site, tmp_path, capsys)
    write_bytes = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if path.name.endswith(".sitegen-tmp"):
            raise OSError(28, "No space left on device", str(path))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    assert preview.rebuild({replace(site, PARK, "是软件产业基地。", "是国家级软件产业基地。")}) is None
    said = capsys.readouterr().out
    assert "could not read or write" in said and "No space left on device" in said
    assert "free some space on the disk, then save again" in said and "show this save in part" in said
    assert "Traceback" not in said and "internal error" not in said
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    assert preview.rebuild({replace(site, PARK, "国家级软件", "国家级的软件")}) is not None
    preview.complete()

    assert_preview_equals_a_build(site, tmp_path, run)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs a device that is always full")
def test_a_disk_that_fills_is_reported_with_the_file_it_could_not_write_in_each_language(
    site_with_media, tmp_path, monkeypatch, capsys
):
    """A disk fills as the system says it does: the write fails with no file name on the error
    (Python names a file only when it cannot open it). The terminal still names the file that
    could not be written, and says "a file" in Chinese only in Chinese, in English only in English."""
    site = site_with_media
    preview = built_preview(site, tmp_path, capsys)
    write_bytes = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if path.name.endswith(".sitegen-tmp"):
            return write_bytes(Path("/dev/full"), data)  # the kernel's own "No space left on device"
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    assert preview.rebuild({replace(site, PARK, "是软件产业基地。", "是国家级软件产业基地。")}) is None
    chinese, english = capsys.readouterr().out.splitlines()[0].split(" / could not read or write ")
    assert "No space left on device" in english
    assert "一个文件" not in english and "a file" not in chinese
    assert str(tmp_path / "preview" / "site") in english  # the file, in the preview's folder


def test_the_cards_the_workers_drew_serve_the_next_save(site_with_media, tmp_path, run, monkeypatch):
    """A large site's first run draws its pages in forked workers; the parks' cards they draw
    are kept by the preview, so a save of one park's facts draws that park's cards and takes
    the others as they are, and the preview stays as a build."""
    from sitegen.render import parallel
    from sitegen.render.pages import Renderer

    site = site_with_media
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    least = parallel._PARALLEL_FROM
    monkeypatch.setattr(parallel, "_PARALLEL_FROM", 1)  # drawn by workers, as at a thousand parks
    preview.run()
    preview.complete()
    monkeypatch.setattr(parallel, "_PARALLEL_FROM", least)  # the save's few pages: drawn here
    drawn: list[str] = []
    draw = Renderer._draw

    def noting_cards(renderer: Renderer, template: str, context: dict) -> bytes:
        if template in ("park_card.html", "park_row.html"):
            drawn.append(context["park"].slug)
        return draw(renderer, template, context)

    monkeypatch.setattr(Renderer, "_draw", noting_cards)
    preview.run({replace(site, PARK, "summary: {zh: ", "summary: {zh: 国家级")})
    preview.complete()
    assert drawn and set(drawn) == {"qilu-software-park"}

    assert_preview_equals_a_build(site, tmp_path, run)


def test_a_save_of_the_ui_strings_while_a_saves_late_work_is_made_leaves_the_preview_as_a_build(
    site_with_media, tmp_path, run, monkeypatch
):
    """The late work draws nothing while a run may be drawing: a save of the UI strings, which
    forgets every drawn snippet, is not followed by snippets drawn with the strings before."""
    from sitegen.preview.server import Preview

    site = site_with_media
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    preview.complete()
    assert preview.rebuild({replace(site, PARK, "summary: {zh: ", "summary: {zh: 国家级")}) is not None
    forgotten, made = threading.Event(), threading.Event()
    make_late, render_caches = MemoryStore.make_late, Pipeline._render_caches

    def made_after_forgetting(store: MemoryStore, late: object) -> object:
        assert forgotten.wait(60)
        try:
            return make_late(store, late)
        finally:
            made.set()

    def forgetting_then_waiting(pipeline: Pipeline, shared_changed: bool) -> object:
        caches = render_caches(pipeline, shared_changed)
        if shared_changed:
            forgotten.set()
            assert made.wait(60)
        return caches

    monkeypatch.setattr(MemoryStore, "make_late", made_after_forgetting)
    monkeypatch.setattr(Pipeline, "_render_caches", forgetting_then_waiting)
    late_work = threading.Thread(target=preview.complete)
    late_work.start()
    assert preview.rebuild({replace(site, "theme:i18n.yaml", "en: National}", "en: National level}")}) is not None
    late_work.join(60)
    monkeypatch.setattr(MemoryStore, "make_late", make_late)
    monkeypatch.setattr(Pipeline, "_render_caches", render_caches)
    preview.complete()

    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_when_the_first_builds_late_work_fails_the_pages_stop_saying_it_is_coming(
    site_with_media, tmp_path, monkeypatch, capsys
):
    """The failure is reported, the browsers reload without the promise, and the work is tried
    again after the next save."""
    from sitegen.preview.server import Preview
    from sitegen.publish import store

    preview = Preview(site_with_media, tmp_path / "preview" / "site")
    preview.rebuild()
    assert preview.pipeline.store.pending
    indexing = store.search_outputs

    def fails(*arguments: object) -> None:
        raise OSError("the search indexer stopped")

    monkeypatch.setattr(store, "search_outputs", fails)
    assert preview.complete() is True  # the pages said it was coming: they reload
    assert "the search indexer stopped" in capsys.readouterr().out
    assert not preview.pipeline.store.pending
    monkeypatch.setattr(store, "search_outputs", indexing)
    assert preview.rebuild({replace(site_with_media, PARK, "是软件产业基地。", "是国家级软件产业基地。")}) is not None
    preview.complete()
    assert (tmp_path / "preview" / "site" / "pagefind" / "pagefind.js").is_file()


def test_late_work_that_fails_with_a_bug_is_made_again_and_the_preview_ends_as_a_build(
    site_with_media, tmp_path, run, monkeypatch, capsys
):
    """A bug while the late work draws the pages that link the brochures: reported, the work
    owed again, and made with the next save's."""
    from sitegen.preview.server import Preview
    from sitegen.render.pages import Renderer

    site = site_with_media
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    render_routes = Renderer.render_routes

    def fails_once(renderer: Renderer, routes: object) -> object:
        monkeypatch.setattr(Renderer, "render_routes", render_routes)
        raise RuntimeError("a bug while drawing")

    monkeypatch.setattr(Renderer, "render_routes", fails_once)
    assert preview.complete() is True  # the pages said it was coming: they reload without the promise
    assert "a bug while drawing" in capsys.readouterr().out
    assert not preview.pipeline.store.pending
    assert preview.rebuild({replace(site, PARK, "是软件产业基地。", "是国家级软件产业基地。")}) is not None
    preview.complete()

    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_a_preview_stopped_while_late_work_is_made_leaves_no_caches_half_changed(
    site_with_media, tmp_path, monkeypatch
):
    """Stopping waits for the late work a while; given up waiting, it does not save the caches
    the late work may still be changing."""
    from sitegen.preview import server
    from sitegen.preview.server import Preview

    preview = Preview(site_with_media, tmp_path / "preview" / "site")
    preview.rebuild()
    monkeypatch.setattr(server, "_LONGEST_WAIT_ON_CLOSE_S", 0.5)
    making, release = held_late_work(monkeypatch)
    leave_caches = MemoryStore.leave_caches
    left_while_making: list[bool] = []

    def leaving(store: MemoryStore) -> None:
        left_while_making.append(not release.is_set())
        leave_caches(store)

    monkeypatch.setattr(MemoryStore, "leave_caches", leaving)
    late_work = threading.Thread(target=preview.complete)
    late_work.start()
    assert making.wait(60)
    preview.close()
    release.set()
    late_work.join(60)
    assert left_while_making == []


def test_the_search_index_follows_the_edits(site_with_media, tmp_path):
    site = site_with_media
    output = tmp_path / "preview" / "site"
    preview = Pipeline(site, MemoryStore(output))
    preview.run()
    preview.complete()
    before = {path for path in tree(output) if path.startswith("pagefind/")}
    preview.run({replace(site, PARK, "是软件产业基地。", "是软件产业基地，也做动漫游戏。")})
    preview.complete()
    after = {path for path in tree(output) if path.startswith("pagefind/")}
    assert before != after  # the changed part of the index was written anew ...
    stale = before - after
    assert stale and not any((output / path).exists() for path in stale)  # ... and the old one removed


def test_a_cover_image_added_after_the_error_clears_it(make_site, tmp_path):
    site = make_site(
        {
            PARK: MINIMAL_SITE[PARK].replace(
                "level: national",
                "level: national\ncover: media/gate.png\ncover_alt: {zh: 大门, en: Gate}",
            )
        }
    )
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    with pytest.raises(SiteError):
        preview.run()
    assert "content/media/gate.png" in preview.problems.report()

    image = write(site, "content/media/gate.png", b"\x89PNG\r\n\x1a\n")
    preview.run({image})
    assert preview.problems is None


CHAIN_EDITS = {
    "a chain's link name": lambda site: [
        replace(site, CHAIN, "{zh: 芯片设计, en: Chip design}", "{zh: 芯片, en: Chips}")
    ],
    "a chain's host parks": lambda site: [
        replace(site, CHAIN, "parks: [qilu-software-park]", "parks: [qilu-software-park, yantai-biotech-park]")
    ],
    "a project's amount": lambda site: [replace(site, PROJECT, "investment: 58", "investment: 60.5")],
    "a new project": lambda site: [
        write(
            site,
            "content/projects/second.md",
            PROJECT_TEXT.replace("云计算中心", "第二个项目").replace("Cloud centre", "Second"),
        )
    ],
    "a deleted project": lambda site: [delete(site, PROJECT)],
    "a park a chain names": lambda site: [replace(site, PARK, "en: Qilu Software Park}", "en: Qilu Software Parks}")],
}


@pytest.mark.parametrize("edit", CHAIN_EDITS)
def test_after_a_chain_or_project_save_the_preview_equals_a_fresh_build(make_site, tmp_path, run, edit):
    site = make_site(CHAINS_SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    preview.run(set(CHAIN_EDITS[edit](site)))
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


BREAKING_EDITS = {
    # a save of one entry that makes another one wrong, which was not saved
    "the project's link no longer hosts its park": lambda site: [
        replace(site, CHAIN, "parks: [qilu-software-park]", "parks: [yantai-biotech-park]")
    ],
    "the project's chain deleted": lambda site: [
        delete(site, CHAIN),
        delete(site, "content/chains/software-chain.en.md"),
    ],
    "the project's park deleted": lambda site: [delete(site, PARK), delete(site, PARK.replace(".md", ".en.md"))],
}


@pytest.mark.parametrize("edit", BREAKING_EDITS)
def test_a_save_that_breaks_an_entry_not_saved_is_reported_as_a_fresh_build_reports_it(
    make_site, tmp_path, settle, edit
):
    site = make_site(CHAINS_SITE)
    settle()  # else the preview reads every file again, the project's too
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    with pytest.raises(SiteError) as in_preview:
        preview.run(set(BREAKING_EDITS[edit](site)))
    with pytest.raises(SiteError) as fresh:
        Pipeline(site, MemoryStore(tmp_path / "fresh" / "site")).run()
    assert in_preview.value.problems.report() == fresh.value.problems.report()
    assert PROJECT in fresh.value.problems.report()


def test_with_brochures_the_preview_prints_them_after_the_reload_and_equals_a_build(make_site, tmp_path, run):
    """The preview prints a park's brochures in `complete`, then draws its page again with the link."""
    pytest.importorskip("weasyprint")
    settings = MINIMAL_SITE["content/site.yaml"].replace("brochures: false", "brochures: true")
    assert settings != MINIMAL_SITE["content/site.yaml"]
    site = make_site({"content/site.yaml": settings})
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    if preview.complete():
        pytest.skip("this machine cannot print PDF brochures")
    preview.run({replace(site, PARK, "level: national", "level: provincial")})
    park_page = tmp_path / "preview" / "site" / "parks" / "qilu-software-park" / "index.html"
    assert "brochures/parks/qilu-software-park.zh.pdf" not in park_page.read_text(encoding="utf-8")  # not yet
    preview.complete()
    assert "brochures/parks/qilu-software-park.zh.pdf" in park_page.read_text(encoding="utf-8")
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("edit", INVESTMENT_EDITS)
def test_after_a_site_or_policy_save_the_preview_equals_a_fresh_build(make_site, tmp_path, run, edit, monkeypatch):
    """The preview keeps each policy's drawn item between saves: an edited policy is drawn again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = make_site(INVESTMENT_SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    write_site(site, INVESTMENT_EDITS[edit])
    preview.run({site / path for path in INVESTMENT_EDITS[edit]})
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_after_a_save_the_warnings_of_entries_not_saved_are_still_given(make_site, tmp_path, monkeypatch):
    """Sites and policies not saved are taken as the last run checked and made them, a whole
    collection at a time: their warnings are still given, as a fresh build gives them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = make_site(INVESTMENT_SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    first = preview.run()
    assert any(warning.path.startswith(("content/sites/", "content/policies/")) for warning in first.warnings)
    for number, (old, new) in enumerate(
        (("summary: {zh: ", "summary: {zh: 国家级"), ("高新区。", "高新区，软件基地。"))
    ):
        again = preview.run({replace(site, PARK, old, new)})
        fresh = Pipeline(site, MemoryStore(tmp_path / f"fresh-{number}" / "site")).run()
        assert sorted(map(repr, again.warnings)) == sorted(map(repr, fresh.warnings))


@contextlib.contextmanager
def lock_held_elsewhere(cache_folder: Path) -> Iterator[None]:
    """The build lock held by another process (a process's own locks never block it)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(cache_folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    try:
        yield
    finally:
        holder.communicate()


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from sitegen.publish.lock import BuildLock
with BuildLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def kept_preview(site: Path, output: Path) -> Pipeline:
    """A preview as `sitegen serve` starts it: from what the site's cache folder holds."""
    return Pipeline(site, MemoryStore(output, BuildCache(site)))


@pytest.mark.parametrize("edit", ["facts of a park", "a park's body", "a deleted park", "a UI string"])
def test_a_preview_started_again_after_an_edit_equals_a_fresh_build(
    site_with_media, tmp_path, run, monkeypatch, settle, edit
):
    """A preview starts from the files read and checked, the Markdown and the maps that an
    earlier preview kept, and reads again only what was saved since."""
    site = site_with_media
    settle()
    first = kept_preview(site, tmp_path / "first" / "site")
    first.run()
    first.complete()
    first.store.leave_caches()  # as the preview does when it stops
    saved = EDITS[edit](site)
    settle()
    read: list[str] = []
    original = sources._read
    monkeypatch.setattr(sources, "_read", lambda file, *rest: read.append(file) or original(file, *rest))
    second = kept_preview(site, tmp_path / "second" / "site")
    second.run()
    second.complete()
    assert sorted(read) == sorted(str(path) for path in saved if path.suffix == ".md" and path.exists())
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "second" / "site") == tree(tmp_path / "fresh")


def test_a_preview_starts_from_what_a_build_kept_and_leaves_nothing_while_a_build_runs(
    site_with_media, tmp_path, run, monkeypatch, settle
):
    site = site_with_media
    settle()
    assert run("build", "-s", str(site))[0] == 0
    kept = sorted(path.name for path in (site / ".sitegen-cache").iterdir())
    read: list[str] = []
    original = sources._read
    monkeypatch.setattr(sources, "_read", lambda file, *rest: read.append(file) or original(file, *rest))
    preview = kept_preview(site, tmp_path / "preview" / "site")
    preview.run()
    reading = next((site / ".sitegen-cache").glob("reading-*"))
    reading.unlink()
    preview.complete()
    with lock_held_elsewhere(site / ".sitegen-cache"):  # a build writing the cache meanwhile: left to it
        preview.store.leave_caches()
    assert read == []
    assert sorted(path.name for path in (site / ".sitegen-cache").iterdir()) == sorted(set(kept) - {reading.name})
    assert tree(tmp_path / "preview" / "site") == tree(site / "build")


def test_saves_named_by_the_watcher_read_those_files_again_and_equal_a_fresh_build(make_site, tmp_path, run, settle):
    """After a save the preview reads again the files saved, and those it found still being
    written at the last run, but lists and stats none of the others: whatever the saves,
    it still equals a fresh build."""
    site = make_site()
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    for edit in ("facts of a park", "a park's body", "an English body", "a new park", "a deleted park"):
        preview.run(set(EDITS[edit](site)))
        preview.complete()
        settle()
        assert run("build", "-s", str(site), "-o", str(tmp_path / edit))[0] == 0
        assert tree(tmp_path / "preview" / "site") == tree(tmp_path / edit), edit


def test_a_file_still_being_written_at_a_run_is_read_again_at_the_next(make_site, tmp_path, settle):
    """A file rewritten within the tick of its modification time looks unchanged by its state;
    one that had not settled when last read is read again, though no save named it."""
    site = make_site()
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    other = site / "content/parks/yantai-biotech-park.md"
    in_the_same_tick = files.time.time_ns()

    def write_now(text: str) -> None:
        other.write_text(text, encoding="utf-8")
        os.utime(other, ns=(in_the_same_tick, in_the_same_tick))

    text = other.read_text(encoding="utf-8")
    write_now(text.replace("园区位于烟台。", "园区位于烟台市。"))
    preview.run({other})
    write_now(text.replace("园区位于烟台。", "园区位于芝罘区。"))  # same size, same time, no save seen
    preview.run({replace(site, PARK, "是软件产业基地。", "是软件和信息服务基地。")})
    page = (tmp_path / "preview/site/parks/yantai-biotech-park/index.html").read_text(encoding="utf-8")
    assert "园区位于芝罘区。" in page


def test_files_read_before_they_settled_are_parsed_again_only_when_their_bytes_changed(
    make_site, tmp_path, run, monkeypatch
):
    """A site just written (a checkout, a copied folder) has files that had not settled when
    the first run read them; the next run reads them again, but parses only those whose
    bytes changed: at a thousand parks with their sites, parsing and checking every file
    again made the first save after `serve` started take seconds."""
    site = make_site()
    monkeypatch.setattr(files, "_SETTLED_NS", 10**18)  # every file as just written
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    parsed: list[str] = []
    original = sources._read
    monkeypatch.setattr(sources, "_read", lambda file, *rest: parsed.append(file) or original(file, *rest))
    saved = replace(site, PARK, "是软件产业基地。", "是软件和信息服务基地。")
    preview.run({saved})
    preview.complete()
    assert parsed == [str(saved)]

    assert_preview_equals_a_build(site, tmp_path, run)


def test_a_folder_deleted_and_made_again_is_listed_again(make_site, tmp_path, run, settle):
    site = make_site(CHAINS_SITE)
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    chains = site / "content" / "chains"
    kept = {path.name: path.read_bytes() for path in chains.iterdir()}
    shutil.rmtree(chains)
    with pytest.raises(SiteError):  # the project names the chain
        preview.run({chains / name for name in kept})
    chains.mkdir()
    (chains / "software-chain.md").write_bytes(kept["software-chain.md"])
    settle()
    preview.run({chains / "software-chain.md"})  # its English file is gone
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_a_linked_content_file_is_read_again_at_each_save(make_site, tmp_path, settle):
    """A link in content/ may point to a file elsewhere in the site, whose edits the watcher
    of content/ does not see: edited, deleted, made again."""
    site = make_site()
    target = site / "shared" / "yantai-biotech-park.md"
    target.parent.mkdir()
    linked = site / "content/parks/yantai-biotech-park.md"
    target.write_bytes(linked.read_bytes())
    linked.unlink()
    linked.symlink_to(target)
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    page = tmp_path / "preview/site/parks/yantai-biotech-park/index.html"
    text = target.read_text(encoding="utf-8")
    bodies = ["是软件产业基地。", "是软件和信息服务基地。"]

    def save_another_park() -> set[Path]:
        settle()
        old, new = bodies
        bodies.reverse()
        return {replace(site, PARK, old, new)}

    target.write_text(text.replace("园区位于烟台。", "园区位于烟台芝罘区。"), encoding="utf-8")
    preview.run(save_another_park())
    assert "园区位于烟台芝罘区。" in page.read_text(encoding="utf-8")

    target.unlink()
    with pytest.raises(SiteError) as in_preview:
        preview.run(save_another_park())
    with pytest.raises(SiteError) as fresh:
        Pipeline(site, MemoryStore(tmp_path / "fresh" / "site")).run()
    assert in_preview.value.problems.report() == fresh.value.problems.report()
    assert "points to nothing" in fresh.value.problems.report()

    target.write_text(text, encoding="utf-8")
    settle()
    preview.run({replace(site, "content/events/alliance-founding.md", "title:", "title: ")})  # a save elsewhere
    assert "园区位于烟台。" in page.read_text(encoding="utf-8")


def test_litter_beside_the_entries_is_left_out_by_the_preview_as_by_a_build(make_site, tmp_path, run, settle):
    """Files the watcher ignores (an aborted download, a swap file) are ignored by builds too."""
    site = make_site()
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    write(site, "content/parks/weihai-torch-zone.md.crdownload", NEW_PARK)
    write(site, "content/parks/.qilu-software-park.md.swx", "x")
    settle()
    result = preview.run({replace(site, PARK, "是软件产业基地。", "是软件和信息服务基地。")})
    preview.complete()
    code, _, err = run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))
    assert code == 0
    assert "crdownload" not in err and ".swx" not in err
    assert not [warning for warning in result.warnings if "crdownload" in warning.path]
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_a_project_is_checked_again_when_its_park_moves_to_another_city(make_site, tmp_path, settle):
    site = make_site(
        {
            **CHAINS_SITE,
            PROJECT: PROJECT_TEXT.replace("park: qilu-software-park", "park: qilu-software-park\ncity: jinan"),
        }
    )
    settle()
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    settle()
    with pytest.raises(SiteError) as in_preview:
        preview.run({replace(site, PARK, "city: jinan", "city: yantai")})
    assert f"{PROJECT}:" in in_preview.value.problems.report()
    assert "city says 'jinan'" in in_preview.value.problems.report()
