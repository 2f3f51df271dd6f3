"""Kill real `sitegen build` processes at random moments and check what `build/` holds after each.

Run: python bench/kill_builds.py [--parks 1000] [--kills 200] [--rebuild-every 3] [--seed 1]

A generated site (bench/corpus.py) alternates between two versions of its content that differ in
one park's facts, so a build redraws the park, its lists, maps, feeds and search index. Before the
kills, each version is built from scratch once, and the digests of its files are kept. Then, for
each kill, the content is switched to the other version, a build is started and killed (SIGKILL)
after a random delay between zero and 1.2 times the time a build takes, and `build/` must equal one
of the two versions' sites file for file. After every --rebuild-every kills, an ordinary build of
the version the killed one was not building must equal a fresh build of it: a build must not trust
what a killed one left. At the end an ordinary build must succeed, leave nothing beside `build/`,
and equal a fresh build. Prints how many kills left the old site, how many the new one, and how
many anything else, and how many of the builds after a kill differed from a fresh one (both must
be none).

The test suite kills one build (tests/test_atomic_publish.py); this is the long run of it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import generate_site, park_slug

FIXED_DAY = "1767225600"


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        file.relative_to(folder).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


def command(site: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "-s", str(site)]


def environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": FIXED_DAY}


def build(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command(site), env=environment(), check=True, capture_output=True)
    return time.perf_counter() - started


def switch(park: Path, original: str, number: int) -> None:
    """Version 0 is the generated park; version 1 renames it (第N产业园区 -> 第N产业园区二期)."""
    text = original if number == 0 else original.replace("产业园区, en:", "产业园区二期, en:", 1)
    assert number == 0 or text != original
    park.write_text(text, encoding="utf-8")


def kill_one(site: Path, seconds: float) -> None:
    """Start a build and kill it (SIGKILL) after `seconds`."""
    process = subprocess.Popen(command(site), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def kill_builds(
    site: Path,
    switch_to: Callable[[int], None],
    expected: dict[int, dict[str, str]],
    whole: float,
    arguments: argparse.Namespace,
) -> tuple[dict[str, int], dict[str, int], int]:
    """Kill builds, each of the other version than `build/` holds, with an ordinary build after
    every --rebuild-every kills. Returns what the kills left, how the builds after them compared
    with fresh ones, and the version the content is left at."""
    chance = random.Random(arguments.seed)
    counts = {"old": 0, "new": 0, "other": 0}
    rebuilds = {"equal": 0, "differ": 0}
    current = 1
    target = current
    for kill in range(1, arguments.kills + 1):
        target = 1 - current
        switch_to(target)
        kill_one(site, chance.uniform(0.0, whole * 1.2))
        state = digest_tree(site / "build")
        outcome = "old" if state == expected[current] else "new" if state == expected[target] else "other"
        counts[outcome] += 1
        current = current if outcome == "old" else target
        if kill % arguments.rebuild_every == 0:  # the build after a kill must not trust what it left
            current = target = 1 - target
            switch_to(current)
            build(site)
            rebuilds["equal" if digest_tree(site / "build") == expected[current] else "differ"] += 1
    return counts, rebuilds, target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--rebuild-every", type=int, default=3, help="an ordinary build after every N kills")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-kills-") as scratch:
        site = Path(scratch) / "site"
        generate_site(site, arguments.parks)
        park = site / "content" / "parks" / f"{park_slug(arguments.parks // 2)}.md"
        original = park.read_text(encoding="utf-8")
        expected = {}
        for number in (1, 0):
            switch(park, original, number)
            build(site)
            expected[number] = digest_tree(site / "build")
        assert expected[0] != expected[1]
        switch(park, original, 1)
        whole = build(site)  # an incremental build, like the ones killed below
        counts, rebuilds, target = kill_builds(
            site, lambda number: switch(park, original, number), expected, whole, arguments
        )
        build(site)
        final_ok = digest_tree(site / "build") == expected[target]
        left = sorted(path.name for path in site.iterdir() if path.name.startswith(".build"))
    print(
        f"{arguments.kills} kills of a {arguments.parks}-park build (one build takes {whole:.2f} s): "
        f"{counts['old']} left the old site, {counts['new']} the new one, {counts['other']} anything else; "
        f"of {sum(rebuilds.values())} builds after a kill, {rebuilds['differ']} differed from a fresh one; "
        f"the last build {'equals' if final_ok else 'DIFFERS FROM'} a fresh one; "
        f"left beside build/: {left or 'nothing'}"
    )
    sys.exit(0 if counts["other"] == 0 and rebuilds["differ"] == 0 and final_ok and not left else 1)


if __name__ == "__main__":
    main()
