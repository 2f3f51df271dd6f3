"""The browser editor end to end, in Chromium against a real `sitegen serve`: an office worker
creates a park from its Chinese name with a photo and saves it; an invalid save shows the site's
message and leaves the file alone. Every request the editor makes stays on the preview's host."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import MINIMAL_SITE, write_site
from PIL import Image

from sitegen.editor.cms_media import MAX_WIDTH

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SITEGEN_SCREENSHOTS")
"""A folder to keep the editor's screenshots in, to look at them (unset: not kept)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def _serving(site: Path) -> Iterator[str]:
    """The base URL of `sitegen serve` running on `site`, stopped at the end."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def served(make_site) -> Iterator[tuple[Path, str]]:
    """(site folder, base URL) of `sitegen serve` running on the minimal site."""
    site = make_site()
    with _serving(site) as base:
        yield site, base


@pytest.fixture(scope="module")
def served_refusing(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """`served` for the tests whose saves are refused: as the site stays as it was, they share
    one preview (each checks the file it tried to change)."""
    site = write_site(tmp_path_factory.mktemp("editor") / "site", MINIMAL_SITE)
    with _serving(site) as base:
        yield site, base


@pytest.fixture
def editor(browser, request):
    """open(base, width) -> a page logged in to the editor; it records every host it asks."""
    contexts = []

    def open_editor(base: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.hosts = set()  # of every request over the network (blob: and data: URLs stay in the page)
        page.on("request", lambda asked: _record_host(page.hosts, asked.url))
        page.goto(base + "admin/")
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("text=园区 Parks", timeout=60_000)
        return page

    yield open_editor
    for context in contexts:
        context.close()


def _record_host(hosts: set[str], url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        hosts.add(parts.netloc)


def _editor_actions(page) -> list[str]:
    """The actions the page asks of the preview's editor backend from now on (persistEntry saves)."""
    actions: list[str] = []

    def record(asked) -> None:
        if urlsplit(asked.url).path == "/api/v1" and asked.method == "POST":
            actions.append(json.loads(asked.post_data or "{}").get("action", ""))

    page.on("request", record)
    return actions


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def _first(page, selector: str):
    return page.locator(selector).first


def _after_label(page, label: str, kind: str):
    """The first `kind` (zh, en, lat …) input after the field labelled `label`."""
    xpath = f'//label[starts-with(normalize-space(), "{label}")]/following::input[starts-with(@id, "{kind}-field-")][1]'
    return page.locator(xpath).first


def _wait_for_file(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), f"{path} was not written"


def test_a_park_created_in_the_browser_with_a_photo_is_saved_checked_and_previewed(served, editor, run, tmp_path):
    site, base = served
    photo = tmp_path / "园区大门.jpg"
    Image.new("RGB", (3000, 2000), (40, 120, 90)).save(photo, quality=90)
    page = editor(base)
    page.goto(base + "admin/#/collections/parks/new")
    page.wait_for_selector("text=文件名 File name")
    _first(page, 'input[id^="zh-field-"]').fill("威海火炬园")
    _first(page, 'input[id^="en-field-"]').fill("Weihai Torch Park")
    _first(page, 'input[id^="city-field-"]').fill("烟台")
    page.keyboard.press("Enter")
    _first(page, 'input[id^="lat-field-"]').fill("37.49")
    _first(page, 'input[id^="lon-field-"]').fill("121.45")
    _first(page, 'input[id^="sectors-field-"]').fill("软件")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").first.set_input_files(photo)
    page.get_by_role("button", name="选用已选中项目").click()
    _after_label(page, "封面图片说明", "zh").fill("园区大门")
    _after_label(page, "封面图片说明", "en").fill("The park gate")
    _shot(page, "editor-new-park-1280.png")
    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()

    written = site / "content/parks/wei-hai-huo-ju-yuan.md"
    _wait_for_file(written)
    assert written.read_text(encoding="utf-8") == (
        "---\n"
        "name: {zh: 威海火炬园, en: Weihai Torch Park}\n"
        "city: yantai\n"
        "location: {lat: 37.49, lon: 121.45}\n"
        "sectors: [software]\n"
        "cover: media/yuan-qu-da-men.jpg\n"
        "cover_alt: {zh: 园区大门, en: The park gate}\n"
        "---\n"
    )
    with Image.open(site / "content/media/yuan-qu-da-men.jpg") as stored:
        assert stored.width == MAX_WIDTH
    code, out, err = run("check", "-s", str(site))
    assert code == 0, out + err
    assert page.hosts == {urlsplit(base).netloc}

    preview = page.context.new_page()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = preview.goto(base + "parks/wei-hai-huo-ju-yuan/")
        if response is not None and response.ok:
            break
        time.sleep(1)
    assert preview.locator("h1").first.inner_text() == "威海火炬园"
    assert preview.locator("img.profile__cover").get_attribute("alt") == "园区大门"


def test_an_invalid_save_shows_the_sites_message_and_leaves_the_file_as_it_was(served_refusing, editor):
    site, base = served_refusing
    file = site / "content/parks/qilu-software-park.md"
    before = file.read_bytes()
    page = editor(base, width=390)
    page.goto(base + "admin/#/collections/parks/entries/qilu-software-park")
    lat = _first(page, 'input[id^="lat-field-"]')
    lat.wait_for()
    lat.fill("31.23")
    actions = _editor_actions(page)
    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()
    message = page.get_by_text("content/parks/qilu-software-park.md")
    message.first.wait_for(timeout=60_000)
    _shot(page, "editor-refused-390.png")
    assert "persistEntry" in actions, "the save was sent, and the site refused it"
    assert file.read_bytes() == before


def test_a_value_of_the_wrong_shape_is_marked_at_its_field_before_anything_is_sent(served_refusing, editor):
    site, base = served_refusing
    file = site / "content/parks/qilu-software-park.md"
    before = file.read_bytes()
    page = editor(base, width=390)
    page.goto(base + "admin/#/collections/parks/entries/qilu-software-park")
    phone = _first(page, 'input[id^="phone-field-"]')
    phone.wait_for()
    phone.fill("找王主任")
    actions = _editor_actions(page)
    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()
    marked = page.locator('//input[starts-with(@id, "phone-field-")]/ancestor::div[1]/preceding::li[1]')
    marked.wait_for(timeout=30_000)
    assert "电话号码只写数字" in marked.inner_text()
    phone.scroll_into_view_if_needed()
    _shot(page, "editor-field-error-390.png")
    assert "persistEntry" not in actions, actions
    assert file.read_bytes() == before
