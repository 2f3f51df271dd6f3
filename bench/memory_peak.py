"""Where a cold build's memory goes at its peak: every process of the build, by its share.

Run: python bench/memory_peak.py [--parks 1000] [--brochures] [--without-investment] [--runs 2]

Builds the starter's content (no --parks) or bench/corpus.py's site of N parks from nothing
(no build/, no .sitegen-cache/), samples the proportional set size of every process of the
build every 100 ms (what the machine holds: forked processes share pages), and prints, for each
run, the largest sum, when it came, and each process's share at that moment, by its role: the
build itself, its forked workers (pages or Markdown), Pagefind, the fork server of the printing
processes and those, and multiprocessing's resource tracker. Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from brochure_speed import descendants, proportional_mb
from build_speed import REPO, remove_build, remove_caches, snapshot_code
from corpus import generate_site

SAMPLE_S = 0.1


def role(pid: int, build: int) -> str:
    """What a process of the build is, by its command line and its parent."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return "gone"
    if pid == build:
        return "build"
    if "pagefind" in command:
        return "Pagefind"
    if "resource_tracker" in command:
        return "resource tracker"
    if "forkserver" in command:  # the printing processes are forked from the server, command and all
        return "fork server" if parent == build else "printing"
    return "forked worker"


def peak(site: Path, code: Path) -> tuple[float, float, list[tuple[float, str]]]:
    """The largest sum of proportional set sizes (MB), seconds into the build, and the shares then."""
    remove_build(site)
    remove_caches(site)
    started = time.perf_counter()
    build = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", "-s", str(site)],
        cwd=code,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    largest, when, shares = 0.0, 0.0, []
    while build.poll() is None:
        processes = [build.pid, *descendants(build.pid)]
        sizes = [(proportional_mb(pid), role(pid, build.pid)) for pid in processes]
        total = sum(size for size, _ in sizes)
        if total > largest:
            largest, when, shares = total, time.perf_counter() - started, sizes
        time.sleep(SAMPLE_S)
    if build.returncode != 0:
        raise SystemExit(f"the build of {site} failed")
    return largest, when, sorted(shares, reverse=True)


def make_site(site: Path, parks: int, brochures: bool, investment: bool) -> None:
    """The starter's content (parks 0) or bench/corpus.py's site, with brochures on or off."""
    if parks:
        generate_site(site, parks, investment=investment)
    else:
        shutil.copytree(REPO / "content", site / "content")
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8").replace("brochures: false\n", "")
    settings.write_text(text + ("" if brochures else "brochures: false\n"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=0, help="bench/corpus.py's site of this many parks")
    parser.add_argument("--brochures", action="store_true", help="with PDF brochures")
    parser.add_argument("--without-investment", action="store_true", help="no sites, policies or costs")
    parser.add_argument("--runs", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        measured = snapshot_code(work / "code")
        site = work / "site"
        make_site(site, arguments.parks, arguments.brochures, not arguments.without_investment)
        print(f"{measured}; {arguments.parks or 'starter'} parks, brochures {'on' if arguments.brochures else 'off'}")
        for run in range(arguments.runs):
            largest, when, shares = peak(site, work / "code")
            parts = ", ".join(f"{name} {size:.0f}" for size, name in shares if size >= 1)
            print(f"run {run + 1}: {largest:.0f} MB at {when:.1f} s ({parts})")


if __name__ == "__main__":
    main()
