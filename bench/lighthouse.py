"""Lighthouse scores of the built site at mobile settings, against issue 5's budget of 95.

Run: python bench/lighthouse.py [--park SLUG] [--runs N] [--reports DIR]

Once, to install the pinned Lighthouse from the npm registry: (cd bench && npm ci)

Builds the repository's content into a temporary folder with base_url set to the local server
(so canonical URLs are the served ones), serves it on 127.0.0.1 the way docs/publishing.md
tells a host to (gzip for text, the MIME types and cache headers it lists, 404.html for a
missing page), and runs Lighthouse with Debian's Chromium (CHROME_PATH=/usr/bin/chromium) on
home, a park profile and the map page in both languages, at Lighthouse's default mobile
settings (a mid-range phone, simulated slow 4G). Map tiles are blocked (they are the one
third-party request; offline they could not load anyway) and every other outside host fails
to resolve, so nothing leaves the machine. Prints a table of the four category scores (the
median of --runs runs), then, for each score under the budget, the audits that cost points.
Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Every host but this machine fails to resolve: a run never fetches from outside.
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
]
TILE_HOSTS = ["*.tianditu.gov.cn", "*.is.autonavi.com", "*.openstreetmap.org"]
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}
BUDGET = 95
DEFAULT_PARK = "jinan-start-up-area"

# What docs/publishing.md asks of a host, in miniature.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}
COMPRESSED = (".html", ".css", ".js", ".json", ".geojson", ".ics", ".xml", ".csv", ".txt", ".svg")


@dataclass(frozen=True)
class Target:
    label: str
    path: str


def targets(park: str) -> list[Target]:
    return [
        Target("home zh", ""),
        Target("home en", "en/"),
        Target("park zh", f"parks/{park}/"),
        Target("park en", f"en/parks/{park}/"),
        Target("map zh", "map/"),
        Target("map en", "en/map/"),
    ]


class HostLikeHandler(http.server.BaseHTTPRequestHandler):
    """Serves the built folder with the headers docs/publishing.md recommends."""

    root: Path

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = (self.root / path.lstrip("/")).resolve()
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            file = file / "index.html"
        status = 200
        if self.root not in file.parents or not file.is_file():
            status, file = 404, self.root / "404.html"
        body = file.read_bytes()
        headers = {"Content-Type": MIME_TYPES.get(file.suffix, "application/octet-stream")}
        if file.suffix == ".html":
            headers["Cache-Control"] = "no-cache"
        else:
            headers["Cache-Control"] = "public, max-age=86400"
        if file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def build_site(output: Path, base_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-s", str(REPO), "-o", str(output)],
        capture_output=True,
        text=True,
        env={**os.environ, "SITEGEN_BASE_URL": base_url},
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout}{result.stderr}")


def run_lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--blocked-url-patterns",
        *TILE_HOSTS,
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        timeout=300,
        check=False,
    )
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise SystemExit(f"lighthouse could not load {url}: {data['runtimeError']}")
    return data


def score(data: dict, category: str) -> int | None:
    value = data["categories"][category]["score"]
    return None if value is None else round(value * 100)


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median (performance is the noisy one)."""
    ordered = sorted(runs, key=lambda data: score(data, "performance") or 0)
    return ordered[len(ordered) // 2]


def failing_audits(data: dict, category: str) -> list[str]:
    """Lines naming the audits that cost `category` points, worst first, with what they flag."""
    audits = data["audits"]
    lines = []
    refs = data["categories"][category]["auditRefs"]
    if category == "performance":
        for ref in refs:
            audit = audits[ref["id"]]
            if ref.get("group") == "metrics" and audit["score"] is not None and audit["score"] < 0.9:
                lines.append(f"{audit['title']}: {audit.get('displayValue', '')} (score {audit['score']:.2f})")
        insights = [
            audits[ref["id"]]
            for ref in refs
            if ref.get("weight", 0) == 0
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["scoreDisplayMode"] in ("metricSavings", "numeric", "binary")
            and audits[ref["id"]]["score"] < 0.9
        ]
        for audit in sorted(insights, key=lambda audit: audit["score"])[:8]:
            lines.append(f"{audit['id']}: {audit['title']} {audit.get('displayValue', '')}".rstrip())
        return lines
    for ref in refs:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit["score"] is not None and audit["score"] < 1:
            lines.append(f"{audit['id']} (weight {ref['weight']}): {audit['title']}")
            lines.extend(f"    {item}" for item in flagged_items(audit)[:4])
    return lines


def flagged_items(audit: dict) -> list[str]:
    """Short descriptions of what an audit flagged: elements, URLs or console messages."""
    items = []
    for item in (audit.get("details") or {}).get("items", []):
        node = item.get("node") or {}
        if node.get("snippet"):
            items.append(f"{node.get('selector', '')}  {node['snippet'][:140]}")
        elif item.get("description"):
            where = (item.get("sourceLocation") or {}).get("url", "")
            items.append(f"{item.get('source', '')}: {item['description'][:120]} {where}".rstrip())
        elif item.get("href"):
            items.append(f"{item['href']} {item.get('text', '')!r}")
        elif item.get("url"):
            items.append(str(item["url"])[:160])
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--park", default=DEFAULT_PARK, help=f"park slug for the profile page (default {DEFAULT_PARK})")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is shown")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    arguments = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: (cd bench && npm ci)")
    if not CHROMIUM.exists():
        raise SystemExit("Chromium is not installed: apt-get install chromium")

    with tempfile.TemporaryDirectory(prefix="sitegen-lighthouse-") as scratch:
        site = Path(scratch) / "site"
        reports = arguments.reports or Path(scratch) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (HostLikeHandler,), {"root": site.resolve()})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base_url = f"http://127.0.0.1:{server.server_address[1]}/"
        build_site(site, base_url)
        handler.root = site.resolve()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            results = {}
            for target in targets(arguments.park):
                runs = []
                for number in range(arguments.runs):
                    name = f"{target.label.replace(' ', '-')}-{number + 1}.json"
                    runs.append(run_lighthouse(base_url + target.path, reports / name))
                results[target] = (runs, median_run(runs))
                print(f"measured {target.label}", file=sys.stderr, flush=True)
        finally:
            server.shutdown()
            server.server_close()

    print(
        f"Lighthouse {results[next(iter(results))][1]['lighthouseVersion']}, mobile, {arguments.runs} run(s) per page"
    )
    print(f"{'page':<10} {'path':<40} " + " ".join(f"{short:>5}" for short in CATEGORIES.values()))
    for target, (runs, _) in results.items():
        cells = []
        for category in CATEGORIES:
            values = [value for value in (score(data, category) for data in runs) if value is not None]
            cells.append(f"{round(statistics.median(values)):>5}" if values else f"{'-':>5}")
        print(f"{target.label:<10} {'/' + target.path:<40} " + " ".join(cells))

    for target, (_, data) in results.items():
        for category in CATEGORIES:
            value = score(data, category)
            if value is not None and value < BUDGET:
                print(f"\n{target.label} {category} {value} < {BUDGET}:")
                for line in failing_audits(data, category):
                    print(f"  {line}")
    if arguments.reports:
        print(f"\nreports: {reports}")


if __name__ == "__main__":
    main()
