"""What PDF brochures add to whole `sitegen build` processes, on the starter site or a corpus.

Run: python bench/brochure_speed.py [--runs 3] [--cold-runs 2] [--parks N] [--code CHECKOUT]
     [--rows cold "caches warm"]

Builds a copy of content/ (or, with --parks, bench/corpus.py's site of N parks) twice over,
once with brochures on and once with `brochures: false`, the two taken in turn run by run, and
prints one Markdown table of medians, with the difference and the ratio:

- cold: build/ and .sitegen-cache/ removed before each run (every PDF printed);
- caches warm: build/ removed, caches left (every PDF taken from .sitegen-cache/brochures/, none drawn again);
- 1 park, text: after appending a paragraph to one park's Chinese body (no PDF printed);
- 1 park, facts: after changing that park's `updated` date, which its brochures show (two PDFs);
- no-op: nothing changed.

Every build runs from a copy of sitegen/ taken when the bench starts (see build_speed.py). Each
cell gives wall time and, after the slash, CPU time (user + system, the printing processes and
the fork server they come from included), which a machine busy with other work inflates far
less; the load average is printed too. On 2 cores, wall time is about half the CPU time of the printing.
A second table gives the memory of the same builds: the largest resident set of any one process
and the largest sum of the resident sets of all of them, sampled every 50 ms, and the largest sum
of their proportional set sizes (what the machine holds: forked workers share pages), every 200 ms.
--code measures the sitegen/ of another checkout (say, the main branch's), to alternate old and
new code on the same machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_speed import REPO, edited_park, remove_build, remove_caches, snapshot_code
from corpus import generate_site

ROWS = ("cold", "caches warm", "1 park, text", "1 park, facts", "no-op")


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    largest_mb: float = 0.0
    """The largest resident set of any one process of the build."""
    all_mb: float = 0.0
    """The largest sum of the resident sets of all its processes at one time: forked processes
    share pages, which each one's resident set counts again."""
    proportional_mb: float = 0.0
    """The largest sum of their proportional set sizes (each shared page divided among the
    processes sharing it): what the machine holds for the build."""


def build_site(site: Path, code: Path) -> Timing:
    """One whole `python -m sitegen build` of `site`, with the sitegen in `code`."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build", "-s", str(site)], cwd=code, stdout=subprocess.DEVNULL, stderr=err
        )
        server_cpu, largest, together, proportional = watch(process.pid)
        _, status, usage = os.wait4(process.pid, 0)  # the usage includes the workers it waited for
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0 or "no PDF brochures" in stderr:
        raise SystemExit(f"the build of {site} failed or made no brochures:\n{stderr[-4000:]}")
    largest = max(largest, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux
    return Timing(wall, usage.ru_utime + usage.ru_stime + server_cpu, largest, together, proportional)


def watch(pid: int) -> tuple[float, float, float, float]:
    """CPU seconds of the fork server `pid` starts (multiprocessing's; the brochures' printing
    processes are forked from it), with the workers it forked, once `pid` has exited; and the
    largest resident set of one process and of all of them together, and the largest sum of
    their proportional set sizes, in MB.

    The build never waits for that server, so the build's own usage leaves it out; it is read
    from /proc every 50 ms while the build runs (its workers count once the server has reaped
    them, which it does as each ends, long before the build does). Returns zeros where there is no /proc.
    """
    seen: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    largest = together = proportional = 0.0
    ticks = 0
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        processes = [pid, *descendants(pid)]
        sizes = [_resident_mb(each) for each in processes]
        largest, together = max(largest, *sizes), max(together, sum(sizes))
        if ticks % 4 == 0:  # reading smaps_rollup walks each process's page tables: not every tick
            proportional = max(proportional, sum(proportional_mb(each) for each in processes))
        ticks += 1
        for child in _children(pid):
            try:
                if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                    fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
                    seen[child] = sum(int(value) for value in fields[11:15]) / tick  # utime stime cutime cstime
            except OSError:
                continue
        time.sleep(0.05)
    return sum(seen.values()), largest, together, proportional


def _resident_mb(pid: int) -> float:
    return _proc_mb(pid, "status", "VmRSS")


def proportional_mb(pid: int) -> float:
    return _proc_mb(pid, "smaps_rollup", "Pss")


def _proc_mb(pid: int, file: str, field: str) -> float:
    """A size in /proc/<pid>/<file>, in MB; 0 once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/{file}").read_text()
    except OSError:
        return 0.0
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def descendants(pid: int) -> list[int]:
    found = _children(pid)
    return found + [grandchild for child in found for grandchild in descendants(child)]


def _children(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def measure(
    sites: dict[str, Path], code: Path, runs: int, cold_runs: int, rows: list[str]
) -> dict[str, dict[str, Timing]]:
    """Each row's median Timing for each site, the sites' builds taken in turn, so that what the
    machine does meanwhile (writing back the last build's files, say) falls on both alike."""
    parks = {label: edited_park(site) for label, site in sites.items()}
    originals = {label: park.read_text(encoding="utf-8") for label, park in parks.items()}
    for label, original in originals.items():
        assert re.search(r"^updated: \d{4}-\d\d-\d\d$", original, re.MULTILINE), f"{parks[label]} has no updated: date"

    def edit_text(park: Path, number: int) -> None:
        with park.open("a", encoding="utf-8") as file:
            file.write(f"\n园区第{number + 1}次补充说明：新增标准厂房两栋，已交付使用。\n")

    def edit_facts(park: Path, number: int) -> None:
        text = park.read_text(encoding="utf-8")
        park.write_text(
            re.sub(r"^updated: .*$", f"updated: 2026-10-{number + 1:02d}", text, flags=re.MULTILINE), encoding="utf-8"
        )

    def median(timings: list[Timing]) -> Timing:
        return Timing(
            statistics.median(t.wall for t in timings),
            statistics.median(t.cpu for t in timings),
            max(t.largest_mb for t in timings),
            max(t.all_mb for t in timings),
            max(t.proportional_mb for t in timings),
        )

    before: dict[str, tuple[int, Callable[[str, int], None]]] = {
        "cold": (cold_runs, lambda label, _: remove_caches(sites[label])),
        "caches warm": (runs, lambda label, _: remove_build(sites[label])),
        "1 park, text": (runs, lambda label, number: edit_text(parks[label], number)),
        "1 park, facts": (runs, lambda label, number: edit_facts(parks[label], number)),
        "no-op": (runs, lambda label, number: None),
    }
    figures: dict[str, dict[str, Timing]] = {label: {} for label in sites}
    try:
        for row in rows:
            count, step = before[row]
            timings: dict[str, list[Timing]] = {label: [] for label in sites}
            for site in sites.values():
                if row != "cold" and not (site / "build").is_dir():
                    build_site(site, code)  # the caches and the site the row starts from
            for number in range(count):
                for label, site in sites.items():
                    step(label, number)
                    timings[label].append(build_site(site, code))
            for label in sites:
                figures[label][row] = median(timings[label])
    finally:
        for label, original in originals.items():
            parks[label].write_text(original, encoding="utf-8")
    return figures


def make_site(site: Path, parks: int, brochures: bool) -> None:
    """The starter's content (parks 0) or bench/corpus.py's site of `parks` parks, in `site`."""
    if parks:
        generate_site(site, parks)
        settings = site / "content" / "site.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("brochures: false\n", ""), encoding="utf-8")
    else:
        shutil.copytree(REPO / "content", site / "content")
    if not brochures:
        with (site / "content" / "site.yaml").open("a", encoding="utf-8") as settings:
            settings.write("brochures: false\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per measurement; the median is printed")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold builds (each prints every PDF)")
    parser.add_argument("--parks", type=int, default=0, help="measure bench/corpus.py's site of this many parks")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose sitegen/ is measured")
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS), help="the measurements to make")
    arguments = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        measured = snapshot_code(work / "code", arguments.code.resolve())
        sites = {label: work / label.replace(" ", "-") for label in ("brochures off", "brochures on")}
        for label, site in sites.items():
            make_site(site, arguments.parks, brochures=label == "brochures on")
        results = measure(sites, work / "code", arguments.runs, arguments.cold_runs, arguments.rows)
        pdfs = sorted((sites["brochures on"] / "build" / "brochures").rglob("*.pdf"))
        if pdfs:
            sizes = [pdf.stat().st_size for pdf in pdfs]
            print(f"{len(pdfs)} PDFs, {sum(sizes) / 1e6:.1f} MB, median {statistics.median(sizes) / 1e3:.0f} KB")
    print(
        f"\n{measured}; {os.cpu_count()} cores; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after; medians of whole processes (cold: {arguments.cold_runs} runs, "
        f"others: {arguments.runs})\n"
    )
    print_tables(results, arguments.rows, f"{arguments.parks} parks" if arguments.parks else "starter site (37 parks)")


def print_tables(results: dict[str, dict[str, Timing]], rows: list[str], title: str) -> None:
    print(f"| {title}, wall / CPU | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for label, figures in results.items():
        print(
            f"| {label} | " + " | ".join(f"{figures[row].wall:.2f} / {figures[row].cpu:.2f} s" for row in rows) + " |"
        )
    on, off = results["brochures on"], results["brochures off"]
    added = [f"{on[row].wall - off[row].wall:+.2f} / {on[row].cpu - off[row].cpu:+.2f} s" for row in rows]
    print("| added by brochures | " + " | ".join(added) + " |")
    print("| CPU with ÷ without | " + " | ".join(f"{on[row].cpu / off[row].cpu:.2f}×" for row in rows) + " |")
    print(f"\n| {title}, memory: largest process / all, resident / all, proportional | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for label, figures in results.items():
        cells = [
            f"{figures[row].largest_mb:.0f} / {figures[row].all_mb:.0f} / {figures[row].proportional_mb:.0f} MB"
            for row in rows
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
