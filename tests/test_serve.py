"""`sitegen serve`: the preview rebuilds on save and shows problems in the browser until fixed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sitegen.preview.server import is_editor_litter


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
        time.sleep(0.3)


@pytest.fixture
def server(make_site):
    site = make_site()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    yield site, f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


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


@pytest.mark.parametrize(
    "name, litter",
    [
        (".qilu.md.swp", True),
        ("qilu.md~", True),
        ("#qilu.md#", True),
        ("4913", True),
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

    preview = Preview(make_site(), tmp_path / "preview" / "site")
    preview.rebuild()
    status, page = wsgi_get(preview, "/parks/qilu-software-park/")
    assert status.startswith("200") and "正在生成".encode() in page and b"being prepared" in page
    assert wsgi_get(preview, "/data/parks.csv")[0].startswith("404")
    assert not (tmp_path / "preview" / "site" / "pagefind").exists()

    preview.complete()
    status, page = wsgi_get(preview, "/parks/qilu-software-park/")
    assert status.startswith("200") and b"being prepared" not in page
    assert wsgi_get(preview, "/data/parks.csv")[0].startswith("200")
    assert (tmp_path / "preview" / "site" / "pagefind").is_dir()
    assert b"being prepared" not in (tmp_path / "preview" / "site" / "parks/qilu-software-park/index.html").read_bytes()
