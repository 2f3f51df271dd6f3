"""`sitegen serve`: the preview rebuilds on save and shows problems in the browser until fixed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import MINIMAL_SITE, write_site

from sitegen.errors import Problems
from sitegen.preview import server as preview_server
from sitegen.preview.server import error_page, is_editor_litter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, condition, seconds: float = 20) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, body = fetch(url)
            if condition(status, body):
                return status, body
        except (urllib.error.URLError, ConnectionError):
            status, body = 0, ""
        if time.monotonic() > deadline:
            pytest.fail(f"{url} never met the condition; last answer {status}: {body[:300]}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def preview_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """`sitegen serve` of the minimal site, one process for the tests that only edit its content."""
    site = write_site(tmp_path_factory.mktemp("serve") / "site", MINIMAL_SITE)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    yield site, f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def server(preview_process: tuple[Path, str]) -> Iterator[tuple[Path, str]]:
    """(site, address) of the running preview. What a test changed in the site is put back after
    it, and the preview awaited until it shows the site as it was."""
    site, url = preview_process
    yield site, url
    changed = {
        relative: text
        for relative, text in MINIMAL_SITE.items()
        if (site / relative).read_text(encoding="utf-8") != text
    }
    if changed:
        write_site(site, changed)
        wait_for(
            url + "parks/qilu-software-park/", lambda status, body: status == 200 and "<h1>齐鲁软件园</h1>" in body
        )


def test_preview_shows_the_site_with_live_reload_and_leaves_build_alone(server):
    site, url = server
    status, body = wait_for(url + "en/parks/qilu-software-park/", lambda status, _: status == 200)
    assert "<h1>Qilu Software Park</h1>" in body
    assert "livereload.js" in body
    assert not (site / "build").exists()


def test_broken_content_shows_the_problem_in_the_browser_then_the_page_returns(server):
    site, url = server
    page = url + "parks/qilu-software-park/"
    wait_for(page, lambda status, _: status == 200)
    park = site / "content/parks/qilu-software-park.md"
    original = park.read_text(encoding="utf-8")
    park.write_text(original.replace("city: jinan", "city: jinnan"), encoding="utf-8")
    status, body = wait_for(page, lambda status, _: status == 500)
    assert "content/parks/qilu-software-park.md:3" in body
    assert "did you mean &#x27;jinan&#x27;?" in body
    assert "livereload.js" in body  # so the page comes back by itself once fixed
    park.write_text(original, encoding="utf-8")
    status, body = wait_for(page, lambda status, _: status == 200)
    assert "<h1>齐鲁软件园</h1>" in body


def answer(url: str, if_none_match: str = "") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"If-None-Match": if_none_match} if if_none_match else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_browser_keeps_theme_files_and_asks_again_for_a_page_that_may_have_changed(server):
    site, url = server
    page = url + "parks/qilu-software-park/"
    wait_for(page, lambda status, _: status == 200)
    status, headers, body = answer(page)
    assert (status, headers["Cache-Control"]) == (200, "no-cache")
    stylesheet = re.search(r'href="\.\./\.\./(static/css/site\.css\?v=[0-9a-f]+)"', body.decode())
    assert stylesheet, body[:2000]

    assert answer(url + stylesheet[1])[1]["Cache-Control"] == "max-age=31536000, immutable"
    assert answer(url + "static/css/site.css?v=0123456789")[1]["Cache-Control"] == "no-cache"  # not this content
    assert answer(url + "static/css/site.css")[1]["Cache-Control"] == "no-cache"
    assert answer(page, if_none_match=headers["ETag"])[::2] == (304, b"")

    park = site / "content/parks/qilu-software-park.md"
    park.write_text(park.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    wait_for(page, lambda status, body: "新的一段" in body)
    status, changed_headers, changed = answer(page, if_none_match=headers["ETag"])
    assert status == 200 and "新的一段" in changed.decode()
    assert changed_headers["ETag"] != headers["ETag"]


@pytest.mark.parametrize(
    "name, litter",
    [
        (".qilu.md.swp", True),
        ("qilu.md~", True),
        ("#qilu.md#", True),
        ("4913", True),
        ("new-park.md.crdownload", True),
        ("~$parks.xlsx", True),
        ("qilu-software-park.md", False),
        ("site.yaml", False),
    ],
)
def test_editor_swap_and_backup_files_do_not_trigger_rebuilds(name, litter):
    assert is_editor_litter(f"/site/content/parks/{name}") is litter


def wsgi_get(preview, path: str) -> tuple[str, bytes]:
    answer: dict[str, str] = {}
    body = b"".join(preview.app({"PATH_INFO": path}, lambda status, headers: answer.update(status=status)))
    return answer["status"], body


def test_pages_come_first_and_the_page_says_so_until_downloads_and_search_follow(make_site, tmp_path):
    """`serve` answers once the pages are drawn; the brochures, downloads and search index of
    that first build follow in the background, and the pages say so until they are there."""
    from sitegen.preview.server import Preview

    site = make_site()
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    status, page = wsgi_get(preview, "/parks/qilu-software-park/")
    assert status.startswith("200") and "正在生成".encode() in page and b"being prepared" in page
    assert wsgi_get(preview, "/data/parks.csv")[0].startswith("404")
    assert not (tmp_path / "preview" / "site" / "pagefind").exists()

    assert preview.complete() is True  # so the browsers reload
    status, page = wsgi_get(preview, "/parks/qilu-software-park/")
    assert status.startswith("200") and b"being prepared" not in page
    assert wsgi_get(preview, "/data/parks.csv")[0].startswith("200")
    assert (tmp_path / "preview" / "site" / "pagefind").is_dir()
    assert b"being prepared" not in (tmp_path / "preview" / "site" / "parks/qilu-software-park/index.html").read_bytes()

    # A save's brochure, downloads and search follow a moment after its reload, and no reload
    # follows them: its pages do not promise one.
    park = site / "content" / "parks" / "qilu-software-park.md"
    park.write_text(park.read_text(encoding="utf-8").replace("济南高新区内的软件园", "济南的新园区"), encoding="utf-8")
    preview.rebuild({park})
    status, page = wsgi_get(preview, "/parks/qilu-software-park/")
    assert status.startswith("200") and "济南的新园区".encode() in page and b"being prepared" not in page
    assert preview.complete() is False


def test_the_page_a_browser_shows_is_written_before_the_other_pages_a_save_changes(make_site, tmp_path):
    """A save of a park's facts redraws its page, the lists, the map and its city's and sectors'
    pages; the page a browser shows is written first, and the browser told, while the others are
    still as they were."""
    from sitegen.preview.server import Preview

    site = make_site()
    output = tmp_path / "preview" / "site"
    preview = Preview(site, output)
    preview.rebuild()
    preview.complete()
    park = site / "content" / "parks" / "qilu-software-park.md"
    park.write_text(park.read_text(encoding="utf-8").replace("济南高新区内的软件园", "济南的新园区"), encoding="utf-8")
    shown = frozenset({"parks/qilu-software-park/index.html", "no/such/page/index.html"})
    seen: list[tuple[frozenset[str], bool, bool]] = []

    def written(pages: frozenset[str]) -> None:
        park_page = (output / "parks/qilu-software-park/index.html").read_text(encoding="utf-8")
        park_list = (output / "parks/index.html").read_text(encoding="utf-8")
        seen.append((pages, "济南的新园区" in park_page, "济南的新园区" in park_list))

    assert preview.rebuild({park}, shown, written) is not None
    assert seen == [(frozenset({"parks/qilu-software-park/index.html"}), True, False)]
    assert "济南的新园区" in (output / "parks/index.html").read_text(encoding="utf-8")

    seen.clear()  # a save that does not redraw the shown page tells nobody early
    event = next((site / "content" / "events").glob("*.md"))
    event.write_text(event.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    assert preview.rebuild({event}, shown, written) is not None
    assert seen == []


def test_a_browser_reloaded_early_after_a_save_of_the_stylesheet_gets_the_new_one(make_site, tmp_path):
    """The theme's files are written before the page a browser shows, which links them."""
    from conftest import theme_override

    from sitegen.preview.server import Preview

    site = make_site()
    output = tmp_path / "preview" / "site"
    preview = Preview(site, output)
    preview.rebuild()
    stylesheet = theme_override(site, "static/css/site.css")
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\nbody { background: #fee; }\n", encoding="utf-8")
    seen: list[bool] = []

    def written(pages: frozenset[str]) -> None:
        seen.append("#fee" in (output / "static/css/site.css").read_text(encoding="utf-8"))

    assert preview.rebuild({stylesheet}, frozenset({"parks/qilu-software-park/index.html"}), written) is not None
    assert seen == [True]


def test_a_save_reloads_each_browser_once_and_each_shows_the_save(server, browser):
    """In Chromium, with one tab on the saved park's page (reloaded as soon as that page is
    written) and one on the list of parks (reloaded when the run ends): each reloads once and
    shows the save, and a broken save reloads both to the error page."""
    site, url = server
    wait_for(url + "parks/qilu-software-park/", lambda status, body: status == 200 and "being prepared" not in body)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pages = {"parks/qilu-software-park/": context.new_page(), "parks/": context.new_page()}
    loads = dict.fromkeys(pages, 0)
    for address, page in pages.items():
        page.goto(url + address)
        page.on("domcontentloaded", lambda _, address=address: loads.__setitem__(address, loads[address] + 1))
    time.sleep(0.3)  # the first browser to connect is told that the first build's downloads are ready
    for page in pages.values():
        page.wait_for_function("window.LiveReload && LiveReload.connector.protocol > 0")
    loads = dict.fromkeys(pages, 0)
    park = site / "content" / "parks" / "qilu-software-park.md"
    try:
        park.write_text(park.read_text(encoding="utf-8").replace("齐鲁软件园", "齐鲁新园"), encoding="utf-8")
        for page in pages.values():
            page.wait_for_function("document.body.innerText.includes('齐鲁新园')")
            page.wait_for_function("window.LiveReload && LiveReload.connector.protocol > 0")
        time.sleep(1)  # a second reload would have come by now
        assert loads == dict.fromkeys(pages, 1)

        park.write_text("---\nname: [\n---\n", encoding="utf-8")
        for page in pages.values():
            page.wait_for_function("document.body.innerText.includes('qilu-software-park.md')")
        assert loads == dict.fromkeys(pages, 2)
    finally:
        context.close()


class _Loop:
    """The server's event loop, running what it is handed at once."""

    def add_callback(self, function, *arguments):
        function(*arguments)


class _Tab:
    """A browser's live-reload connection, showing `page`."""

    def __init__(self, page: str) -> None:
        self.page, self.told, self.fresh, self.reloads = page, 0, 0, 0

    def write_message(self, message: dict) -> None:
        assert message["command"] == "reload"
        self.reloads += 1


PARK_PAGE, PARK_LIST = "parks/qilu-software-park/index.html", "parks/index.html"


@pytest.fixture
def browsers(monkeypatch) -> tuple[preview_server.Browsers, set]:
    connections: set = set()
    monkeypatch.setattr(preview_server.LiveReloadHandler, "waiters", connections)
    browsers = preview_server.Browsers()
    browsers.start(_Loop())
    return browsers, connections


def test_a_save_reloads_the_browser_on_the_written_page_at_once_and_the_others_at_the_end(browsers):
    browsers, connections = browsers
    park, parks = _Tab(PARK_PAGE), _Tab(PARK_LIST)
    connections |= {park, parks}
    browsers.next_save()
    assert browsers.pages() == {PARK_PAGE, PARK_LIST}
    browsers.reload_showing(frozenset({PARK_PAGE}))
    assert (park.reloads, parks.reloads) == (1, 0)
    browsers.reload_others()
    assert (park.reloads, parks.reloads) == (1, 1)

    browsers.next_save()  # a save that fails: everyone is shown the error page
    browsers.reload_showing(frozenset({PARK_PAGE}))
    browsers.reload_others(everyone=True)
    assert (park.reloads, parks.reloads) == (3, 2)


def test_a_browser_connecting_after_the_early_reload_is_reloaded_at_the_end_unless_it_fetched_the_new_page(browsers):
    """The reloaded browser's new connection needs nothing more; a browser that fetched the page
    before it was written, and connected only after the early reload, does."""
    browsers, connections = browsers
    first = _Tab(PARK_PAGE)
    connections.add(first)
    browsers.next_save()
    browsers.reload_showing(frozenset({PARK_PAGE}))
    connections.discard(first)  # it reloads: the page is fetched, then it connects again
    browsers.sent(PARK_PAGE)
    again, late = _Tab(PARK_PAGE), _Tab(PARK_PAGE)
    for tab in (again, late):  # `late` fetched its page before it was written
        connections.add(tab)
        browsers.connected(tab)
    browsers.reload_others()
    assert (first.reloads, again.reloads, late.reloads) == (1, 0, 1)


# The error page -----------------------------------------------------------------------------------


def test_the_error_page_shows_warnings_apart_from_the_errors_that_stopped_the_preview(server):
    site, url = server
    page = url + "parks/qilu-software-park/"
    wait_for(page, lambda status, _: status == 200)
    park = site / "content/parks/qilu-software-park.md"
    park.write_text(park.read_text(encoding="utf-8").replace("city: jinan", "city: jinnan"), encoding="utf-8")

    status, body = wait_for(page, lambda status, _: status == 500)

    errors, _, warnings = body.partition("<h2>")
    assert "网站没有更新" in errors and "qilu-software-park.md:3" in errors
    assert "yantai-biotech-park" not in errors  # its missing English text is only a warning
    assert warnings.startswith("提醒") and "<ul class=warnings>" in warnings
    assert "content/parks/yantai-biotech-park.md" in warnings
    assert "qilu-software-park.md:3" not in warnings


def test_a_page_of_warnings_alone_does_not_say_the_site_was_not_updated():
    problems = Problems()
    problems.warning("content/parks/a.md", 4, "没有英文正文 / no English text", "运行 `sitegen new park a`")

    page = error_page(problems).decode("utf-8")

    assert "没有更新" not in page and "not updated" not in page
    assert "<ul class=warnings>" in page and "<ul class=errors>" not in page


def test_code_quoted_in_messages_is_shown_as_code_and_escaped():
    problems = Problems()
    problems.error(
        "content/site.yaml", 2, "`base_url` 不对 / `base_url` is wrong", "写 `base_url: <https://x.cn/>` / write it"
    )

    page = error_page(problems).decode("utf-8")

    assert "<code>base_url</code> 不对 / <code>base_url</code> is wrong" in page
    assert "<code>base_url: &lt;https://x.cn/&gt;</code>" in page
    assert "`" not in page


# Stopping, and what the first line says -----------------------------------------------------------


class Serving:
    """`sitegen serve` in a process of its own, with a temporary folder of its own."""

    def __init__(self, site: Path, temporary: Path) -> None:
        temporary.mkdir()
        self.temporary = temporary
        self.port = free_port()
        self.lines: list[tuple[float, str]] = []
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(temporary)},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for_line(self, start: str, seconds: float = 60) -> float:
        """When the first line starting with `start` was printed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for printed, line in list(self.lines):
                if line.startswith(start):
                    return printed
            time.sleep(0.05)
        pytest.fail(f"never printed {start!r}: {self.output()}")

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def serving(make_site, tmp_path) -> Iterator[Serving]:
    process = Serving(make_site(), tmp_path / "tmp")
    yield process
    process.stop()


CHINESE_NAME = "content/media/园区简介.txt"


@pytest.fixture(scope="module")
def shared_serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """One `sitegen serve` for the tests that only ask it things: the minimal site with a file of
    a Chinese name."""
    folder = tmp_path_factory.mktemp("serving")
    process = Serving(write_site(folder / "site", {**MINIMAL_SITE, CHINESE_NAME: "齐鲁软件园\n"}), folder / "tmp")
    yield process
    process.stop()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_each_stop_signal_removes_the_preview_folder_and_ends_cleanly(serving, signal_number):
    serving.wait_for_line("preview: http")
    assert list(serving.temporary.iterdir())  # the preview's folder

    serving.process.send_signal(signal_number)

    assert serving.process.wait(timeout=30) == 0
    assert list(serving.temporary.iterdir()) == []
    assert "Traceback" not in serving.output()


def test_a_stopped_preview_leaves_what_it_read_for_the_next_start(make_site, tmp_path):
    site = make_site()
    serving = Serving(site, tmp_path / "tmp")
    try:
        serving.wait_for_line("preview: http")
        serving.process.send_signal(signal.SIGTERM)
        assert serving.process.wait(timeout=30) == 0
    finally:
        serving.stop()
    assert list((site / ".sitegen-cache").glob("reading-*.pickle"))
    assert list((site / ".sitegen-cache").glob("markdown-*.json"))
    assert not (site / "build").exists()


def test_a_second_signal_while_stopping_still_removes_the_folder(serving):
    serving.wait_for_line("preview: http")

    serving.process.send_signal(signal.SIGTERM)
    serving.process.send_signal(signal.SIGTERM)
    serving.process.send_signal(signal.SIGHUP)

    assert serving.process.wait(timeout=30) == 0
    assert list(serving.temporary.iterdir()) == []
    assert "Traceback" not in serving.output()


@pytest.mark.parametrize("delay", [0, 0.5, 1.5])
def test_a_signal_during_the_first_build_removes_the_folder(serving, delay):
    deadline = time.monotonic() + 30
    while not list(serving.temporary.iterdir()):
        assert time.monotonic() < deadline, serving.output()
        time.sleep(0.01)
    time.sleep(delay)

    serving.process.send_signal(signal.SIGTERM)

    assert serving.process.wait(timeout=30) == 0
    assert list(serving.temporary.iterdir()) == []
    assert "Traceback" not in serving.output()


def test_the_first_line_says_how_long_the_wait_for_the_preview_was(shared_serving):
    serving = shared_serving
    ready = serving.wait_for_line("preview: http") - serving.started
    printed, first = serving.lines[0]

    claimed = re.search(r"(\d+(?:\.\d+)?) (ms|s)\b", first)
    assert claimed, first
    seconds = float(claimed[1]) / (1000 if claimed[2] == "ms" else 1)
    # The whole wait, from starting the command to the address, within the rounding and the
    # moment between starting the process and its first instruction.
    assert ready - 0.3 <= seconds <= printed - serving.started + 0.1, (first, ready)


# Odd addresses --------------------------------------------------------------------------------------


def raw_get(port: int, target: bytes) -> int:
    """The status of a GET for `target` sent byte for byte, as no browser would send it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


ODD_TARGETS = [
    b"/%00",
    b"/parks/%00/index.html",
    b"/%ff",
    b"/parks/%e5%9b/",  # a character cut in half
    b"/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",  # `..` in overlong UTF-8
    b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/..%2f..%2f..%2fetc%2fpasswd",
    b"/static\\..\\..\\..\\etc\\passwd",
    b"/static%5c..%5c..%5cetc%5cpasswd",
    b"/" + b"a" * 300,
    b"/parks/" + b"x/" * 3000,
    b"/%0d%0aSet-Cookie:%20x=1",
    b"/%7f",
]


def test_odd_bytes_in_addresses_are_refused_without_a_traceback(shared_serving):
    serving = shared_serving
    serving.wait_for_line("preview: http")

    statuses = {target: raw_get(serving.port, target) for target in ODD_TARGETS}

    assert all(status in (400, 404) for status in statuses.values()), statuses
    assert raw_get(serving.port, b"/parks/qilu-software-park/") == 200
    assert "Traceback" not in serving.output() and "Error" not in serving.output()


def test_a_file_with_a_chinese_name_is_served(shared_serving):
    shared_serving.wait_for_line("preview: http")
    status, body = fetch(f"http://127.0.0.1:{shared_serving.port}/media/%E5%9B%AD%E5%8C%BA%E7%AE%80%E4%BB%8B.txt")
    assert (status, body) == (200, "齐鲁软件园\n")


def test_a_failure_while_serving_still_removes_the_folder_and_puts_the_signals_back(make_site, tmp_path, monkeypatch):
    from livereload import Server

    from sitegen.preview.server import serve

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def fails(*arguments, **keywords):
        assert any(path.name.startswith("sitegen-preview-") for path in tmp_path.iterdir())
        raise RuntimeError("a bug while serving")

    monkeypatch.setattr(Server, "serve", fails)

    with pytest.raises(RuntimeError):
        serve(make_site(), free_port())

    assert [path for path in tmp_path.iterdir() if path.name.startswith("sitegen-preview-")] == []
    assert {number: signal.getsignal(number) for number in before} == before


@pytest.mark.parametrize("count, named", [(3, True), (5000, False)])
def test_a_batch_of_very_many_changes_has_the_preview_look_at_every_file(tmp_path, monkeypatch, count, named):
    """A checkout or an unpacked archive may overflow the kernel's queue of file events, and the
    events lost then name nothing: from a thousand changes at once, the run looks at every file."""
    (tmp_path / "content" / "parks").mkdir(parents=True)
    paths = {str(tmp_path / "content" / "parks" / f"park-{number}.md") for number in range(count)}
    monkeypatch.setattr(
        preview_server.watchfiles, "watch", lambda *folders, **options: iter([{(1, path) for path in paths}])
    )
    monkeypatch.setattr(preview_server.threading, "Timer", lambda seconds, action: SimpleNamespace(start=lambda: None))
    runs: list[set[Path] | None] = []
    watcher = preview_server._ChangeWatcher(
        tmp_path, preview_server.Browsers(), runs.append, lambda: False, lambda: None, lambda: None
    )
    watcher._run()
    assert runs == [{Path(path) for path in paths} if named else None]


STOPPED_WHILE_INDEXING = """
import sys, time
from sitegen import cli
from sitegen.render import search
def pagefind_stopped(binary, records):
    print("indexing", flush=True)
    time.sleep(3)  # the Ctrl+C that stops the preview stops Pagefind meanwhile
    raise search.SearchIndexError("Pagefind stopped before it wrote the index")
search._run_pagefind = pagefind_stopped
sys.exit(cli.main(["serve", "-s", sys.argv[1], "--port", sys.argv[2]]))
"""


def test_ctrl_c_while_the_search_index_is_made_stops_the_preview_without_an_internal_error(make_site, tmp_path):
    """Ctrl+C reaches the preview's Pagefind too, whose index then fails while the preview
    stops: that is no bug of sitegen's to report."""
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_WHILE_INDEXING, str(make_site()), str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path)},
    )
    assert process.stdout is not None
    assert "indexing\n" in iter(process.stdout.readline, "")
    process.send_signal(signal.SIGINT)
    said, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "preview stopped" in said
    assert "internal error" not in said and "Pagefind stopped" not in said, said


def test_ctrl_c_while_the_brochures_are_printed_stops_the_preview_quietly(make_site, tmp_path):
    """Ctrl+C reaches the printing processes too, whose brochures then fail while the preview
    stops: no traceback, as for the search index."""
    site = make_site()
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("brochures: false", "brochures: true"), "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path)},
        start_new_session=True,
    )
    assert process.stdout is not None
    assert any(line.startswith("pages ready") for line in iter(process.stdout.readline, ""))
    deadline = time.monotonic() + 60
    while not any(tmp_path.rglob("*.pdf")) and time.monotonic() < deadline:  # the workers print
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    said, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "preview stopped" in said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
