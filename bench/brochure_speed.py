"""What PDF brochures add to whole `sitegen build` processes of the starter site (37 parks).

Run: python bench/brochure_speed.py [--runs 3] [--cold-runs 2]

Builds a copy of content/ twice over, once as it is (brochures on) and once with
`brochures: false`, and prints one Markdown table of medians, with the difference:

- cold: build/ and .sitegen-cache/ removed before each run (every PDF printed);
- caches warm: build/ removed, caches left (every PDF read back from .sitegen-cache/brochures/);
- 1 park, text: after appending a paragraph to one park's Chinese body (no PDF printed);
- 1 park, facts: after changing that park's `updated` date, which its brochures show (two PDFs);
- no-op: nothing changed.

Every build runs from a copy of sitegen/ taken when the bench starts (see build_speed.py). The
machine's load average is printed too: PDFs are printed on every core, so a busy machine slows
the cold builds most.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from build_speed import REPO, Run, build_site, edited_park, remove_build, remove_caches, repeat, snapshot_code

ROWS = ("cold", "caches warm", "1 park, text", "1 park, facts", "no-op")


def measure(site: Path, code: Path, runs: int, cold_runs: int) -> dict[str, float]:
    park = edited_park(site)
    original = park.read_text(encoding="utf-8")
    assert re.search(r"^updated: \d{4}-\d\d-\d\d$", original, re.MULTILINE), f"{park} has no updated: date"

    def edit_text(number: int) -> None:
        with park.open("a", encoding="utf-8") as file:
            file.write(f"\n园区第{number + 1}次补充说明：新增标准厂房两栋，已交付使用。\n")

    def edit_facts(number: int) -> None:
        text = park.read_text(encoding="utf-8")
        park.write_text(re.sub(r"^updated: .*$", f"updated: 2026-10-{number + 1:02d}", text, flags=re.MULTILINE),
                        encoding="utf-8")

    def median(runs_: list[Run]) -> float:
        return statistics.median(run.seconds for run in runs_)

    build = functools.partial(build_site, site, code)
    try:
        figures = {"cold": median(repeat(cold_runs, lambda _: remove_caches(site), build))}
        figures["caches warm"] = median(repeat(runs, lambda _: remove_build(site), build))
        build()
        figures["1 park, text"] = median(repeat(runs, edit_text, build))
        figures["1 park, facts"] = median(repeat(runs, edit_facts, build))
        figures["no-op"] = median(repeat(runs, lambda _: None, build))
    finally:
        park.write_text(original, encoding="utf-8")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per measurement; the median is printed")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold builds (each prints every PDF)")
    arguments = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        measured = snapshot_code(work / "code")
        results = {}
        for label, brochures in (("brochures off", False), ("brochures on", True)):
            site = work / label.replace(" ", "-")
            shutil.copytree(REPO / "content", site / "content")
            if not brochures:
                with (site / "content" / "site.yaml").open("a", encoding="utf-8") as settings:
                    settings.write("brochures: false\n")
            results[label] = measure(site, work / "code", arguments.runs, arguments.cold_runs)
            pdfs = sorted((site / "build" / "brochures").rglob("*.pdf")) if brochures else []
            if pdfs:
                sizes = [pdf.stat().st_size for pdf in pdfs]
                print(f"{len(pdfs)} PDFs, {sum(sizes) / 1e6:.1f} MB, median {statistics.median(sizes) / 1e3:.0f} KB")
    print(f"\n{measured}; {os.cpu_count()} cores; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after; medians of whole processes (cold: {arguments.cold_runs} runs, "
          f"others: {arguments.runs})\n")
    print("| starter site (37 parks) | " + " | ".join(ROWS) + " |")
    print("|---|" + "---|" * len(ROWS))
    for label, figures in results.items():
        print(f"| {label} | " + " | ".join(f"{figures[row]:.2f} s" for row in ROWS) + " |")
    added = [results["brochures on"][row] - results["brochures off"][row] for row in ROWS]
    print("| added by brochures | " + " | ".join(f"{seconds:+.2f} s" for seconds in added) + " |")


if __name__ == "__main__":
    main()
