"""Weight and draw time of the built industry map page, against the budgets of issue 3.

Run: python bench/map_page.py [--parks 1000 10000] [--loads 5] [--built FOLDER ...]

Builds the starter content (37 parks) and generated sites (bench/build_speed.generate_site),
then prints per site and language:
- transfer: the map page's HTML and every script and stylesheet it links, each gzip -9 as a
  server would send it (tiles excluded; they come from the tile provider);
- bytes per extra park, from the starter to the first generated site;
- the milliseconds from navigation start (performance.now()) until markers are drawn, meaning
  window.sitegenMaps.industry exists and a .sg-pin or .marker-cluster is in the DOM: the
  median of fresh page loads (a new browser context each, so nothing is cached) in headless
  Chromium on localhost, with every outside host unresolvable so no tile loads.
Prints figures and budgets side by side; it asserts nothing.

--built measures output folders already built (say, of the same site by two versions of the code)
instead of building; their loads alternate, one of each in turn, so a machine whose load drifts
treats them alike.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from build_speed import REPO, generate_site

CHROMIUM = Path("/usr/bin/chromium")
# As the browser tests launch it, plus: every host name fails to resolve, so tiles are
# refused at once without intercepting (and slowing) the page's own local requests.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
STARTER_PARKS = 37
BUDGET_PAGE_KB = 120  # the starter's map page, gzip, tiles excluded
BUDGET_BYTES_PER_PARK = 300  # gzip, each park beyond the starter's
BUDGET_DRAW_MS = {1000: 1000, 10000: 1500}  # markers drawn after navigation start (issue 22)
MAP_PAGES = {"zh": "map/index.html", "en": "en/map/index.html"}

# Runs before the page's own scripts; notes the first moment markers are in the DOM.
WATCH_MARKERS = """
(() => {
  const drawn = () => window.sitegenMaps && window.sitegenMaps.industry
    && document.querySelector(".sg-pin, .marker-cluster");
  const observer = new MutationObserver(() => {
    if (window.__sgMarkersAt === undefined && drawn()) {
      window.__sgMarkersAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true});
})();
"""


@dataclass(frozen=True)
class Site:
    label: str
    parks: int
    build: Path


class _LinkedAssets(HTMLParser):
    """The <script src> and <link rel=stylesheet href> values of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"] or "")
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_transfer(build: Path, page: str) -> tuple[int, int]:
    """(gzip bytes of the HTML, gzip bytes of the scripts and stylesheets it links)."""
    html = (build / page).read_bytes()
    parser = _LinkedAssets()
    parser.feed(html.decode("utf-8"))
    assets = 0
    for link in parser.assets:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith("/"):
            raise SystemExit(f"{page} links {link}: not a file of this site, so not measured")
        assets += gzip_size(((build / page).parent / parts.path).resolve().read_bytes())
    return gzip_size(html), assets


def build_site(site: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-s", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"build of {site} failed:\n{result.stderr}")
    return site / "build"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A local HTTP server for a built site -> its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def draw_time(browser, url: str) -> float:
    """Milliseconds from navigation start until markers are drawn, in a fresh browser context."""
    outside: list[str] = []

    def note_outside(response) -> None:
        if urlsplit(response.url).hostname != "127.0.0.1":
            outside.append(response.url)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH_MARKERS)
    page = context.new_page()
    page.on("response", note_outside)
    page.goto(url)
    page.wait_for_function("() => window.__sgMarkersAt !== undefined", timeout=60_000)
    milliseconds = page.evaluate("window.__sgMarkersAt")
    context.close()
    if outside:
        raise SystemExit(f"an outside request got through ({outside[0]}): the times would include it")
    return milliseconds


def sites(scratch: Path, sizes: list[int]) -> list[Site]:
    starter = scratch / "starter"
    shutil.copytree(REPO / "content", starter / "content")
    found = [Site("starter content", STARTER_PARKS, build_site(starter))]
    for parks in sizes:
        print(f"generating and building {parks} parks ...", file=sys.stderr, flush=True)
        generated = scratch / f"generated-{parks}"
        generate_site(generated, parks)
        found.append(Site(f"generated {parks}", parks, build_site(generated)))
    return found


def built_sites(folders: list[Path]) -> list[Site]:
    """Output folders as they are; each one's park count is the number of rows of its map table."""
    found = []
    for folder in folders:
        page = folder / MAP_PAGES["zh"]
        if not page.is_file():
            raise SystemExit(f"{folder} has no {MAP_PAGES['zh']}: give the output folder of a build")
        parks = page.read_text(encoding="utf-8").count('<tr data-slug="')
        found.append(Site(str(folder), parks, folder))
    return found


def measure(browser, found: list[Site], loads: int) -> list[tuple[Site, str, int, int, float]]:
    """(site, language, HTML gzip bytes, assets gzip bytes, median draw ms) per site and language,
    the loads of all pages taken in turn."""
    times: dict[tuple[int, str], list[float]] = {}
    with ExitStack() as stack:
        bases = [stack.enter_context(served(site.build)) for site in found]
        for _ in range(loads):
            for index, base in enumerate(bases):
                for lang, page in MAP_PAGES.items():
                    url = base + page.removesuffix("index.html")
                    times.setdefault((index, lang), []).append(draw_time(browser, url))
    rows = []
    for index, site in enumerate(found):
        for lang, page in MAP_PAGES.items():
            html, assets = page_transfer(site.build, page)
            rows.append((site, lang, html, assets, statistics.median(times[index, lang])))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, nargs="*", default=[1000, 10000], help="sizes of generated sites")
    parser.add_argument("--loads", type=int, default=5, help="fresh page loads per page (the median is printed)")
    parser.add_argument(
        "--built", type=Path, nargs="+", metavar="FOLDER", help="measure these output folders instead of building"
    )
    arguments = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        found = built_sites(arguments.built) if arguments.built else sites(Path(scratch), arguments.parks)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        rows = measure(browser, found, arguments.loads)
        browser.close()

    totals = {(site.parks, lang): html + assets for site, lang, html, assets, _ in rows}
    header = (
        f"{'site':<17} {'lang':<4} {'parks':>6} {'HTML gz KB':>10} {'JS+CSS gz KB':>12} {'total KB':>9} "
        f"{'budget':>7} {'B/extra park':>12} {'budget':>7} {'markers ms':>10} {'budget':>7}"
    )
    print(header)
    print("-" * len(header))
    for site, lang, html, assets, median_ms in rows:
        total = html + assets
        page_budget = f"{BUDGET_PAGE_KB}" if site.parks == STARTER_PARKS else ""
        per_park = park_budget = ""
        if site.parks != STARTER_PARKS and (STARTER_PARKS, lang) in totals:
            per_park = f"{(total - totals[STARTER_PARKS, lang]) / (site.parks - STARTER_PARKS):.0f}"
            park_budget = f"{BUDGET_BYTES_PER_PARK}"
        draw_budget = f"{BUDGET_DRAW_MS[site.parks]}" if site.parks in BUDGET_DRAW_MS else ""
        print(
            f"{site.label:<17} {lang:<4} {site.parks:>6} {html / 1024:>10.1f} {assets / 1024:>12.1f} "
            f"{total / 1024:>9.1f} {page_budget:>7} {per_park:>12} {park_budget:>7} {median_ms:>10.0f} {draw_budget:>7}"
        )
    print(
        f"\nKB = 1024 bytes; B/extra park = (total - starter total) / (parks - {STARTER_PARKS}); markers ms = "
        f"median of {arguments.loads} fresh loads, 1280x800, from navigation start to markers in the DOM.\n"
        "Generated parks have near-identical names and summaries, which gzip well: B/extra park is a lower\n"
        "bound (bench/map_size.py, with varied names, measures the map data alone)."
    )


if __name__ == "__main__":
    main()
