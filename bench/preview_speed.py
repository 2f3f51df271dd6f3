"""Save-to-reload time of `sitegen serve`, measured in Chromium as an editor would see it.

Run: python bench/preview_speed.py [--parks 1000] [--edits 5] [--gap 1]
Generates a site, starts the preview, opens a park's page in headless Chromium, then edits that
park's file and times from the save until the browser has reloaded the page showing the edit:
once for a change of text only, once for a change of facts (which redraws lists and maps).
Saves are --gap seconds apart. After each reload the preview also refreshes the search index,
downloads and feeds (about a second at 1,000 parks), so a save less than that after the last
one waits for it.

Two figures per save: until the reloaded page was first painted, by the browser's own clock
(what the editor sees), and until the bench's browser driver found the edit in the page (that
adds the driver's round trips). Other hosts (the map's tiles) are refused by Chromium's host
resolver rather than by the driver, so that Chromium keeps its cache as an editor's browser does.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from corpus import generate_site
from map_page import CHROMIUM, CHROMIUM_FLAGS
from playwright.sync_api import sync_playwright

PAINTED = """() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return paint ? performance.timeOrigin + paint.startTime : null;
}"""
"""When the page was first painted, in milliseconds since 1970 (the clock `time.time` reads)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=5).status == 200:
                return
        except OSError:
            time.sleep(1)  # an editor's saves are seconds apart; downloads are written 0.5 s after a reload
    raise SystemExit(f"the preview never served {url}")


def time_edits(page, park: Path, edits: int, change, gap: float) -> tuple[list[float], list[float]]:
    """Seconds from each save to the reloaded page's first paint, and to the driver seeing the edit."""
    original = park.read_text(encoding="utf-8")
    painted, seen = [], []
    try:
        for number in range(edits):
            marker = f"edit{number}x{time.monotonic_ns()}"
            text = change(original, marker)
            with page.expect_event("load", timeout=30000):
                saved = time.time()
                started = time.perf_counter()
                park.write_text(text, encoding="utf-8")
            page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=30000)
            seen.append(time.perf_counter() - started)
            painted.append(page.wait_for_function(PAINTED).json_value() / 1000 - saved)
            time.sleep(gap)
    finally:
        park.write_text(original, encoding="utf-8")
    return painted, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between saves (default 1)")
    parser.add_argument(
        "--without-investment", action="store_true", help="generate no sites, policies, costs or landing process"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        generate_site(site, arguments.parks, investment=not arguments.without_investment)
        slug = "park-00001"
        park = site / "content" / "parks" / f"{slug}.md"
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            url = f"http://127.0.0.1:{port}/parks/{slug}/"
            started = time.perf_counter()
            wait_until_served(url)
            first = time.perf_counter() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_timeout(1000)  # the live-reload connection
                text = time_edits(
                    page, park, arguments.edits, lambda body, marker: body + f"\n{marker}\n", arguments.gap
                )
                facts = time_edits(
                    page,
                    park,
                    arguments.edits,
                    lambda body, marker: body.replace("summary:\n  zh: ", f"summary:\n  zh: {marker}", 1),
                    arguments.gap,
                )
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=120)  # a stop waits for the build under way
    print(
        f"preview of {arguments.parks} parks, saves {arguments.gap:g} s apart; first build served after {first:.1f} s"
    )
    print("| edit | until painted, median ms | saves (ms) | until the driver saw it, median ms | saves (ms) |")
    print("| --- | ---: | --- | ---: | --- |")
    for label, (painted, seen) in (("text of one park", text), ("facts of one park", facts)):
        print(f"| {label} | {_milliseconds(painted)} | {_milliseconds(seen)} |")


def _milliseconds(runs: list[float]) -> str:
    """The median and each run, in milliseconds, as two cells."""
    return f"{statistics.median(runs) * 1000:.0f} | {', '.join(f'{run * 1000:.0f}' for run in runs)}"


if __name__ == "__main__":
    main()
