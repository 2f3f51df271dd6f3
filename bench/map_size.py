"""Bytes and build time of the industry map's parts for 37, 1,000 and 10,000 generated parks.

    python bench/map_size.py [COUNT ...]

Prints, per count: the gzip size of the header, html and script parts the page embeds, the
gzip size of the map's static assets (fetched once, then cached), the gzipped bytes each
extra park adds, and the median time to build the parts in Python. Parks are generated
(seeded) over Shandong with Chinese names and one-line summaries about as long as real ones.
Browser draw times are measured with the site, not here.
"""

from __future__ import annotations

import gzip
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.geo import SHANDONG  # noqa: E402
from sitegen.map.folium_shapes import draw_shape  # noqa: E402
from sitegen.map.parts import (  # noqa: E402
    MapPoint,
    MapRenderer,  # noqa: E402
    PopupText,
    asset_paths,
)
from sitegen.map.tiles import TileSettings  # noqa: E402


def render_map(points, **settings):
    """One map, drawn on its own; see MapRenderer.render for the settings."""
    return MapRenderer(draw_shape).render(points, **settings)


STATIC = ROOT / "sitegen" / "theme" / "static"
SECTORS = [
    ("software", "软件和信息服务", "#1f77b4"),
    ("ai", "人工智能", "#ff7f0e"),
    ("equipment", "高端装备", "#2ca02c"),
    ("chemicals", "高端化工", "#d62728"),
    ("biomedicine", "生物医药", "#9467bd"),
    ("materials", "新材料", "#8c564b"),
    ("energy", "新能源", "#e377c2"),
    ("marine", "海洋经济", "#7f7f7f"),
    ("food", "现代食品", "#bcbd22"),
    ("logistics", "现代物流", "#17becf"),
    ("textiles", "纺织服装", "#393b79"),
    ("agriculture", "现代农业", "#637939"),
]
CITIES = [
    ("jinan", "济南"),
    ("qingdao", "青岛"),
    ("zibo", "淄博"),
    ("zaozhuang", "枣庄"),
    ("dongying", "东营"),
    ("yantai", "烟台"),
    ("weifang", "潍坊"),
    ("jining", "济宁"),
    ("taian", "泰安"),
    ("weihai", "威海"),
    ("rizhao", "日照"),
    ("linyi", "临沂"),
    ("dezhou", "德州"),
    ("liaocheng", "聊城"),
    ("binzhou", "滨州"),
    ("heze", "菏泽"),
]
LEVELS = [("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), (None, "")]
SYLLABLES = "齐鲁高新经济技术开发区科创智造产业园港城临空海洋生物医药化工材料装备能源数字"


def generated_parks(count: int, seed: int = 42) -> list[MapPoint]:
    """`count` plausible parks; the same list for the same seed."""
    rng = random.Random(seed)
    parks = []
    for number in range(count):
        city_id, city = rng.choice(CITIES)
        level, level_label = rng.choice(LEVELS)
        sectors = rng.sample(SECTORS, rng.choice((1, 1, 2, 3)))
        name = city + "".join(rng.choices(SYLLABLES, k=rng.randint(4, 8))) + "园"
        summary = "".join(rng.choices(SYLLABLES, k=rng.randint(20, 40))) + "。"
        parks.append(
            MapPoint(
                slug=f"park-{number:05d}",
                lat=rng.uniform(SHANDONG.south + 0.1, SHANDONG.north - 0.1),
                lon=rng.uniform(SHANDONG.west + 0.1, SHANDONG.east - 0.1),
                name=name,
                city_id=city_id,
                city_label=city,
                level=level,
                level_label=level_label,
                sector_ids=tuple(sector[0] for sector in sectors),
                sector_labels=tuple(sector[1] for sector in sectors),
                colour=sectors[0][2],
                summary=summary,
                url=f"../parks/park-{number:05d}/",
                member=rng.random() < 0.3,
            )
        )
    return parks


def gzip_size(text: str | bytes) -> int:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def measure(count: int, repeats: int) -> dict[str, float]:
    parks = generated_parks(count)
    tiles = TileSettings("gaode", approval_number="GS(2024)0650号")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        parts = render_map(
            parks,
            lang="zh",
            tiles=tiles,
            static_prefix="../static/",
            map_id="industry",
            kind="industry",
            text=PopupText("查看园区详情", "联盟成员", "、"),
        )
        times.append(time.perf_counter() - started)
    embedded = parts.header + parts.html + "<script>" + parts.script + "</script>"
    return {
        "raw": len(embedded.encode("utf-8")),
        "gzip": gzip_size(embedded),
        "seconds": statistics.median(times),
    }


def asset_sizes() -> tuple[int, int]:
    scripts, styles = asset_paths(clustered=True, filters=True)
    raw = gz = 0
    for path in scripts + styles:
        data = (STATIC / path).read_bytes()
        raw += len(data)
        gz += gzip_size(data)
    return raw, gz


def main(counts: list[int]) -> None:
    assets_raw, assets_gzip = asset_sizes()
    print(
        f"map assets (leaflet, markercluster, map.css, map.js): "
        f"{assets_raw / 1024:.1f} KB raw, {assets_gzip / 1024:.1f} KB gzip"
    )
    print(f"{'parks':>7} {'parts KB':>9} {'gzip KB':>8} {'gzip B/park':>12} {'page+assets gzip KB':>20} {'build s':>8}")
    baseline = measure(1, 3)
    for count in counts:
        figures = measure(count, 3 if count <= 1000 else 1)
        per_park = (figures["gzip"] - baseline["gzip"]) / max(count - 1, 1)
        print(
            f"{count:>7} {figures['raw'] / 1024:>9.1f} {figures['gzip'] / 1024:>8.1f} "
            f"{per_park:>12.0f} {(figures['gzip'] + assets_gzip) / 1024:>20.1f} "
            f"{figures['seconds']:>8.3f}"
        )


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [37, 1000, 10000])
