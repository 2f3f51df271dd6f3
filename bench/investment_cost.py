"""What sites, policies and costs add to a cold build: the same generated site with and without them.

Run: python bench/investment_cost.py [--parks 1000] [--runs 3]

bench/corpus.py writes the site twice from the same seed: once with five sites per park, one
policy per two parks, costs for every city and the landing process, once without them (their
random stream is their own, so the parks, events, chains and projects are identical). Cold
builds of the two alternate, so a machine that slows down or speeds up meanwhile weighs on both
alike, and the bench prints the median of each (wall time, and CPU time of every process, which
a busy machine disturbs less), the pages built and the differences in per cent.
The issue's target is at most 15% at 1,000 parks (5,000 sites and 500 policies).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
from pathlib import Path

from build_speed import build_site, remove_caches, snapshot_code
from corpus import generate_site


def measure(parks: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-investment-") as scratch:
        folder = Path(scratch)
        code = folder / "code"
        print(f"{snapshot_code(code)}; {parks} parks, {runs} alternating cold builds of each site\n")
        sites = {"without": folder / "without", "with": folder / "with"}
        generate_site(sites["without"], parks, investment=False)
        generate_site(sites["with"], parks, investment=True)
        seconds: dict[str, list[float]] = {name: [] for name in sites}
        cpu: dict[str, list[float]] = {name: [] for name in sites}
        pages: dict[str, str] = {}
        for _ in range(runs):
            for name, site in sites.items():
                remove_caches(site)
                run = build_site(site, code)
                seconds[name].append(run.seconds)
                cpu[name].append(run.cpu_seconds)
                found = re.search(r"built (\d+) pages", run.stdout)
                pages[name] = found[1] if found else "?"
        print("| site | pages | cold build, median s | its CPU s (every process) |")
        print("| --- | --- | --- | --- |")
        for name, label in (("without", "without sites, policies, costs"), ("with", "with them")):
            wall, busy = statistics.median(seconds[name]), statistics.median(cpu[name])
            print(f"| {label} | {pages[name]} | {wall:.2f} | {busy:.2f} |")
        for figure, measured in (("wall time", seconds), ("CPU time", cpu)):
            without, with_ = statistics.median(measured["without"]), statistics.median(measured["with"])
            print(f"sites, policies and costs add {100 * (with_ - without) / without:+.1f}% to a cold build's {figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000, help="parks in the generated site (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each site; the median is printed")
    arguments = parser.parse_args()
    measure(arguments.parks, arguments.runs)


if __name__ == "__main__":
    main()
