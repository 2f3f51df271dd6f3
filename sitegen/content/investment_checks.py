"""Checking what an investor decides on against the rest of the site: a site's units against its
kind, a policy's scope and dates, and whether sites, costs and policies are still fresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitegen.content.body_links import in_media
from sitegen.content.config import SiteConfig, citation
from sitegen.content.fields import ON_REQUEST
from sitegen.content.frontmatter import Mapping
from sitegen.content.model import (
    ApplyAt,
    Benefit,
    Body,
    BuildingSpecs,
    Contact,
    Cost,
    Photo,
    Policy,
    PolicyScope,
    Premises,
    StandardLandTargets,
)
from sitegen.content.sources import Source, report_dangling
from sitegen.content.units import BUILDING_AREA_UNITS, BUILDING_PRICE_UNITS, LAND_PRICE_UNITS, SQUARE_METRES_PER_MU
from sitegen.errors import Problems, zh_en

SITE_FRESH_DAYS = 365
"""A site not confirmed for a year may well be let or sold."""
COST_FRESH_YEARS = 2
POLICY_NOTICE_DAYS = 60
"""How long before a policy's `until` `check` starts to say so."""


def build_premises(
    source: Source,
    fields: dict,
    body: Body,
    park_slugs: set[str],
    media: dict[str, Path],
    today: dt.date,
    problems: Problems,
) -> Premises | None:
    """A site in a park that exists, measured and priced in the units of its kind, verified by now."""
    path, meta = source.zh.path, source.front_matter
    failed = False
    if fields["park"] not in park_slugs:
        report_dangling(path, meta.line_of("park"), "park", fields["park"], "parks", park_slugs, problems)
        failed = True
    failed |= not _units_fit_kind(fields, path, meta, problems)
    failed |= not _photos_exist(fields.get("photos", ()), path, meta, media, problems)
    verified = fields["verified"]
    if verified > today:
        problems.error(
            path,
            meta.line_of("verified"),
            zh_en(f"verified 日期 {verified} 还没有到", f"the verified date {verified} is in the future"),
            zh_en(
                "写办公室最近一次确认这些信息的日期（今天或更早）",
                "write the day the office last confirmed these facts (today or earlier)",
            ),
        )
        failed = True
    elif (today - verified).days > SITE_FRESH_DAYS:
        problems.warning(
            path,
            meta.line_of("verified"),
            zh_en(
                f"这个载体自 {verified} 以来没有再确认过，已超过 12 个月",
                f"this site has not been confirmed since {verified}, more than 12 months ago",
            ),
            zh_en(
                "请园区确认面积、价格和状态，然后把 verified 改成确认的日期",
                "ask the park to confirm its area, price and status, then set verified to that day",
            ),
        )
    if failed:
        return None
    price = fields.get("price")
    contact = fields.get("contact")
    building, targets = fields.get("building"), fields.get("standard_land")
    return Premises(
        slug=source.slug,
        name=fields["name"],
        park=fields["park"],
        kind=fields["kind"],
        area=fields["area"],
        status=fields["status"],
        verified=verified,
        source=citation(fields["source"]),
        body=body,
        source_path=path,
        price=None if price in (None, ON_REQUEST) else price,
        price_on_request=price == ON_REQUEST,
        available_from=fields.get("available_from"),
        zoning=fields.get("zoning"),
        summary=fields.get("summary"),
        building=BuildingSpecs(**building) if building else None,
        standard_land=StandardLandTargets(**targets) if targets else None,
        photos=tuple(Photo(**photo) for photo in fields.get("photos", ())),
        contact=Contact(**contact) if contact else None,
    )


def _units_fit_kind(fields: dict, path: str, meta: Mapping, problems: Problems) -> bool:
    """Land is measured in 亩 and priced per 亩; buildings in ㎡, priced per ㎡ (or per ㎡ a month)."""
    land = fields["kind"] == "land"
    fits = True
    area = fields["area"]
    if land and area.unit != "亩":
        converted = round(area.value / SQUARE_METRES_PER_MU, 2)
        problems.error(
            path,
            meta.line_of("area"),
            zh_en(f"土地面积要以亩计，而不是 {area.unit}", f"land is measured in 亩 (mu), not {area.unit}"),
            zh_en(
                f"1 亩 = 666.7 ㎡：写成 area: {{value: {converted:g}, unit: 亩}}",
                f"1 亩 = 666.7 ㎡: write area: {{value: {converted:g}, unit: 亩}}",
            ),
        )
        fits = False
    elif not land and area.unit not in BUILDING_AREA_UNITS:
        converted = round(area.value * SQUARE_METRES_PER_MU)
        problems.error(
            path,
            meta.line_of("area"),
            zh_en(
                f"{fields['kind']} 是建筑，面积要以 ㎡ 计，而不是 {area.unit}",
                f"a {fields['kind']} is a building, measured in ㎡, not {area.unit}",
            ),
            zh_en(
                f"写建筑面积，例如 area: {{value: {converted}, unit: ㎡}}；若是土地，把 kind 改成 land",
                f"give the floor area, e.g. area: {{value: {converted}, unit: ㎡}}; for a plot, make kind land",
            ),
        )
        fits = False
    price = fields.get("price")
    allowed = LAND_PRICE_UNITS if land else BUILDING_PRICE_UNITS
    if price not in (None, ON_REQUEST) and price.unit not in allowed:
        problems.error(
            path,
            meta.line_of("price"),
            zh_en(
                f"{'土地' if land else '建筑'}的价格不能以 {price.unit} 计",
                f"a {'plot of land' if land else 'building'} cannot be priced in {price.unit}",
            ),
            zh_en(
                f"可用单位：{', '.join(allowed)}（售价或月租金），或写 price: 面议",
                f"use {', '.join(allowed)} (sale or monthly rent), or write price: on request",
            ),
        )
        fits = False
    wrong_block = "building" if land else "standard_land"
    if wrong_block in fields:
        problems.error(
            path,
            meta.line_of(wrong_block),
            zh_en(
                f"{'土地' if land else '建筑'}不写 {wrong_block}",
                f"{'land' if land else 'a building'} takes no {wrong_block}",
            ),
            zh_en(
                "building 写厂房的层高、承重、电力和行车；standard_land 写标准地的投资强度、亩均税收和容积率",
                "building is for a building's height, load, power and crane; standard_land for the targets of land",
            ),
        )
        fits = False
    return fits


def _photos_exist(
    photos: tuple[dict, ...], path: str, meta: Mapping, media: dict[str, Path], problems: Problems
) -> bool:
    found = True
    for index, photo in enumerate(photos):
        if not in_media(photo["file"], media):
            problems.error(
                path,
                meta["photos"].line_of(index),
                zh_en(f"找不到图片 content/{photo['file']}", f"the image content/{photo['file']} does not exist"),
                zh_en(
                    "把图片放进 content/media/，写成 file: media/文件名.jpg",
                    "put the image in content/media/ and write file: media/name.jpg",
                ),
            )
            found = False
    return found


def build_policy(
    source: Source, fields: dict, body: Body, park_slugs: set[str], today: dt.date, problems: Problems
) -> Policy | None:
    """A policy scoped to places that exist, in force from a day not after its last."""
    path, meta = source.zh.path, source.front_matter
    scope = fields["scope"]
    failed = False
    if not any(scope.get(key) for key in ("alliance", "cities", "parks", "sectors")):
        problems.error(
            path,
            meta.line_of("scope"),
            zh_en("scope 没有说明政策在哪里适用", "scope does not say where the policy applies"),
            zh_en(
                "写 alliance: true（全联盟），或 cities: [城市编号]、parks: [园区文件名]、sectors: [产业编号]",
                "write alliance: true (every park), or cities: [ids], parks: [slugs], sectors: [ids]",
            ),
        )
        failed = True
    for index, slug in enumerate(scope.get("parks", ())):
        if slug not in park_slugs:
            report_dangling(
                path, meta["scope"]["parks"].line_of(index), "scope.parks", slug, "parks", park_slugs, problems
            )
            failed = True
    start, end = fields.get("from"), fields.get("until")
    if start is not None and end is not None and end < start:
        problems.error(
            path,
            meta.line_of("until"),
            zh_en(f"until（{end}）早于 from（{start}）", f"until ({end}) is before from ({start})"),
            zh_en("检查两个日期：until 是政策有效的最后一天", "check both dates: until is the last day it applies"),
        )
        failed = True
    elif end is not None:
        _warn_of_expiry(path, meta.line_of("until"), end, today, problems)
    if failed:
        return None
    return _policy(source, fields, body)


def _warn_of_expiry(path: str, line: int, end: dt.date, today: dt.date, problems: Problems) -> None:
    left = (end - today).days
    if left < 0:
        problems.warning(
            path,
            line,
            zh_en(f"政策已于 {end} 到期，不再出现在列表里", f"the policy expired on {end} and has left the lists"),
            zh_en(
                "若已延期，改 until 并更新 source；否则可以删除这个文件",
                "if it was extended, change until and its source; otherwise the file can be deleted",
            ),
        )
    elif left <= POLICY_NOTICE_DAYS:
        problems.warning(
            path,
            line,
            zh_en(f"政策将于 {end} 到期（还有 {left} 天）", f"the policy expires on {end} ({left} days from now)"),
            zh_en(
                "向发文单位确认是否延期；延期就改 until 并更新 source",
                "ask the issuer whether it is extended; if so, change until and its source",
            ),
        )


def _policy(source: Source, fields: dict, body: Body) -> Policy:
    scope, apply = fields["scope"], fields.get("apply")
    return Policy(
        slug=source.slug,
        title=fields["title"],
        issuer=fields["issuer"],
        scope=PolicyScope(
            alliance=scope.get("alliance", False),
            cities=tuple(dict.fromkeys(scope.get("cities", ()))),
            parks=tuple(dict.fromkeys(scope.get("parks", ()))),
            sectors=tuple(dict.fromkeys(scope.get("sectors", ()))),
        ),
        source=citation(fields["source"]),
        body=body,
        source_path=source.zh.path,
        number=fields.get("number"),
        summary=fields.get("summary"),
        eligibility=fields.get("eligibility"),
        benefits=tuple(Benefit(**benefit) for benefit in fields.get("benefits", ())),
        conditions=fields.get("conditions"),
        apply=ApplyAt(**apply) if apply else None,
        valid_from=fields.get("from"),
        valid_until=fields.get("until"),
    )


def warn_of_old_costs(costs: tuple[Cost, ...], path: str, line: int | None, today: dt.date, problems: Problems) -> None:
    """One warning for the costs of a city or park whose year is more than two years past."""
    old = sorted({cost.item for cost in costs if today.year - cost.year > COST_FRESH_YEARS})
    if old:
        problems.warning(
            path,
            line,
            zh_en(
                f"这些要素成本已超过 {COST_FRESH_YEARS} 年：{', '.join(old)}",
                f"these costs are more than {COST_FRESH_YEARS} years old: {', '.join(old)}",
            ),
            zh_en(
                "查找最新公布的价格，更新 value、year 和 source",
                "look up the latest published figures and update value, year and source",
            ),
        )


def check_city_costs(config: SiteConfig, today: dt.date, problems: Problems) -> None:
    for city in config.cities.values():
        warn_of_old_costs(city.costs, "content/cities.yaml", city.line, today, problems)
