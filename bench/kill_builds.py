"""Kill real `sitegen build` processes at random moments and check what `build/` holds after each.

Run: python bench/kill_builds.py [--parks 1000] [--kills 200] [--seed 1]

A generated site (bench/corpus.py) alternates between two versions of its content that differ in
one park's facts, so a build redraws the park, its lists, maps, feeds and search index. Before the
kills, each version is built from scratch once, and the digests of its files are kept. Then, for
each kill, the content is switched to the other version, a build is started and killed (SIGKILL)
after a random delay between zero and 1.2 times the time a build takes, and `build/` must equal one
of the two versions' sites file for file. At the end an ordinary build must succeed, leave nothing
beside `build/`, and equal a fresh build. Prints how many kills left the old site, how many the new
one, and how many anything else (which must be none).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=200)
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
        chance = random.Random(arguments.seed)
        counts = {"old": 0, "new": 0, "other": 0}
        current = 1
        for _ in range(arguments.kills):
            target = 1 - current
            switch(park, original, target)
            process = subprocess.Popen(
                command(site), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(chance.uniform(0.0, whole * 1.2))
            process.send_signal(signal.SIGKILL)
            process.wait()
            state = digest_tree(site / "build")
            if state == expected[current]:
                counts["old"] += 1
            elif state == expected[target]:
                counts["new"] += 1
                current = target
            else:
                counts["other"] += 1
                current = target
        build(site)
        final_ok = digest_tree(site / "build") == expected[target]
        left = sorted(path.name for path in site.iterdir() if path.name.startswith(".build"))
    print(
        f"{arguments.kills} kills of a {arguments.parks}-park build (one build takes {whole:.2f} s): "
        f"{counts['old']} left the old site, {counts['new']} the new one, {counts['other']} anything else; "
        f"the next build {'equals' if final_ok else 'DIFFERS FROM'} a fresh one; "
        f"left beside build/: {left or 'nothing'}"
    )
    sys.exit(0 if counts["other"] == 0 and final_ok and not left else 1)


if __name__ == "__main__":
    main()
