"""Shared fixtures: the starter site built once per run, scratch sites written from the small
sites in tests/sites/ and inline text, and the command line run in-process."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import pytest

from sitegen.build import build
from sitegen.cli import main
from sitegen.content import files
from sitegen.content.theme import DEFAULT_THEME, Theme
from sitegen.render.pages import RenderCaches

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request

REPO = Path(__file__).resolve().parent.parent

SITES = Path(__file__).resolve().parent / "sites"
"""Small sites on disk that tests copy, never change; tests/sites/README.md says what each is for."""


def read_site(name: str) -> dict[str, str]:
    """The text of each file of tests/sites/<name> an editor writes (content/ and themes/, not
    what a build by hand left there), by its path inside that folder."""
    folder = SITES / name
    return {
        file.relative_to(folder).as_posix(): file.read_text(encoding="utf-8")
        for part in ("content", "themes")
        for file in sorted((folder / part).rglob("*"))
        if file.is_file()
    }


MINIMAL_SITE = read_site("minimal")


def theme_override(site: Path, relative: str) -> Path:
    """The site's own copy of a file of the default theme (e.g. "templates/park.html"), made on
    first use from the packaged one, so a test can edit it as a site author would."""
    override = site / "themes" / "default" / relative
    if not override.exists():
        override.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULT_THEME / relative, override)
    return override


def write_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a site from the given files (None deletes a file); the theme is the packaged one.
    Inline text is dedented, so a test may indent it with its code."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in memory for the whole run. Jinja compiles a template
    again when its source differs from the one the code was compiled from."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def compile_templates_once() -> Iterator[None]:
    """Hundreds of builds in one run draw pages from the same templates, and compiling them
    took as long as the rest of a small site's build. Each build still makes its own Jinja
    environment; they share the compiled code, as a bytecode cache lets Jinja do."""
    compiled = _CompiledTemplates()
    make_environment = RenderCaches.environment

    def environment(caches: RenderCaches, theme: Theme) -> jinja2.Environment:
        made = make_environment(caches, theme)
        made.bytecode_cache = compiled
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RenderCaches, "environment", environment)
        yield


@pytest.fixture(scope="session", autouse=True)
def look_up_once_per_run() -> Iterator[None]:
    """What hundreds of in-process builds would each work out again although it cannot differ
    between them: the machine's Chinese font (an fc-match process per build) and the maps folium
    draws, by their shape (a build of the command line keeps these in .sitegen-cache/). Tests
    that need another answer patch the function themselves."""
    from sitegen.map.parts import MapParts
    from sitegen.render import brochures, pages

    font = functools.cache(brochures._find_face)
    shapes: dict[str, MapParts] = {}
    draw_shape = pages._draw_shape

    def drawn_shape(*shape: object) -> MapParts:
        key = repr(shape)
        if key not in shapes:
            shapes[key] = draw_shape(*shape)
        return shapes[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brochures, "_find_face", font)
        patch.setattr(pages, "_draw_shape", drawn_shape)
        yield


STARTER_ADDRESS = "https://parks.example.cn/"


@dataclass(frozen=True)
class StarterSite:
    """The repository's own site (content/, its theme overrides and the packaged theme) as the
    publishing workflow builds it, for a public address (so brochures carry QR codes)."""

    root: Path
    notices: tuple[str, ...]
    """What the build said besides problems, e.g. that it could not print brochures."""

    @property
    def output(self) -> Path:
        return self.root / "build"


def tree_digest(folder: Path) -> str:
    """One digest of every file's path and bytes under `folder`."""
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def built_starter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StarterSite]:
    """The starter site, built once per test run as an editor would, by the first test process
    to ask for it (the others wait for that build). Tests read it or copy it, never change it:
    the run fails at the end if one did, since others read it after."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every test process of this run has its own beside
    root = shared / "starter"
    with open(shared / "starter.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        notices = shared / "starter-notices.json"
        if not (root / "build").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(REPO / "content", root / "content")
            shutil.copytree(REPO / "themes", root / "themes")
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SITEGEN_BASE_URL", STARTER_ADDRESS)
                result = build(root, root / "build")
            notices.write_text(json.dumps(list(result.notices)), encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_UN)
    site = StarterSite(root, tuple(json.loads(notices.read_text(encoding="utf-8"))))
    before = tree_digest(root)
    yield site
    assert tree_digest(root) == before, "a test changed the shared starter site: copy it first"


@pytest.fixture(scope="session", autouse=True)
def sites_left_unchanged() -> Iterator[None]:
    """The sites in tests/sites/ are read by every test process: the run fails at the end if a
    test wrote into one (a build there leaves build/ and .sitegen-cache/ behind)."""
    before = tree_digest(SITES)
    yield
    assert tree_digest(SITES) == before, "a test changed a site in tests/sites/: copy it first"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site(**changes): the minimal bilingual site, with files replaced, added or deleted."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_site(tmp_path / "site", {**MINIMAL_SITE, **(files or {})})

    return make


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """run("build", "-s", path) -> (exit code, stdout, stderr), in-process."""

    def invoke(*arguments: str) -> tuple[int, str, str]:
        try:
            code = main(list(arguments))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by playwright; never a downloaded browser."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """The base URL of a local HTTP server for a built site, stopped on leaving; for a module
    whose tests share one server (and so one origin for a browser context's route handler)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # Polled often, so that stopping it takes a moment rather than up to half a second.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """serve_folder(path) -> base URL of a local HTTP server for a built site."""
    with contextlib.ExitStack() as servers:
        yield lambda folder: servers.enter_context(serving(folder))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def foreign_urls(*hosts: str) -> re.Pattern[str]:
    """Every URL but those of the given hosts. A route for it is the only one that sees requests
    to other hosts: the site's own requests are not held up by a handler written in Python."""
    names = "|".join(re.escape(host) for host in hosts)
    return re.compile(rf"^(?!https?://({names})(:\d+)?/)")


def local_page(context: BrowserContext) -> Page:
    """A page that refuses every request to a non-local host (kept in `page.blocked_hosts`) and
    records console errors (in `page.console_errors`)."""
    page = context.new_page()
    page.console_errors = []
    page.blocked_hosts = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    def refuse(route):
        page.blocked_hosts.append(urlsplit(route.request.url).hostname)
        route.abort()

    page.route(foreign_urls("127.0.0.1", "localhost"), refuse)
    return page


@pytest.fixture
def page(browser):
    """A fresh phone-sized page that refuses every request to a non-local host and records console errors."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield local_page(context)
    context.close()


@pytest.fixture(scope="module")
def _page_of_module(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield local_page(context)
    context.close()


@pytest.fixture
def reused_page(_page_of_module):
    """The `page` of every test of a module that asks for it, blank, with its console errors and
    refused hosts emptied before each test: opening a page costs more than most such tests. Only
    for tests that leave nothing in it another could see (the page keeps cookies and storage).
    Leaving the last test's document first lets it finish what it was doing (a map's refused
    tiles log errors), which would otherwise be counted against the next test."""
    _page_of_module.goto("about:blank")
    _page_of_module.console_errors.clear()
    _page_of_module.blocked_hosts.clear()
    return _page_of_module


@pytest.fixture(scope="module")
def serve_folder_for_module() -> Iterator[Callable[[Path], str]]:
    """serve_folder for the tests of one module that only read what it serves: each server
    answers until the module's last test is done."""
    with contextlib.ExitStack() as servers:
        yield lambda folder: servers.enter_context(serving(folder))


class RequestsInFlight:
    """The requests a page has started and not yet finished or failed. Waiting until there are
    none, once what a page draws after its load event is there, ends as soon as the page has
    nothing left to fetch, where networkidle waits another half second of quiet every time."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._open: set[Request] = set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        self._open.add(request)

    def _ended(self, request: Request) -> None:
        self._open.discard(request)

    def wait_until_none(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self._open:
            assert time.monotonic() < deadline, f"still loading: {sorted(r.url for r in self._open)}"
            self._page.wait_for_timeout(10)  # lets playwright deliver the events that end them


SETTLED = """() => {
  const status = document.querySelector(".search-status");
  const searching = new URLSearchParams(location.search).get("q") && document.querySelector("form[data-search]");
  if (searching && !(status && status.textContent.trim())) return false;
  if (document.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim")) return false;
  return Array.from(document.querySelectorAll(".sg-map"))
    .every((map) => map.querySelector(".sg-map__no-tiles, .leaflet-tile-loaded"));
}"""
"""True once a page of the site has drawn what it draws after its load event: the search asked
for in the address has finished, and every map has shown a tile or said that it has none (the
tests block tile hosts) and no zoom runs."""


def wait_until_settled(page: Page) -> None:
    """Wait for SETTLED, the thing itself, rather than for a fixed time or networkidle."""
    page.wait_for_function(SETTLED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a failed test so browser fixtures can keep a screenshot of what it saw."""
    outcome = yield
    if outcome.get_result().failed:
        item.failed = True


@pytest.fixture
def settle(monkeypatch) -> Callable[[], None]:
    """settle(): the files written so far count as settled, as they would two seconds later (a
    build trusts its kept state only then). The clock the build reads to tell (in
    sitegen.content.files) is moved on by that much instead of waited for."""
    ahead = 0

    def time_ns() -> int:
        return time.time_ns() + ahead

    def moved_on() -> None:
        nonlocal ahead
        ahead += files._SETTLED_NS + 100_000_000

    monkeypatch.setattr(files, "time", SimpleNamespace(time_ns=time_ns))
    return moved_on
