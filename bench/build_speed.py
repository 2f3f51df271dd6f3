"""Build time, memory and output size of whole `sitegen build` processes, against Hugo's on the same corpus.

Run: python bench/build_speed.py [--parks 37 1000 10000] [--runs 3] [--large-runs 1] [--keep DIR] [--cold-only]
(the values shown are the defaults; --keep DIR keeps the generated sites for profiling; --cold-only
leaves out every build but the cold ones).

For the starter content (content/, 37 parks) and for generated sites of each size in --parks
(bench/corpus.py: bilingual parks of about 1.6 KB of Markdown per language with a table and
lists, one event per ten parks), it times whole `python -m sitegen build` processes and prints
one Markdown table of medians:

- cold: build/ and any `.sitegen-cache` folder in the site root removed before each run; also in
  CPU seconds (user + system of the build and every process it waited for);
- warm: build/ removed, caches left from the build before;
- no-op: build/ present and nothing changed;
- 1 park: after appending a paragraph to one park's Chinese body (a new one each run);
- template: after appending a Jinja comment to the site's override of park.html (a new one each run);
- peak MB: the largest max RSS of any of those builds (the build process or a process it waited
  for, such as the search indexer), from os.wait4;
- output MB: bytes under build/ after a full build.

When `hugo` is on PATH, each site is also written as a Hugo site (bench/hugo_site.py) and built in
full (public/ and resources/ removed) as many times, each build followed by Pagefind's index of
its output (the plain binary we use; a Hugo site has no search without it). The table gives
Hugo's median, the median of Hugo then Pagefind, and our cold build as a multiple of the latter,
our warm build and one-park edit as multiples of Hugo's full build alone.

Every build runs from a copy of sitegen/ taken when the bench starts, so all rows measure the same
code while others edit the tree. The edits are undone at the end, so a site kept with --keep is
the generated one again.

The defaults (the starter, then 37, 1,000 and 10,000 parks) take seven to eleven minutes on the
2-core machine, depending on what else runs. A cold build of 10,000 parks takes one and a half
minutes today, so sites of more than 1,000 parks get --large-runs (default 1) builds per
measurement, not --runs (default 3). `--parks 37 1000` takes about two minutes.
"""

from __future__ import annotations

import argparse
import compileall
import functools
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

from corpus import REPO, generate_site
from hugo_site import clean_hugo_output, hugo_command, hugo_version, pagefind_command, write_hugo_site

__all__ = ["REPO", "generate_site"]  # bench/map_page.py imports both from here

CACHE_FOLDERS = (".sitegen-cache",)
"""Folders in the site root where the generator keeps caches between builds; removed for cold builds."""
TEMPLATE = Path("themes/default/templates/park.html")
"""The site's own copy of the default theme's park page, made before the first build and edited."""
LARGE = 1000
"""Sites with more parks than this use --large-runs."""


@dataclass(frozen=True)
class Run:
    """One finished process: wall time, CPU time and the largest max RSS of it and its waited-for children, stdout."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    stdout: str


@dataclass(frozen=True)
class Row:
    label: str
    parks: int
    runs: int
    pages: str
    cold: float
    cold_cpu: float
    warm: float | None  # None: measured cold only
    no_op: float | None
    park_edited: float | None
    template_edited: float | None
    peak_mb: float
    output_mb: float
    hugo: float | None
    hugo_pagefind: float | None
    """Hugo's full build followed by Pagefind's index of its output: what a Hugo site with search takes."""


def run_process(command: list[str], cwd: Path) -> Run:
    """Run `command` to the end; raise SystemExit with its output when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout}\n{stderr[-4000:]}")
    # user + system time of the process and every child it waited for (workers, the search indexer);
    # ru_maxrss is in KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def snapshot_code(target: Path, source: Path = REPO) -> str:
    """Copy the sitegen/ of the working tree `source` into target/sitegen and say which code it is.

    Builds run from the copy, so every row measures the same code even while others edit the
    tree (a changed module would also make the generator distrust its caches mid-run). The copy
    is compiled to bytecode, as `pip install` compiles an installed package: otherwise, under
    PYTHONDONTWRITEBYTECODE, every build would compile every module again (0.1 s of each).
    """
    shutil.copytree(source / "sitegen", target / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(target / "sitegen", quiet=1)
    git = ["git", "-C", str(source)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    changed = subprocess.run([*git, "status", "--porcelain", "sitegen"], capture_output=True, text=True, check=False)
    if head.returncode != 0:
        return "sitegen from the working tree"
    return f"sitegen at {head.stdout.strip()}" + (" with uncommitted changes" if changed.stdout.strip() else "")


def build_site(site: Path, code: Path) -> Run:
    """One whole `python -m sitegen build` of `site` into site/build, with the sitegen in `code`."""
    return run_process([sys.executable, "-m", "sitegen", "build", "-s", str(site)], cwd=code)


def remove_build(site: Path) -> None:
    shutil.rmtree(site / "build", ignore_errors=True)


def remove_caches(site: Path) -> None:
    remove_build(site)
    for name in CACHE_FOLDERS:
        shutil.rmtree(site / name, ignore_errors=True)


def repeat(runs: int, before: Callable[[int], None], build: Callable[[], Run]) -> list[Run]:
    """`runs` builds, each after `before(run_number)`."""
    done = []
    for number in range(runs):
        before(number)
        done.append(build())
    return done


def median_seconds(runs: list[Run]) -> float | None:
    return statistics.median(run.seconds for run in runs) if runs else None


def folder_megabytes(folder: Path) -> float:
    return sum(file.stat().st_size for file in folder.rglob("*") if file.is_file()) / 1e6


def edited_park(site: Path) -> Path:
    """The park whose body the one-park edit changes: the middle one in file-name order."""
    parks = sorted(path for path in (site / "content" / "parks").glob("*.md") if not path.name.endswith(".en.md"))
    return parks[len(parks) // 2]


def measure(label: str, site: Path, parks: int, runs: int, code: Path, hugo_site: Path | None, cold_only: bool) -> Row:
    started = time.perf_counter()

    def progress(what: str) -> None:
        print(f"{label}: {what} (at {time.perf_counter() - started:.0f} s) ...", file=sys.stderr, flush=True)

    hugo = hugo_pagefind = None
    if hugo_site is not None:
        progress(f"Hugo full build, then Pagefind, x{runs}")
        hugo_runs, pagefind_runs = [], []
        for _ in range(runs):
            clean_hugo_output(hugo_site)
            hugo_runs.append(run_process(hugo_command(hugo_site), hugo_site).seconds)
            pagefind_runs.append(run_process(pagefind_command(hugo_site), hugo_site).seconds)
        hugo = statistics.median(hugo_runs)
        hugo_pagefind = statistics.median(map(sum, zip(hugo_runs, pagefind_runs, strict=True)))
    park, template = edited_park(site), site / TEMPLATE
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "sitegen" / "theme" / "templates" / template.name, template)
    park_text, template_text = park.read_bytes(), template.read_bytes()

    def edit_park(number: int) -> None:
        with park.open("a", encoding="utf-8") as file:
            file.write(f"\n园区第{number + 1}次补充说明：新增标准厂房两栋，已交付使用。\n")

    def edit_template(number: int) -> None:
        with template.open("a", encoding="utf-8") as file:
            file.write(f"{{# bench edit {number + 1} #}}\n")

    build = functools.partial(build_site, site, code)
    try:
        progress(f"cold x{runs}")
        cold = repeat(runs, lambda _: remove_caches(site), build)
        progress(cold[-1].stdout.strip().splitlines()[-1])
        output_mb = folder_megabytes(site / "build")
        others = 0 if cold_only else runs
        progress(f"warm x{others}")
        warm = repeat(others, lambda _: remove_build(site), build)
        progress(f"no-op x{others}")
        no_op = repeat(others, lambda _: None, build)
        progress(f"one park edited x{others}")
        park_edited = repeat(others, edit_park, build)
        progress(f"template edited x{others}")
        template_edited = repeat(others, edit_template, build)
    finally:
        park.write_bytes(park_text)
        template.write_bytes(template_text)
    every = [*cold, *warm, *no_op, *park_edited, *template_edited]
    pages = re.search(r"built (\d+) pages", cold[-1].stdout)
    return Row(
        label=label,
        parks=parks,
        runs=runs,
        pages=pages.group(1) if pages else "?",
        cold=statistics.median(run.seconds for run in cold),
        cold_cpu=statistics.median(run.cpu_seconds for run in cold),
        warm=median_seconds(warm),
        no_op=median_seconds(no_op),
        park_edited=median_seconds(park_edited),
        template_edited=median_seconds(template_edited),
        peak_mb=max(run.peak_mb for run in every),
        output_mb=output_mb,
        hugo=hugo,
        hugo_pagefind=hugo_pagefind,
    )


def table(rows: list[Row], with_hugo: bool) -> str:
    header = [
        "site",
        "parks",
        "pages",
        "runs",
        "cold s",
        "cold CPU s",
        "warm s",
        "no-op s",
        "1 park edited s",
        "template edited s",
        "peak MB",
        "output MB",
    ]
    if with_hugo:
        header += ["Hugo s", "Hugo + Pagefind s", "cold ÷ (Hugo + Pagefind)", "warm ÷ Hugo", "1 park ÷ Hugo"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in rows:
        cells = [row.label, f"{row.parks:,}", row.pages, str(row.runs)]
        cells += [
            "—" if seconds is None else f"{seconds:.2f}"
            for seconds in (row.cold, row.cold_cpu, row.warm, row.no_op, row.park_edited, row.template_edited)
        ]
        cells += [f"{row.peak_mb:,.0f}", f"{row.output_mb:,.1f}"]
        if with_hugo:
            cells += hugo_cells(row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def hugo_cells(row: Row) -> list[str]:
    """Hugo's figures and ours as multiples of them, as the issue's table sets them side by side."""
    if not row.hugo or not row.hugo_pagefind:
        return ["—"] * 5
    ratios = [row.cold / row.hugo_pagefind] + [
        seconds / row.hugo if seconds is not None else None for seconds in (row.warm, row.park_edited)
    ]
    return [f"{row.hugo:.2f}", f"{row.hugo_pagefind:.2f}"] + ["—" if r is None else f"{r:.2f}×" for r in ratios]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parks",
        type=int,
        nargs="*",
        default=[37, 1000, 10000],
        help="sizes of generated sites (default: 37 1000 10000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="builds per measurement; the median is printed")
    parser.add_argument(
        "--large-runs",
        type=int,
        default=1,
        help=f"builds per measurement for sites of more than {LARGE:,} parks (default 1)",
    )
    parser.add_argument("--no-starter", action="store_true", help="leave out the starter content")
    parser.add_argument("--no-hugo", action="store_true", help="leave out Hugo even when it is installed")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="only cold builds (for sites of 10,000 parks, whose other builds take long)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write the sites into DIR and keep them, for profiling; "
        "replaces only what an earlier --keep run wrote there",
    )
    parser.add_argument(
        "--without-investment",
        action="store_true",
        help="generate no sites, policies, costs or landing process (the corpus of releases before them)",
    )
    arguments = parser.parse_args()

    version = None if arguments.no_hugo else hugo_version()
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        if arguments.keep:
            work = arguments.keep.resolve()
            work.mkdir(parents=True, exist_ok=True)
            for earlier in [work / "code", *work.glob("starter*"), *work.glob("generated-*")]:
                if earlier.is_dir():
                    shutil.rmtree(earlier)
        code = work / "code"
        measured = snapshot_code(code)
        sites: list[tuple[str, Path, int]] = []
        if not arguments.no_starter:
            starter = work / "starter"
            shutil.copytree(REPO / "content", starter / "content")
            count = len(
                [path for path in (starter / "content" / "parks").glob("*.md") if not path.name.endswith(".en.md")]
            )
            sites.append(("starter (content/)", starter, count))
        for parks in arguments.parks:
            print(f"generating {parks:,} parks ...", file=sys.stderr, flush=True)
            generated = work / f"generated-{parks}"
            generate_site(generated, parks, investment=not arguments.without_investment)
            sites.append((f"generated {parks:,}", generated, parks))
        rows = []
        for label, site, parks in sites:
            hugo_site = None
            if version:
                hugo_site = site.parent / f"{site.name}-hugo"
                write_hugo_site(site, hugo_site)
            runs = arguments.large_runs if parks > LARGE else arguments.runs
            rows.append(measure(label, site, parks, runs, code, hugo_site, arguments.cold_only))
    print(table(rows, with_hugo=version is not None))
    print()
    load = f"1-minute load {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(
        f"Medians of whole-process wall times of {measured}; {os.cpu_count()} CPUs, {load}; "
        f"Python {sys.version.split()[0]}; {version or 'Hugo not installed (apt-get install hugo)'}; "
        f"bench took {time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
