"""Base map tiles per provider and page language: URLs, attribution with the approval number
(审图号), and the hosts a page may load them from.

Tianditu (national service, needs a browser key) and OpenStreetMap draw in WGS-84; Gaode/AMap
draws in GCJ-02, so points are shifted before they are drawn on it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sitegen.content.schema import TIANDITU_KEY

PROVIDERS = ("tianditu", "gaode", "openstreetmap")


@dataclass(frozen=True)
class TileSettings:
    """The base map of one language's pages, as site.yaml sets it."""

    provider: str  # one of PROVIDERS
    key: str = ""  # Tianditu browser key (visible in the page: restrict it to the domain)
    approval_number: str = ""  # 审图号 of this provider's map, e.g. "GS(2024)0650号"

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(f"tile provider {self.provider!r} is not one of {PROVIDERS}")
        if self.provider == "tianditu" and not TIANDITU_KEY.fullmatch(self.key):
            raise ValueError(
                "Tianditu tiles need a browser key of letters and digits "
                "(free from the Tianditu console); without one use gaode"
            )

    @property
    def crs(self) -> str:
        """The coordinate system the tiles are drawn in: points are converted to it."""
        return "gcj02" if self.provider == "gaode" else "wgs84"


@dataclass(frozen=True)
class _TileSource:
    url: str
    subdomains: str
    max_zoom: int
    overlay: bool


def _tianditu_url(layer: str, key: str) -> str:
    return (
        f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
    )


def tile_sources(tiles: TileSettings, lang: str) -> list[_TileSource]:
    """Base layer first, then any label overlay."""
    if tiles.provider == "tianditu":
        labels = "cva" if lang == "zh" else "eva"  # Chinese or English annotation layer
        return [
            _TileSource(_tianditu_url("vec", tiles.key), "01234567", 18, overlay=False),
            _TileSource(_tianditu_url(labels, tiles.key), "01234567", 18, overlay=True),
        ]
    if tiles.provider == "gaode":
        # Not a documented API, but the public vector tiles many Chinese sites use; no key.
        gaode_lang = "zh_cn" if lang == "zh" else "en"
        url = (
            f"https://webrd0{{s}}.is.autonavi.com/appmaptile?lang={gaode_lang}"
            "&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
        )
        return [_TileSource(url, "1234", 18, overlay=False)]
    return [_TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "", 19, overlay=False)]


def tile_attribution(tiles: TileSettings, lang: str) -> str:
    """The attribution HTML: provider, then the approval number the law asks maps to show."""
    provider = {
        ("tianditu", "zh"): "天地图",
        ("tianditu", "en"): "Tianditu",
        ("gaode", "zh"): "高德地图",
        ("gaode", "en"): "AutoNavi (Gaode)",
        ("openstreetmap", "zh"): "© OpenStreetMap 贡献者",
        ("openstreetmap", "en"): "© OpenStreetMap contributors",
    }[tiles.provider, lang]
    text = html.escape(provider)
    if tiles.provider == "openstreetmap":
        # ODbL asks for a link to the copyright page; it is a link, not a fetched asset.
        text = f'<a href="https://www.openstreetmap.org/copyright">{text}</a>'
    if tiles.approval_number:
        label = "审图号：" if lang == "zh" else "Map approval No. "
        text += f" | {html.escape(label + tiles.approval_number)}"
    return text


def check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError(f"map language {lang!r} is not zh or en")
