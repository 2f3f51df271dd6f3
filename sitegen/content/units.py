"""Units of measure editors write beside a number: the spelling we keep, the ones we accept, the
English name, and the largest value that is not a typo."""

from __future__ import annotations

import re
from dataclasses import dataclass

SQUARE_METRES_PER_MU = 666.7
"""1 亩 = 666.7 ㎡ (2,000/3, as officially rounded)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as the site keeps it (`id`, the usual Chinese spelling) and shows it in English."""

    id: str
    en: str
    spellings: tuple[str, ...]
    maximum: float
    """Anything larger is a typo (a land price of 5,000,000 万元/亩 is not a price)."""


UNITS = {
    unit.id: unit
    for unit in (
        Unit("亩", "mu", ("亩", "畝", "mu"), 100_000),
        Unit("㎡", "m²", ("㎡", "m2", "m²", "平方米", "平米", "sqm"), 5_000_000),
        Unit("万元/亩", "10,000 yuan/mu", ("万元/亩", "万/亩", "万元每亩"), 2_000),
        Unit(
            "元/㎡·月",
            "yuan/m² per month",
            ("元/㎡·月", "元/㎡/月", "元/平方米/月", "元/平方米·月", "元/平米/月"),
            1_000,
        ),
        Unit("元/㎡", "yuan/m²", ("元/㎡", "元/平方米", "元/平米"), 200_000),
        Unit("元/kWh", "yuan/kWh", ("元/kWh", "元/千瓦时", "元/度"), 10),
        Unit("元/吨", "yuan/t", ("元/吨", "元/t"), 2_000),
        Unit("元/m³", "yuan/m³", ("元/m³", "元/立方米", "元/方"), 100),
        Unit("元/月", "yuan/month", ("元/月", "元每月"), 1_000_000),
        Unit("元/年", "yuan/year", ("元/年", "元每年"), 10_000_000),
        Unit("元", "yuan", ("元", "yuan", "rmb"), 10_000_000_000),
        Unit("万元", "10,000 yuan", ("万元", "万"), 1_000_000),
        Unit("亿元", "100 million yuan", ("亿元", "亿"), 10_000),
    )
}

AREA_UNITS = ("亩", "㎡")
LAND_AREA_UNITS = ("亩",)
BUILDING_AREA_UNITS = ("㎡",)
PRICE_UNITS = ("万元/亩", "元/㎡·月", "元/㎡")
LAND_PRICE_UNITS = ("万元/亩",)
BUILDING_PRICE_UNITS = ("元/㎡·月", "元/㎡")
MONEY_UNITS = ("元", "万元", "亿元")


def _key(spelling: str) -> str:
    """Spellings compared without spaces, case, or the difference between m2, m² and ㎡."""
    text = re.sub(r"\s+", "", spelling).lower()
    return text.replace("m²", "㎡").replace("m2", "㎡").replace("m³", "m3").replace("/m3", "/m³")


_BY_SPELLING = {_key(spelling): unit for unit in UNITS.values() for spelling in (unit.id, *unit.spellings)}
_BY_SPELLING |= {
    _key("yuan/m2/month"): UNITS["元/㎡·月"],
    _key("yuan/m2"): UNITS["元/㎡"],
    _key("yuan/kwh"): UNITS["元/kWh"],
    _key("yuan/t"): UNITS["元/吨"],
    _key("yuan/m3"): UNITS["元/m³"],
    _key("yuan/month"): UNITS["元/月"],
    _key("yuan/year"): UNITS["元/年"],
}


def find_unit(spelling: str) -> Unit | None:
    """The unit an editor meant by `spelling` (亩 or mu, ㎡ or m2), or None."""
    return _BY_SPELLING.get(_key(spelling))


def hectares(mu: float) -> float:
    return mu * SQUARE_METRES_PER_MU / 10_000
