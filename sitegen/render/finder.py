"""The site finder (选址) and the compare view: which parks and available sites fit what a
project needs, grouped by city then park, as rows a page filters by their data attributes."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.content.config import City
from sitegen.content.model import Park, Premises, Site

COMPARABLE_PRICE_UNIT = {"land": "万元/亩"}
"""The one price unit the finder compares per kind of site: land by 万元/亩, every building by
its monthly rent in 元/㎡·月 (a sale price per ㎡ is not comparable with a rent)."""
BUILDING_PRICE_UNIT = "元/㎡·月"


@dataclass(frozen=True, slots=True)
class FinderSite:
    """An available site as the finder filters it: its price in the comparable unit, if stated
    in it, and the day it can be taken over as a number (20260301), if later than now."""

    premises: Premises
    price: float | None
    available_day: int | None


@dataclass(frozen=True, slots=True)
class FinderPark:
    park: Park
    sites: tuple[FinderSite, ...]
    policies: int


@dataclass(frozen=True, slots=True)
class FinderCity:
    city: City
    parks: tuple[FinderPark, ...]


def comparable_price(premises: Premises) -> float | None:
    """The price the finder's "price up to" compares, or None for a price on request or in
    another unit."""
    price = premises.price
    wanted = COMPARABLE_PRICE_UNIT.get(premises.kind, BUILDING_PRICE_UNIT)
    return price.value if price is not None and price.unit == wanted else None


def finder_site(premises: Premises) -> FinderSite:
    day = premises.available_from
    return FinderSite(premises, comparable_price(premises), int(day.strftime("%Y%m%d")) if day else None)


def finder_groups(site: Site, parks: list[Park]) -> list[FinderCity]:
    """Every park, in the order given, under its city, with its available sites and how many
    current policies apply in it; a park without sites stays, to say so and give its contact."""
    by_city: dict[str, list[FinderPark]] = {}
    for park in parks:
        sites = tuple(finder_site(premises) for premises in site.premises_of_park(park) if premises.is_available)
        policies = len(site.policies_of_park(park))
        by_city.setdefault(park.city.id, []).append(FinderPark(park, sites, policies))
    return [FinderCity(city, tuple(by_city[city.id])) for city in site.cities if city.id in by_city]
