"""Weight of the site finder on first load, and how fast it answers a filter change on a slow phone.

Run: python bench/finder_page.py [--parks 1000] [--build path/to/build] [--rounds 5]

Generates a site with bench/corpus.py (five sites per park, about half of them available) and
builds it, or measures an existing `--build` folder. Then prints, for /find/ and /en/find/:
- first load: the page's HTML and every script and stylesheet it links, each gzip -9 as a
  server would send it (budget: 150 KB at 1,000 parks and 5,000 sites);
- the milliseconds from a filter change to the next frame drawn (the change event, the rows'
  visibility, style, layout and paint), with Chromium's CPU throttled 4x through the DevTools
  call Emulation.setCPUThrottlingRate, at 390 px: the median and the slowest of `--rounds`
  rounds of each change (budget: 100 ms);
- from a performance trace of the same rounds, the page's main-thread CPU time from the change
  to that frame (script, style, layout, paint), unthrottled: the figure to compare versions
  by on a busy machine, where the wall-clock times above swing with other processes.
Prints figures and budgets side by side; it asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import itertools
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from corpus import REPO, generate_site
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
BUDGET_KB = 150
BUDGET_MS = 100
THROTTLE = 4
PAGES = {"zh": "find/", "en": "en/find/"}
CHANGES = {
    "Jinan or Dezhou, land >= 50 mu, <= 30 万元/亩": {
        "city": ["jinan", "dezhou"],
        "kind": "land",
        "amin": "50",
        "pmax": "30",
    },
    "kind: standard factory": {"kind": "standard-factory"},
    "one sector": {"sector": "new-materials"},
    "everything again (all rows shown)": {},
}
"""Each change starts from a cleared form; the last one shows every row again, the most work."""

# Sets the form as `values` says, fires one change, and times it to the next frame drawn.
TIME_CHANGE = """
async (values) => {
  const form = document.querySelector("[data-finder]");
  form.reset();
  const cities = values.city || [];
  form.querySelectorAll("input[name=city]").forEach((box) => { box.checked = cities.includes(box.value); });
  for (const name of ["sector", "kind", "amin", "amax", "pmax", "by"]) {
    if (form.elements[name]) form.elements[name].value = values[name] || "";
  }
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  console.timeStamp("finder-change");
  const start = performance.now();
  form.dispatchEvent(new Event("change", {bubbles: true}));
  const script = performance.now() - start;
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  console.timeStamp("finder-frame");
  return [performance.now() - start, script, form.querySelector("[data-finder-count]").textContent];
}
"""


def first_load_bytes(build: Path, page: str) -> dict[str, int]:
    """gzip -9 bytes of the page and each stylesheet and script it links."""
    html = (build / page / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"?]+)', html)
    sizes = {page: len(gzip.compress(html.encode("utf-8"), 9))}
    for link in linked:
        file = (build / page / link).resolve()
        sizes[file.relative_to(build.resolve()).as_posix()] = len(gzip.compress(file.read_bytes(), 9))
    return sizes


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@dataclass
class Timings:
    """Milliseconds to the next frame drawn, and of those the script's own, per round."""

    frame: list[float] = field(default_factory=list)
    script: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    counted: str = ""


TRACED = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"]


def time_changes(browser: Browser, page: Page, rounds: int) -> dict[str, Timings]:
    timings = {name: Timings() for name in CHANGES}
    browser.start_tracing(page=page, categories=TRACED)
    for _ in range(rounds):
        for name, values in CHANGES.items():
            frame, script, timings[name].counted = page.evaluate(TIME_CHANGE, values)
            timings[name].frame.append(frame)
            timings[name].script.append(script)
    windows = main_thread_cpu(json.loads(browser.stop_tracing()))
    for index, cpu in enumerate(windows):
        timings[list(CHANGES)[index % len(CHANGES)]].cpu.append(cpu)
    return timings


def main_thread_cpu(trace: dict) -> list[float]:
    """CPU milliseconds of the page's main thread between each "finder-change" and the next
    "finder-frame" time stamp: the thread time of the outermost events that begin in between."""
    events = trace["traceEvents"]
    stamps = [event for event in events if event.get("name") == "TimeStamp"]
    thread = (stamps[0]["pid"], stamps[0]["tid"])
    timed = sorted(
        (event["ts"], event["dur"], event.get("tdur", 0))
        for event in events
        if (event["pid"], event["tid"]) == thread and event.get("ph") == "X" and "dur" in event
    )
    marks = [(stamp["ts"], stamp["args"]["data"]["message"]) for stamp in stamps]
    windows = [(start, end) for (start, label), (end, _) in itertools.pairwise(marks) if label == "finder-change"]
    cpu = []
    for start, end in windows:
        total, covered_until = 0.0, start
        for begin, duration, thread_time in timed:
            if start <= begin < end and begin >= covered_until:
                total += thread_time
                covered_until = begin + duration
        cpu.append(total / 1000)
    return cpu


def measure(build: Path, rounds: int) -> None:
    with serving(build) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for lang, path in PAGES.items():
            sizes = first_load_bytes(build, path)
            total = sum(sizes.values()) / 1000
            print(f"\n## /{path} ({lang})\n")
            print("first load, gzip -9: " + ", ".join(f"{name} {size / 1000:.1f} KB" for name, size in sizes.items()))
            print(f"total {total:.1f} KB (budget {BUDGET_KB} KB)\n")
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(base + path)
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
            print(
                f"| change (CPU {THROTTLE}x slower, 390 px) | fitting | median ms | slowest ms | script ms (median) "
                "| main-thread CPU ms, unthrottled (median) |"
            )
            print("| --- | --- | --- | --- | --- | --- |")
            for name, timing in time_changes(browser, page, rounds).items():
                frame, script = timing.frame, timing.script
                print(
                    f"| {name} | {timing.counted} | {statistics.median(frame):.0f} | {max(frame):.0f} "
                    f"| {statistics.median(script):.0f} | {statistics.median(timing.cpu):.1f} |"
                )
            print(f"\nbudget: {BUDGET_MS} ms")
            page.close()
        browser.close()


def build_generated(parks: int, folder: Path) -> Path:
    site = folder / "site"
    generate_site(site, parks)
    subprocess.run([sys.executable, "-m", "sitegen", "build", "-s", str(site)], cwd=REPO, check=True)
    return site / "build"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000, help="parks in the generated site (default 1000)")
    parser.add_argument("--build", type=Path, help="measure this built site instead of generating one")
    parser.add_argument("--rounds", type=int, default=5, help="times each change is timed (default 5)")
    arguments = parser.parse_args()
    if arguments.build:
        measure(arguments.build, arguments.rounds)
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-finder-") as scratch:
        build = build_generated(arguments.parks, Path(scratch))
        print(f"{arguments.parks} parks, {arguments.parks * 5} sites")
        measure(build, arguments.rounds)


if __name__ == "__main__":
    main()
