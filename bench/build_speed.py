"""Build time of the starter site and of generated sites with many parks.

Run: python bench/build_speed.py [--parks 1000 5000] [--runs 5]
Prints one table: median wall time of whole `sitegen build` processes, pages and output size.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_BODY_ZH = """{name}位于{city}，是以{sector}为主导产业的园区。园区重视项目落地与配套服务，
为入驻企业提供政策咨询、人才招引和融资对接。

## 主导产业

| 产业 | 重点方向 |
| --- | --- |
| {sector} | 研发、制造与服务 |
| 现代物流 | 仓储与配送 |

## 服务

- 项目审批“一站式”服务
- 标准厂房与研发楼宇
- 人才公寓与生活配套

园区坚持“项目为王”，围绕龙头企业开展产业链招商，
延伸产业链条，提升产业能级，推动集群式发展。{filler}
"""

_BODY_EN = """{name} lies in {city}; its leading industry is {sector}. The park helps companies
settle in with advice on policy, recruitment and financing.

## Leading industries

| Industry | Focus |
| --- | --- |
| {sector} | research, manufacturing and services |
| Logistics | warehousing and distribution |

## Services

- One-stop approval of projects
- Standard factory buildings and research space
- Housing for skilled staff

The park attracts companies along whole supply chains around its anchor firms, so that
related businesses grow together as a cluster. {filler}
"""


def generate_site(root: Path, parks: int, seed: int = 20200920) -> None:
    """A deterministic bilingual site with `parks` parks and one event per ten parks."""
    randomness = random.Random(seed)
    shutil.copytree(REPO / "themes", root / "themes")
    content = root / "content"
    for name in ("site.yaml", "sectors.yaml", "cities.yaml"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "content" / name, content / name)
    sectors = [line.split(":")[0] for line in (content / "sectors.yaml").read_text("utf-8").splitlines()
               if line and not line.startswith((" ", "#"))]
    cities = [line.split(":")[0] for line in (content / "cities.yaml").read_text("utf-8").splitlines()
              if line and not line.startswith((" ", "#"))]
    (content / "parks").mkdir()
    (content / "events").mkdir()
    for number in range(parks):
        slug = f"park-{number:05d}"
        city = randomness.choice(cities)
        chosen = randomness.sample(sectors, randomness.randint(1, 3))
        lat, lon = randomness.uniform(34.6, 37.9), randomness.uniform(115.3, 122.3)
        filler_zh = "园区持续优化营商环境。" * 12
        filler_en = "The park keeps improving its business environment. " * 6
        (content / "parks" / f"{slug}.md").write_text(
            f"---\nname: {{zh: 测试园区{number}, en: Test Park {number}}}\ncity: {city}\n"
            f"location: {{lat: {lat:.5f}, lon: {lon:.5f}}}\nsectors: [{', '.join(chosen)}]\n"
            f"level: {randomness.choice(['national', 'provincial', 'municipal'])}\n"
            f"summary: {{zh: 第{number}号测试园区, en: Test park number {number}}}\n---\n"
            + _BODY_ZH.format(name=f"测试园区{number}", city=city, sector=chosen[0], filler=filler_zh),
            encoding="utf-8",
        )
        (content / "parks" / f"{slug}.en.md").write_text(
            _BODY_EN.format(name=f"Test Park {number}", city=city, sector=chosen[0], filler=filler_en),
            encoding="utf-8",
        )
    for number in range(max(1, parks // 10)):
        involved = ", ".join(f"park-{randomness.randrange(parks):05d}" for _ in range(2))
        (content / "events" / f"event-{number:04d}.md").write_text(
            f"---\ntitle: {{zh: 测试活动{number}, en: Test event {number}}}\n"
            f"date: 2024-{randomness.randint(1, 12):02d}-{randomness.randint(1, 28):02d}\n"
            f"parks: [{involved}]\n---\n活动介绍。\n",
            encoding="utf-8",
        )
        (content / "events" / f"event-{number:04d}.en.md").write_text("About the event.\n", encoding="utf-8")


def time_builds(site: Path, runs: int) -> tuple[float, str]:
    """Median seconds of whole `python -m sitegen build` processes, and the last summary line."""
    times, summary = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "sitegen", "build", "-s", str(site)],
            capture_output=True, text=True, check=False,
        )
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"build failed:\n{result.stderr}")
        summary = result.stdout.strip().splitlines()[-1]
    return statistics.median(times), summary


def folder_size(folder: Path) -> int:
    return sum(file.stat().st_size for file in folder.rglob("*") if file.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, nargs="*", default=[1000], help="sizes of generated sites")
    parser.add_argument("--runs", type=int, default=5, help="builds per site (the median is printed)")
    arguments = parser.parse_args()

    print(f"{'site':<22} {'parks':>6} {'median s':>9} {'pages':>7} {'output MB':>10}")
    with tempfile.TemporaryDirectory() as scratch:
        starter = Path(scratch) / "starter"
        shutil.copytree(REPO / "content", starter / "content")
        shutil.copytree(REPO / "themes", starter / "themes")
        sites = [("starter content", starter, 37)]
        for parks in arguments.parks:
            generated = Path(scratch) / f"generated-{parks}"
            generate_site(generated, parks)
            sites.append((f"generated {parks}", generated, parks))
        for label, site, parks in sites:
            seconds, summary = time_builds(site, arguments.runs)
            pages = summary.split()[1]
            size = folder_size(site / "build") / 1e6
            print(f"{label:<22} {parks:>6} {seconds:>9.2f} {pages:>7} {size:>10.1f}")


if __name__ == "__main__":
    main()
