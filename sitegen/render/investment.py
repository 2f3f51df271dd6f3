"""Sites, costs and policies for readers: quantities in each language's units, the policies
list grouped by where they apply, and the sites as downloads (CSV and GeoJSON)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from sitegen.content.fields import Quantity
from sitegen.content.i18n import Localized
from sitegen.content.model import Park, Policy, Premises, Site
from sitegen.content.units import UNITS, hectares
from sitegen.spreadsheet_cells import as_text_cell

SITES_CSV_PATH = "data/sites.csv"
SITES_GEOJSON_PATH = "data/sites.geojson"

_IN_YUAN = {"万元/亩": ("yuan/mu", 10_000), "万元": ("yuan", 10_000)}
"""Units English readers take better as plain yuan: 30 万元/亩 is 300,000 yuan/mu."""


def format_quantity(quantity: Quantity, lang: str) -> str:
    """50亩 or "50 mu (3.33 ha)"; 30万元/亩 or "300,000 yuan/mu"; 2.5亿元 or "250 million yuan"."""
    unit = UNITS[quantity.unit]
    if lang != "en":
        return f"{_number(quantity.value)}{unit.id}"
    if unit.id == "亩":
        return f"{_number(quantity.value)} mu ({_number(round(hectares(quantity.value), 2))} ha)"
    if unit.id in _IN_YUAN:
        name, factor = _IN_YUAN[unit.id]
        return f"{_number(round(quantity.value * factor, 2))} {name}"
    if unit.id == "亿元":
        return f"{_number(round(quantity.value * 100, 4))} million yuan"
    return f"{_number(quantity.value)} {unit.en}"


def _number(value: float) -> str:
    """12000 as 12,000; whole floats without .0; no float noise such as 0.30000000000000004."""
    rounded = round(value, 6)
    if float(rounded).is_integer():
        return f"{int(rounded):,}"
    whole, fraction = f"{rounded:.6f}".rstrip("0").split(".")
    return f"{int(whole):,}.{fraction}"


def applies_everywhere(policy: Policy) -> bool:
    """Alliance-wide, or named only by sectors (in every park of those sectors)."""
    scope = policy.scope
    return scope.alliance or not (scope.cities or scope.parks)


@dataclass(frozen=True, slots=True)
class PolicyGroup:
    """Policies under one heading of the list: those of every park, one city's, or one park's."""

    id: str
    name: Localized | None
    policies: tuple[Policy, ...]


def policy_groups(site: Site, policies: tuple[Policy, ...]) -> list[PolicyGroup]:
    """The current policies grouped so the list reads without a script: those of every park first,
    then by city in the order of cities.yaml, then by park; one naming two places is in both."""
    groups = [PolicyGroup("everywhere", None, tuple(policy for policy in policies if applies_everywhere(policy)))]
    for city in site.cities:
        found = tuple(policy for policy in policies if city.id in policy.scope.cities)
        if found:
            groups.append(PolicyGroup(f"city-{city.id}", city.name, found))
    for park in site.parks:
        found = tuple(policy for policy in policies if park.slug in policy.scope.parks)
        if found:
            groups.append(PolicyGroup(f"park-{park.slug}", park.name, found))
    return [group for group in groups if group.policies]


SITE_COLUMNS = (
    "slug",
    "name_zh",
    "name_en",
    "park",
    "park_zh",
    "park_en",
    "city",
    "kind",
    "status",
    "area",
    "area_unit",
    "price",
    "price_unit",
    "available_from",
    "zoning_zh",
    "zoning_en",
    "floor_height_m",
    "floor_load_t_per_m2",
    "power_kva",
    "crane_t",
    "investment_intensity_10k_yuan_per_mu",
    "tax_per_mu_10k_yuan",
    "plot_ratio",
    "verified",
    "source_zh",
    "source_en",
    "lat",
    "lon",
)


def _site_row(premises: Premises, park: Park) -> dict[str, object]:
    price = premises.price
    building = premises.building
    targets = premises.standard_land
    return {
        "slug": premises.slug,
        "name_zh": premises.name.zh,
        "name_en": premises.name.get("en"),
        "park": park.slug,
        "park_zh": park.name.zh,
        "park_en": park.name.get("en"),
        "city": park.city.id,
        "kind": premises.kind,
        "status": premises.status,
        "area": premises.area.value,
        "area_unit": premises.area.unit,
        "price": price.value if price else ("on request" if premises.price_on_request else ""),
        "price_unit": price.unit if price else "",
        "available_from": premises.available_from.isoformat() if premises.available_from else "",
        "zoning_zh": premises.zoning.zh if premises.zoning else "",
        "zoning_en": premises.zoning.get("en") if premises.zoning else "",
        "floor_height_m": building.floor_height if building and building.floor_height is not None else "",
        "floor_load_t_per_m2": building.floor_load if building and building.floor_load is not None else "",
        "power_kva": building.power if building and building.power is not None else "",
        "crane_t": building.crane if building and building.crane is not None else "",
        "investment_intensity_10k_yuan_per_mu": _target(targets, "investment_intensity"),
        "tax_per_mu_10k_yuan": _target(targets, "tax_per_mu"),
        "plot_ratio": _target(targets, "plot_ratio"),
        "verified": premises.verified.isoformat(),
        "source_zh": premises.source.publication.zh,
        "source_en": premises.source.publication.get("en"),
        "lat": park.lat,
        "lon": park.lon,
    }


def _target(targets: object, name: str) -> object:
    value = getattr(targets, name, None) if targets is not None else None
    return "" if value is None else value


def sites_csv(site: Site) -> bytes:
    """Every site, one row each, UTF-8 with BOM for Excel; no cell runs as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SITE_COLUMNS)
    for premises in site.premises:
        row = _site_row(premises, site.park(premises.park))
        writer.writerow(
            [as_text_cell(value) if isinstance(value := row[column], str) else value for column in SITE_COLUMNS]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sites_geojson(site: Site) -> bytes:
    """Every site as a point at its park (sites carry no coordinates of their own)."""
    features = []
    for premises in site.premises:
        park = site.park(premises.park)
        properties = {key: value for key, value in _site_row(premises, park).items() if key not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "id": premises.slug,
                "geometry": {"type": "Point", "coordinates": [park.lon, park.lat]},
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode("utf-8")
