"""What editors may write, field by field: the front matter of every collection and the site's
own files (`site.yaml`, `sectors.yaml`, `cities.yaml`).

Each field's description is what the editors' field reference prints, so it cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sitegen.content.fields import (
    INVALID,
    Amount,
    Bilingual,
    Choice,
    ClockTime,
    Date,
    Email,
    FieldMapping,
    FieldType,
    Flag,
    IdOf,
    ListOf,
    Location,
    LooseDate,
    Measure,
    MediaPath,
    Number,
    Phone,
    Price,
    Spec,
    Text,
    UnitOf,
    Url,
    Where,
)
from sitegen.content.frontmatter import Mapping, Sequence
from sitegen.content.theme import THEME_NAME
from sitegen.content.units import AREA_UNITS, MONEY_UNITS, PRICE_UNITS, UNITS
from sitegen.errors import zh_en
from sitegen.geo import COORDINATE_SYSTEMS

PARK_LEVELS = ("national", "provincial", "municipal", "other")
PARK_KINDS = ("development-zone", "high-tech-zone", "new-area", "industrial-park", "incubator", "other")
EVENT_KINDS = ("summit", "roundtable", "signing", "visit", "promotion", "other")
PROJECT_STAGES = ("negotiating", "signed", "under-construction", "in-production")
"""A project's stages in the order they follow each other."""
STAGE_DATES = {"signed": "signed", "construction": "under-construction", "production": "in-production"}
"""The `dates` a project may give, each the day it reached a stage, in the same order."""

SITE_KINDS = ("land", "standard-factory", "office", "incubator", "lab", "warehouse")
"""What a site (载体) is: a plot of industrial land, or one of the kinds of building."""
SITE_STATUSES = ("available", "reserved", "let", "sold")
COST_UNITS = {
    "land-base-price": ("万元/亩", "元/㎡"),
    "electricity": ("元/kWh",),
    "water": ("元/吨", "元/m³"),
    "gas": ("元/m³",),
    "steam": ("元/吨",),
    "minimum-wage": ("元/月",),
    "average-wage": ("元/月", "元/年"),
    "social-insurance-base": ("元/月",),
}
"""The costs of doing business (要素成本) a city or park may state, each with the units it may be in."""
VOLTAGE_CLASSES = ("below-1kv", "1-10kv", "20kv", "35kv", "110kv", "220kv")
"""Electricity tariffs are published per voltage class (不满1千伏, 1-10千伏, … 220千伏及以上)."""
TARIFF_PERIODS = ("peak", "flat", "valley", "average")
"""Time-of-use periods of a tariff (峰, 平, 谷), or its average where only that is published."""

TRANSLATABLE_FIELDS = {
    "parks": ("name", "summary", "district", "operator"),
    "events": ("title", "summary", "venue"),
    "pages": ("title", "summary"),
    "chains": ("name", "summary"),
    "projects": (),
    "sites": ("name", "summary"),
    "policies": ("title", "summary"),
}
"""Fields an `.en.md` file may override with plain English text."""


class Slug(Text):
    describe = "slug of another entry (its file name without .md)"
    describe_zh = "另一个条目的文件名（不带 .md）"


@dataclass(frozen=True)
class Schemas:
    park: FieldMapping
    event: FieldMapping
    page: FieldMapping
    chain: FieldMapping
    project: FieldMapping
    site: FieldMapping
    policy: FieldMapping

    def for_collection(self, collection: str) -> FieldMapping:
        return {
            "parks": self.park,
            "events": self.event,
            "pages": self.page,
            "chains": self.chain,
            "projects": self.project,
            "sites": self.site,
            "policies": self.policy,
        }[collection]


CONTACT = FieldMapping(
    (
        Spec(
            "phone",
            Phone(),
            'phone number in quotes, e.g. "0531-12345678"',
            zh='电话号码，加引号，例如 "0531-12345678"',
        ),
        Spec("email", Email(), "e-mail address", zh="电子邮箱"),
        Spec("address", Bilingual(), "postal address", zh="通信地址"),
        Spec("person", Bilingual(), "contact person or office", zh="联系人或联系部门"),
    )
)
CITATION = FieldMapping(
    (
        Spec(
            "publication",
            Bilingual(),
            "outlet and title, e.g. {zh: 《济南日报》…, en: …}",
            zh="媒体与标题，例如 {zh: 《济南日报》…, en: …}",
            required=True,
        ),
        Spec(
            "date",
            LooseDate(),
            'when it was published; "YYYY-MM" or "YYYY" if that is all it says',
            zh='发表日期；报道只写到月或年时写 "YYYY-MM" 或 "YYYY"',
        ),
    )
)


class _CostFields(FieldMapping):
    """A cost whose unit suits its item, with a voltage class and period only for electricity
    and a role only for average wages."""

    def check(self, value: Any, where: Where) -> Any:
        fields = super().check(value, where)
        if fields is INVALID:
            return fields
        item, line_of = fields["item"], value.line_of
        largest = UNITS[fields["unit"]].maximum
        if fields["value"] > largest:
            return where.child("value", line_of("value")).error(
                zh_en(
                    f"{item} 的 {fields['value']:g} {fields['unit']} 不合常理",
                    f"{item} of {fields['value']:g} {fields['unit']} cannot be right",
                ),
                zh_en(
                    f"以 {fields['unit']} 计不超过 {largest:,g}；检查数字和单位",
                    f"in {fields['unit']} it is at most {largest:,g}; check the number and the unit",
                ),
            )
        if fields["unit"] not in COST_UNITS[item]:
            return where.child("unit", line_of("unit")).error(
                zh_en(f"{item} 不能以 {fields['unit']} 计", f"{item} cannot be given in {fields['unit']}"),
                zh_en(f"可用单位：{', '.join(COST_UNITS[item])}", f"use one of: {', '.join(COST_UNITS[item])}"),
            )
        for key, owner in (("voltage", "electricity"), ("period", "electricity"), ("role", "average-wage")):
            if key in fields and item != owner:
                return where.child(key, line_of(key)).error(
                    zh_en(f"只有 {owner} 才写 {key}", f"only {owner} takes {key}"),
                    zh_en(f"删掉 {key}，或把 item 改成 {owner}", f"delete {key}, or make the item {owner}"),
                )
        return fields


class _CostList(ListOf):
    """Costs in which each item (with its class, period and role) is stated once."""

    def check(self, value: Any, where: Where) -> Any:
        items = super().check(value, where)
        if items is INVALID:
            return items
        seen: dict[tuple, int] = {}
        for index, item in enumerate(items):
            role = item.get("role")
            key = (item["item"], item.get("voltage"), item.get("period"), role.zh if role else None)
            line = value.line_of(index) if isinstance(value, Sequence) else where.line or 0
            if key in seen:
                return where.child(where.key, line).error(
                    zh_en(
                        f"{item['item']} 写了两次（第一次在第 {seen[key]} 行）",
                        f"{item['item']} is given twice (first on line {seen[key]})",
                    ),
                    zh_en(
                        "删掉其中一项；电价按 voltage 和 period 区分，工资按 role 区分",
                        "delete one; electricity is told apart by voltage and period, wages by role",
                    ),
                )
            seen[key] = line
        return items


COST = _CostFields(
    (
        Spec(
            "item",
            Choice(tuple(COST_UNITS)),
            "what it costs: " + ", ".join(COST_UNITS),
            zh="成本项目：" + "、".join(COST_UNITS),
            required=True,
        ),
        Spec("value", Number(0), "the number, without unit", zh="数值，不带单位", required=True),
        Spec(
            "unit",
            UnitOf(tuple(dict.fromkeys(u for units in COST_UNITS.values() for u in units))),
            "its unit, e.g. 元/kWh",
            zh="单位，例如 元/kWh",
            required=True,
        ),
        Spec("voltage", Choice(VOLTAGE_CLASSES), "electricity only: the voltage class", zh="仅电价：电压等级"),
        Spec(
            "period",
            Choice(TARIFF_PERIODS),
            "electricity only: peak, flat, valley or average",
            zh="仅电价：高峰 peak、平段 flat、低谷 valley 或平均 average",
        ),
        Spec(
            "role",
            Bilingual(),
            "average wages only: the job, e.g. {zh: 普工, en: production worker}",
            zh="仅平均工资：岗位，例如 {zh: 普工, en: production worker}",
        ),
        Spec("year", Number(1900, 2100, whole=True), "the year the figure holds for", zh="数据所属年份", required=True),
        Spec("source", Bilingual(), "where the figure was published", zh="数据的公布来源", required=True),
    )
)
LANDING_STEP = FieldMapping(
    (
        Spec(
            "title",
            Bilingual(require_english=True),
            "the step, e.g. {zh: 三方协议, en: Tripartite agreement}",
            zh="步骤名称，例如 {zh: 三方协议, en: Tripartite agreement}",
            required=True,
        ),
        Spec("who", Bilingual(), "who does what in this step", zh="这一步由谁做什么"),
        Spec(
            "duration",
            Bilingual(),
            "how long it takes, e.g. {zh: 5个工作日, en: 5 working days}",
            zh="需要多长时间，例如 {zh: 5个工作日, en: 5 working days}",
        ),
    )
)
LANDING = FieldMapping(
    (
        Spec(
            "steps",
            ListOf(LANDING_STEP, at_least=1),
            "the steps in order, each {title, who, duration}",
            zh="按顺序写各个步骤，每步有 {title, who, duration}",
            required=True,
        ),
        Spec(
            "source",
            CITATION,
            "where the process is described: {publication, date}",
            zh="流程的出处：{publication, date}",
            required=True,
        ),
    )
)
"""How a project lands (落地流程): content/landing.yaml for the alliance, `landing:` for a park."""


def english_override(collection: str) -> FieldMapping:
    return FieldMapping(
        tuple(
            Spec(
                name,
                Text(),
                f"English {name}, replacing the `en` text of the Chinese file",
                zh=f"{name} 的英文，替换中文文件里的 en",
            )
            for name in TRANSLATABLE_FIELDS[collection]
        )
    )


def build_schemas(sector_ids: Callable[[], Collection[str]], city_ids: Callable[[], Collection[str]]) -> Schemas:
    """The schemas depend on the site's own vocabularies; no sector or city is known to the code."""
    sector = IdOf("sectors.yaml", sector_ids)
    city = IdOf("cities.yaml", city_ids)
    location = Location(
        (
            Spec("lat", Number(-90, 90), "latitude in degrees, e.g. 36.666", zh="纬度，例如 36.666", required=True),
            Spec(
                "lon", Number(-180, 180), "longitude in degrees, e.g. 117.134", zh="经度，例如 117.134", required=True
            ),
            Spec(
                "crs",
                Choice(COORDINATE_SYSTEMS),
                "where the numbers come from: GPS (wgs84, the default), "
                "a Gaode/AMap picker (gcj02), a Baidu picker (bd09)",
                zh="坐标来源：GPS（wgs84，默认）、高德地图取点（gcj02）、百度地图取点（bd09）",
            ),
        )
    )
    figure = FieldMapping(
        (
            Spec("label", Bilingual(), "what is counted", zh="统计的是什么", required=True),
            Spec("value", Number(), "the number itself, without unit", zh="数值本身，不带单位", required=True),
            Spec(
                "unit",
                Bilingual(),
                "unit, e.g. {zh: 亿元, en: 100 million yuan}",
                zh="单位，例如 {zh: 亿元, en: 100 million yuan}",
            ),
            Spec(
                "year",
                Number(1900, 2100, whole=True),
                "the year the figure refers to",
                zh="数据所属的年份",
                required=True,
            ),
            Spec("source", Bilingual(), "where the figure was published", zh="数据的出处", required=True),
        )
    )
    park = FieldMapping(
        (
            Spec(
                "name",
                Bilingual(require_english=True),
                "park name in Chinese and English",
                zh="园区的中文和英文名称",
                required=True,
            ),
            Spec(
                "city", city, "city id from content/cities.yaml", zh="content/cities.yaml 里的城市编号", required=True
            ),
            Spec(
                "location",
                location,
                "where the park is: {lat, lon}, optional crs",
                zh="园区位置：{lat, lon}，可加 crs",
                required=True,
            ),
            Spec(
                "sectors",
                ListOf(sector, at_least=1),
                "sector ids; the first is the primary sector",
                zh="产业编号，第一个是主导产业",
                required=True,
            ),
            Spec(
                "level",
                Choice(PARK_LEVELS),
                "the level of government that approved the park",
                zh="批准设立园区的政府级别",
            ),
            Spec("kind", Choice(PARK_KINDS), "what sort of park it is", zh="园区的类型"),
            Spec(
                "parent",
                Slug(),
                "slug of the park that contains this one (区中园)",
                zh="所在上级园区的文件名（区中园）",
            ),
            Spec(
                "alliance",
                FieldMapping(
                    (
                        Spec(
                            "member",
                            Flag(),
                            "true when the park is an alliance member",
                            zh="园区是联盟成员时写 true",
                            required=True,
                        ),
                        Spec(
                            "batch",
                            Number(1, 100, whole=True),
                            "membership batch, 1 for the first",
                            zh="成员批次，首批写 1",
                        ),
                        Spec("joined", Date(), "date it joined, YYYY-MM-DD", zh="加入日期，年-月-日"),
                    )
                ),
                "alliance membership",
                zh="联盟成员资格",
            ),
            Spec("district", Bilingual(), "district or county", zh="所在区县"),
            Spec("operator", Bilingual(), "company or body that runs the park", zh="运营园区的公司或机构"),
            Spec(
                "summary",
                Bilingual(),
                "one line shown in lists, popups and search",
                zh="一句话简介，显示在列表、地图弹窗和搜索里",
            ),
            Spec("established", Number(1900, 2100, whole=True), "year the park was established", zh="设立年份"),
            Spec("area_km2", Number(0, 10000), "planned area in square kilometres", zh="规划面积，平方公里"),
            Spec("website", Url(), "official website", zh="官方网站"),
            Spec(
                "contact",
                FieldMapping(
                    (
                        Spec(
                            "phone",
                            Phone(),
                            "investment hotline",
                            zh="招商咨询电话",
                        ),
                        Spec("email", Email(), "e-mail address", zh="电子邮箱"),
                        Spec("address", Bilingual(), "postal address", zh="通信地址"),
                        Spec("person", Bilingual(), "contact person or office", zh="联系人或联系部门"),
                    )
                ),
                "investment contact",
                zh="招商联系方式",
            ),
            Spec("key_enterprises", ListOf(Bilingual()), "leading companies in the park", zh="园区里的重点企业"),
            Spec(
                "figures",
                ListOf(figure),
                "key figures, each with label, value, unit, year and source",
                zh="关键数据，每条都有名称、数值、单位、年份和来源",
            ),
            Spec(
                "cover",
                MediaPath(),
                "cover image under content/media/, e.g. media/qilu.jpg",
                zh="content/media/ 下的封面图片，例如 media/qilu.jpg",
            ),
            Spec(
                "cover_alt",
                Bilingual(),
                "what the cover image shows (required with cover)",
                zh="封面图片的内容说明（有 cover 时必填）",
            ),
            Spec("updated", Date(), "date the facts were last checked, YYYY-MM-DD", zh="信息最后核对的日期，年-月-日"),
            Spec(
                "costs",
                _CostList(COST),
                "costs of doing business here, replacing the city's figure for the same item",
                zh="园区自己的要素成本，替换所在城市同一项的数据",
            ),
            Spec(
                "landing",
                LANDING,
                "how a project lands in this park, replacing the alliance's process",
                zh="本园区的项目落地流程，替换通用流程",
            ),
        )
    )
    event = FieldMapping(
        (
            Spec(
                "title",
                Bilingual(require_english=True),
                "event title in Chinese and English",
                zh="活动的中文和英文名称",
                required=True,
            ),
            Spec(
                "date", Date(), "first day, YYYY-MM-DD (Beijing time)", zh="第一天，年-月-日（北京时间）", required=True
            ),
            Spec("end", Date(), "last day, for events of several days", zh="最后一天，用于持续几天的活动"),
            Spec(
                "time",
                ClockTime(),
                'start time in Beijing time, in quotes: "09:30"',
                zh='开始时间（北京时间），加引号："09:30"',
            ),
            Spec(
                "end_time",
                ClockTime(),
                'end time in Beijing time, in quotes: "17:00"',
                zh='结束时间（北京时间），加引号："17:00"',
            ),
            Spec("city", city, "city id from content/cities.yaml", zh="content/cities.yaml 里的城市编号"),
            Spec("venue", Bilingual(), "where it takes place", zh="举办地点"),
            Spec("kind", Choice(EVENT_KINDS), "what sort of event it is", zh="活动的类型"),
            Spec("parks", ListOf(Slug()), "slugs of the parks involved", zh="相关园区的文件名"),
            Spec("summary", Bilingual(), "one line shown in lists", zh="一句话简介，显示在列表里"),
        )
    )
    page = FieldMapping(
        (
            Spec(
                "title",
                Bilingual(require_english=True),
                "page title in Chinese and English",
                zh="页面的中文和英文标题",
                required=True,
            ),
            Spec("summary", Bilingual(), "one line for search engines and lists", zh="一句话简介，用于搜索引擎和列表"),
            Spec(
                "menu",
                Number(1, 99, whole=True),
                "position in the main menu; leave out to keep it off the menu",
                zh="在主菜单中的位置；不写就不进主菜单",
            ),
        )
    )
    source = CITATION
    enterprise = FieldMapping(
        (
            Spec("name", Bilingual(), "company name", zh="企业名称", required=True),
            Spec("leading", Flag(), "true for a leading enterprise of the chain (链主)", zh="产业链的链主企业写 true"),
        )
    )
    link = FieldMapping(
        (
            Spec(
                "id",
                Slug(),
                "the link's id, unique in the chain, e.g. battery-cells",
                zh="环节编号，在整条链里唯一，例如 battery-cells",
                required=True,
            ),
            Spec(
                "name",
                Bilingual(require_english=True),
                "the link's name in Chinese and English",
                zh="环节的中文和英文名称",
                required=True,
            ),
            Spec("description", Bilingual(), "what the link makes or does", zh="这个环节生产或做什么"),
            Spec(
                "enterprises",
                ListOf(enterprise),
                "key enterprises present, each {name, leading}",
                zh="在这里的重点企业，每个写 {name, leading}",
            ),
            Spec(
                "parks",
                ListOf(Slug()),
                "slugs of the alliance parks hosting the link; none makes it a gap",
                zh="承载这个环节的联盟园区文件名；不写就是缺口",
            ),
            Spec(
                "sought",
                Bilingual(),
                "what the alliance is looking for in this link (招商方向)",
                zh="联盟在这个环节的招商方向",
            ),
        )
    )
    tier = FieldMapping(
        (
            Spec("id", Slug(), "the tier's id, e.g. upstream", zh="层级编号，例如 upstream", required=True),
            Spec(
                "name",
                Bilingual(require_english=True),
                "the tier's name, e.g. {zh: 上游, en: Upstream}",
                zh="层级名称，例如 {zh: 上游, en: Upstream}",
                required=True,
            ),
            Spec(
                "links",
                ListOf(link, at_least=1),
                "the links of this tier, upstream first",
                zh="这一层的环节，上游在前",
                required=True,
            ),
        )
    )
    chain = FieldMapping(
        (
            Spec(
                "name",
                Bilingual(require_english=True),
                "chain name in Chinese and English",
                zh="产业链的中文和英文名称",
                required=True,
            ),
            Spec(
                "sectors",
                ListOf(sector, at_least=1),
                "sector ids the chain belongs to",
                zh="产业链所属的产业编号",
                required=True,
            ),
            Spec("summary", Bilingual(), "one line shown in lists and search", zh="一句话简介，显示在列表和搜索里"),
            Spec(
                "tiers",
                ListOf(tier, at_least=1),
                "tiers in order: upstream, midstream, downstream or named",
                zh="按顺序排列的层级：上游、中游、下游或自定名称",
                required=True,
            ),
            Spec(
                "sources",
                ListOf(source, at_least=1),
                "where the facts come from, each {publication, date}",
                zh="资料来源，每条写 {publication, date}",
                required=True,
            ),
        )
    )
    project = FieldMapping(
        (
            Spec(
                "name",
                Bilingual(require_english=True),
                "project name in Chinese and English",
                zh="项目的中文和英文名称",
                required=True,
            ),
            Spec("investor", Bilingual(), "the company or body investing", zh="投资的公司或机构"),
            Spec(
                "park",
                Slug(),
                "slug of the alliance park it is in (park or city required)",
                zh="项目所在联盟园区的文件名（park 和 city 至少写一个）",
            ),
            Spec(
                "city",
                city,
                "city id, for a project not in an alliance park (park or city required)",
                zh="不在联盟园区的项目写城市编号（park 和 city 至少写一个）",
            ),
            Spec(
                "district",
                Bilingual(),
                "district or county, for a project located by city",
                zh="按城市定位的项目所在区县",
            ),
            Spec("sector", sector, "sector id from content/sectors.yaml", zh="content/sectors.yaml 里的产业编号"),
            Spec(
                "chain",
                Slug(),
                "slug of the chain it belongs to (content/chains/)",
                zh="所属产业链的文件名（content/chains/）",
            ),
            Spec("link", Slug(), "id of the link in that chain", zh="这条产业链里的环节编号"),
            Spec(
                "investment",
                Amount(),
                "total investment in 亿元 as a number, e.g. 58; leave out if not stated",
                zh="总投资额，以亿元计的数字，例如 58；报道没写就不填",
            ),
            Spec("stage", Choice(PROJECT_STAGES), "how far it has got", zh="项目进展到哪一步", required=True),
            Spec(
                "dates",
                FieldMapping(
                    tuple(
                        Spec(name, LooseDate(), f"when it reached {stage}", zh=f"进入 {stage} 阶段的日期")
                        for name, stage in STAGE_DATES.items()
                    )
                ),
                "dates of the stages known: signed, construction, production",
                zh="已知的各阶段日期：签约、开工、投产",
            ),
            Spec("summary", Bilingual(), "one line shown in the projects list", zh="一句话简介，显示在项目列表里"),
            Spec(
                "source",
                source,
                "where the facts come from: {publication, date}",
                zh="资料来源：{publication, date}",
                required=True,
            ),
        )
    )
    return Schemas(park, event, page, chain, project, _site_schema(), _policy_schema(sector, city))


def _site_schema() -> FieldMapping:
    """A site (载体): land or a building to buy or rent, as its park's office confirmed it."""
    return FieldMapping(
        (
            Spec(
                "name",
                Bilingual(require_english=True),
                "what the site is called, in Chinese and English",
                zh="载体名称，中文和英文",
                required=True,
            ),
            Spec("park", Slug(), "slug of the park it is in", zh="所在园区的文件名", required=True),
            Spec("kind", Choice(SITE_KINDS), "land, or the kind of building", zh="土地，或建筑的类型", required=True),
            Spec(
                "area",
                Measure(AREA_UNITS, positive=True),
                "area: {value, unit}; 亩 for land, ㎡ for buildings",
                zh="面积 {value, unit}：土地用亩，建筑用 ㎡",
                required=True,
            ),
            Spec(
                "price",
                Price(PRICE_UNITS),
                "price or rent: {value, unit} in 万元/亩 (land), 元/㎡·月 or 元/㎡; or on request",
                zh="价格或租金 {value, unit}：土地 万元/亩，建筑 元/㎡·月 或 元/㎡；不公开写 面议",
            ),
            Spec("status", Choice(SITE_STATUSES), "whether it can still be had", zh="是否还可以提供", required=True),
            Spec("available_from", Date(), "the day it can be taken over, YYYY-MM-DD", zh="可交付日期，年-月-日"),
            Spec(
                "zoning",
                Bilingual(),
                "zoning or permitted use, e.g. {zh: 工业用地（M2）, en: Industrial (M2)}",
                zh="用地性质或允许用途，例如 {zh: 工业用地（M2）, en: Industrial (M2)}",
            ),
            Spec("summary", Bilingual(), "one line shown in lists and search", zh="一句话简介，显示在列表和搜索里"),
            Spec(
                "building",
                FieldMapping(
                    (
                        Spec("floor_height", Number(2, 50), "clear floor height in metres", zh="净层高，米"),
                        Spec("floor_load", Number(0.1, 50), "floor load in t/㎡", zh="楼面承重，吨/㎡"),
                        Spec("power", Number(1, 1_000_000), "power capacity in kVA", zh="电力容量，千伏安"),
                        Spec("crane", Number(0.1, 1000), "crane capacity in tonnes", zh="行车起重量，吨"),
                        Spec("floors", Number(1, 200, whole=True), "number of floors", zh="层数"),
                    )
                ),
                "for buildings: floor height (m), floor load (t/㎡), power (kVA), crane (t), floors",
                zh="建筑的参数：层高（米）、承重（吨/㎡）、电力（千伏安）、行车（吨）、层数",
            ),
            Spec(
                "standard_land",
                FieldMapping(
                    (
                        Spec(
                            "investment_intensity",
                            Number(1, 100_000),
                            "fixed investment required, 万元/亩",
                            zh="投资强度，万元/亩",
                        ),
                        Spec(
                            "tax_per_mu",
                            Number(0.1, 10_000),
                            "tax revenue required per year, 万元/亩",
                            zh="亩均税收（每年），万元/亩",
                        ),
                        Spec("plot_ratio", Number(0.1, 20), "minimum plot ratio (容积率)", zh="容积率下限"),
                    )
                ),
                "for land sold as 标准地: the targets that come with it",
                zh="标准地出让附带的指标",
            ),
            Spec(
                "photos",
                ListOf(
                    FieldMapping(
                        (
                            Spec(
                                "file",
                                MediaPath(),
                                "image under content/media/, e.g. media/plot-a.jpg",
                                zh="content/media/ 下的图片，例如 media/plot-a.jpg",
                                required=True,
                            ),
                            Spec("alt", Bilingual(), "what the photo shows", zh="照片内容说明", required=True),
                        )
                    )
                ),
                "photos, each {file, alt}",
                zh="照片，每张 {file, alt}",
            ),
            Spec(
                "contact",
                CONTACT,
                "who to ask about this site; the park's contact when left out",
                zh="这个载体的联系人；不写就用园区的联系方式",
            ),
            Spec(
                "verified",
                Date(),
                "the day the office last confirmed these facts, YYYY-MM-DD",
                zh="园区最近一次确认这些信息的日期，年-月-日",
                required=True,
            ),
            Spec(
                "source",
                CITATION,
                "where the facts come from: {publication, date}",
                zh="资料来源：{publication, date}",
                required=True,
            ),
        )
    )


def _policy_schema(sector: IdOf, city: IdOf) -> FieldMapping:
    """A policy (招商政策): who issued it, where it applies, who qualifies, what is given and how to apply."""
    money = Measure(MONEY_UNITS)
    return FieldMapping(
        (
            Spec(
                "title",
                Bilingual(require_english=True),
                "the policy's title in Chinese and English",
                zh="政策名称，中文和英文",
                required=True,
            ),
            Spec(
                "issuer",
                Bilingual(),
                "who issued it, e.g. {zh: 济南市人民政府, en: Jinan Municipal Government}",
                zh="发文单位，例如 {zh: 济南市人民政府, en: Jinan Municipal Government}",
                required=True,
            ),
            Spec("number", Text(), "document number (文号), e.g. 济政发〔2023〕1号", zh="文号，例如 济政发〔2023〕1号"),
            Spec(
                "scope",
                FieldMapping(
                    (
                        Spec(
                            "alliance",
                            Flag(),
                            "true: it applies in every park of the alliance, whatever its city;"
                            " leave it out to choose cities or parks below",
                            zh="写 true：本政策适用于联盟的每一个园区，不论在哪个城市；"
                            "只适用于部分城市或园区时不写，在下面选",
                            label="全部联盟园区",
                        ),
                        Spec(
                            "cities",
                            ListOf(city),
                            "city ids: it applies in every park of these cities",
                            zh="城市编号：本政策适用于这些城市的每一个园区",
                            label="适用城市",
                        ),
                        Spec(
                            "parks",
                            ListOf(Slug()),
                            "park slugs: it applies in these parks only",
                            zh="园区文件名：本政策只适用于这些园区",
                            label="适用园区",
                        ),
                        Spec(
                            "sectors",
                            ListOf(sector),
                            "sector ids: only parks hosting one of these sectors, among the cities or parks"
                            " chosen; alone, such parks anywhere in the alliance",
                            zh="产业编号：只适用于有这些产业的园区，在上面选的城市或园区之内；"
                            "单独写时，指全联盟有这些产业的园区",
                            label="限定产业",
                        ),
                    )
                ),
                "which parks it applies in: every alliance park, the parks of some cities, or some parks;"
                " sectors narrow any of these",
                zh="本政策适用于哪些园区：全部联盟园区，或某些城市的园区，或某些园区；可再用产业缩小范围",
                required=True,
            ),
            Spec("summary", Bilingual(), "one line shown in lists and search", zh="一句话简介，显示在列表和搜索里"),
            Spec("eligibility", Bilingual(), "who qualifies", zh="适用对象"),
            Spec(
                "benefits",
                ListOf(
                    FieldMapping(
                        (
                            Spec("what", Bilingual(), "what is given", zh="给予什么", required=True),
                            Spec(
                                "amount",
                                money,
                                "amount: {value, unit} in 元, 万元 or 亿元",
                                zh="金额 {value, unit}，单位 元、万元 或 亿元",
                            ),
                            Spec("rate", Number(0, 100), "rate in per cent", zh="比例，百分数"),
                            Spec("cap", money, "the most given: {value, unit}", zh="最高金额 {value, unit}"),
                        )
                    )
                ),
                "what is given, each {what, amount, rate, cap}",
                zh="支持内容，每项 {what, amount, rate, cap}",
            ),
            Spec("conditions", Bilingual(), "conditions attached", zh="附带条件"),
            Spec(
                "apply",
                FieldMapping(
                    (
                        Spec("office", Bilingual(), "the office that takes applications", zh="受理部门"),
                        Spec(
                            "phone",
                            Phone(),
                            'phone number in quotes, e.g. "0531-12345678"',
                            zh='电话号码，加引号，例如 "0531-12345678"',
                        ),
                        Spec("address", Bilingual(), "where to apply", zh="申请地点"),
                        Spec("website", Url(), "online application", zh="网上申请地址"),
                    )
                ),
                "how and where to apply",
                zh="申请方式和地点",
            ),
            Spec("from", Date(), "first day it applies, YYYY-MM-DD", zh="开始适用的日期，年-月-日"),
            Spec(
                "until",
                Date(),
                "last day it applies, YYYY-MM-DD; it leaves the lists after",
                zh="最后适用的日期，年-月-日；过期后从列表中撤下",
            ),
            Spec(
                "source",
                CITATION,
                "where it was published: {publication, date}",
                zh="公布出处：{publication, date}",
                required=True,
            ),
        )
    )


# The site's own files.

TILE_PROVIDERS = ("tianditu", "gaode", "openstreetmap")
TIANDITU_KEY_VARIABLE = "SITEGEN_TIANDITU_KEY"
BASE_URL_VARIABLE = "SITEGEN_BASE_URL"
SITE_LANGUAGES = ("zh", "en", "zh-hant")
LOCAL_HOSTS = ("127.0.0.1", "localhost")
"""The only hosts a deploy may reach without https: a test server on this machine."""


class _Colour(Text):
    describe = 'colour as "#rrggbb"'
    describe_zh = '颜色，加引号写成 "#rrggbb"'

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID or re.fullmatch(r"#[0-9a-fA-F]{6}", text):
            return text
        return where.error(
            zh_en(f"颜色 '{text}' 格式不对", f"'{text}' is not a colour"),
            zh_en(
                '写成带引号的 "#rrggbb"，例如 colour: "#1f6feb"',
                'write it in quotes as "#rrggbb", e.g. colour: "#1f6feb"',
            ),
        )


class _ThemeName(Text):
    describe = "a folder name under themes/: letters, digits, '.', '_' and '-'"

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID or THEME_NAME.fullmatch(text):
            return text
        return where.error(
            zh_en(f"主题名 '{text}' 不是 themes/ 下的一个文件夹名", f"'{text}' is not the name of a folder in themes/"),
            zh_en(
                "主题只能放在网站的 themes/ 文件夹里：写文件夹名，例如 theme: default，不要写路径",
                "a theme lives in the site's themes/ folder: write its folder name, e.g. theme: default, not a path",
            ),
        )


TIANDITU_KEY = re.compile(r"[0-9A-Za-z]{8,64}")
"""What the Tianditu console hands out (32 hex digits today); the key ends up inside tile URLs."""


@dataclass(frozen=True)
class TiandituKey(Text):
    """A key from site.yaml is shown in its message; one from the environment is a CI secret and is not."""

    shown: bool = True
    describe = "Tianditu browser key: letters and digits"
    describe_zh = "天地图浏览器端 key：英文字母和数字"

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID or TIANDITU_KEY.fullmatch(text):
            return text
        named = f" '{text}'" if self.shown else ""
        return where.error(
            zh_en(
                f"天地图 key{named} 格式不对：只能有英文字母和数字",
                f"the Tianditu key{named} is malformed: it may hold only letters and digits",
            ),
            zh_en(
                "从天地图控制台（console.tianditu.gov.cn）复制“浏览器端”key，不要带空格、引号或网址",
                "copy the browser key from the Tianditu console (console.tianditu.gov.cn), without spaces,"
                " quotes or a web address",
            ),
        )


class _TilesPerLanguage(FieldType):
    describe = "a provider for every language, or {zh: provider, en: provider}"
    describe_zh = "所有语言用同一个底图，或 {zh: 底图, en: 底图}"

    def check(self, value: Any, where: Where) -> Any:
        provider = Choice(TILE_PROVIDERS)
        if isinstance(value, Mapping):
            return FieldMapping(
                (
                    Spec("zh", provider, "tiles on Chinese pages", zh="中文页面的底图", required=True),
                    Spec("en", provider, "tiles on English pages", zh="英文页面的底图", required=True),
                )
            ).check(value, where)
        choice = provider.check(value, where)
        return INVALID if choice is INVALID else {"zh": choice, "en": choice}


class _ApprovalNumbers(FieldType):
    describe = "map approval number (审图号) per provider"
    describe_zh = "各地图服务商的审图号"

    def check(self, value: Any, where: Where) -> Any:
        return FieldMapping(
            tuple(
                Spec(name, Text(), f"审图号 shown with {name} tiles", zh=f"{name} 底图的审图号")
                for name in TILE_PROVIDERS
            )
        ).check(value, where)


class _Languages(FieldType):
    describe = "a list: zh, then any of en, zh-hant"
    describe_zh = "列表：zh 在前，再加 en、zh-hant 中的任意几种"

    def check(self, value: Any, where: Where) -> Any:
        languages = ListOf(Choice(SITE_LANGUAGES)).check(value, where)
        if languages is INVALID:
            return INVALID
        if not languages or languages[0] != "zh" or len(set(languages)) != len(languages):
            return where.error(
                zh_en("languages 必须以 zh 开头，且每种语言只写一次", "languages must start with zh, each once"),
                zh_en("例如 languages: [zh, en, zh-hant]", "e.g. languages: [zh, en, zh-hant]"),
            )
        return tuple(languages)


class _Endpoint(Url):
    describe = "https:// address of the bucket's S3-compatible API (http:// only for 127.0.0.1 or localhost)"
    describe_zh = "存储桶 S3 兼容接口的 https:// 地址（只有 127.0.0.1 或 localhost 可以用 http://）"

    def check(self, value: Any, where: Where) -> Any:
        address = super().check(value, where)
        if address is INVALID:
            return address
        parts = urlsplit(address)
        if parts.scheme == "https" or parts.hostname in LOCAL_HOSTS:
            if parts.path.strip("/") or parts.query:
                return where.error(
                    zh_en(f"'{address}' 不应带路径", f"'{address}' should not have a path"),
                    zh_en(
                        "只写服务地址，例如 https://s3.oss-cn-qingdao.aliyuncs.com；存储桶里的文件夹写在 deploy.prefix",
                        "give only the service address, e.g. https://s3.oss-cn-qingdao.aliyuncs.com; "
                        "a folder inside the bucket goes in deploy.prefix",
                    ),
                )
            return address.rstrip("/")
        return where.error(
            zh_en(
                f"'{address}' 没有加密，不能用来上传",
                f"'{address}' is not encrypted, so it cannot be used to upload",
            ),
            zh_en(
                "改用 https:// 开头的地址，例如 https://s3.oss-cn-qingdao.aliyuncs.com",
                "use the https:// address, e.g. https://s3.oss-cn-qingdao.aliyuncs.com",
            ),
        )


class _BucketName(Text):
    describe = "bucket name: 3-63 lower-case letters, digits, hyphens and dots"
    describe_zh = "存储桶名称：3–63 个小写字母、数字、连字符和点"

    def check(self, value: Any, where: Where) -> Any:
        name = super().check(value, where)
        if name is INVALID or re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", name):
            return name
        return where.error(
            zh_en(f"'{name}' 不是有效的存储桶名称", f"'{name}' is not a valid bucket name"),
            zh_en(
                "照控制台上显示的名称抄写：小写字母、数字和连字符，例如 shandong-parks"
                "（腾讯云 COS 带 APPID：shandong-parks-1250000000）",
                "copy the name the console shows: lower-case letters, digits and hyphens, e.g. shandong-parks "
                "(Tencent COS adds the APPID: shandong-parks-1250000000)",
            ),
        )


class _BucketFolder(Text):
    describe = "folder inside the bucket, e.g. parks"
    describe_zh = "存储桶里的文件夹，例如 parks"

    def check(self, value: Any, where: Where) -> Any:
        folder = super().check(value, where)
        if folder is INVALID:
            return folder
        parts = folder.strip("/").split("/")
        if all(part and part not in (".", "..") and not re.search(r"[\\\s]", part) for part in parts):
            return "/".join(parts)
        return where.error(
            zh_en(f"'{folder}' 不是有效的文件夹路径", f"'{folder}' is not a usable folder path"),
            zh_en(
                "用 / 分隔的文件夹名，不含空格、. 或 ..，例如 prefix: parks/site",
                "folder names separated by /, without spaces, . or .., e.g. prefix: parks/site",
            ),
        )


SECTOR_ICONS = (
    "building-factory-2",
    "cpu",
    "database",
    "circuit-resistor",
    "dna-2",
    "car",
    "robot",
    "satellite",
    "plant-2",
    "flask",
    "leaf",
    "truck-delivery",
    "building-skyscraper",
    "tool",
    "bolt",
    "anchor",
    "tools-kitchen-2",
    "shirt",
    "school",
    "heart-handshake",
    "building-bank",
    "device-desktop",
    "atom",
    "windmill",
    "ship",
    "plane",
    "pill",
    "coin",
    "world",
    "briefcase",
)
"""The Tabler Icons vendored in the theme (sitegen/theme/static/vendor/tabler-icons/)."""
DEFAULT_SECTOR_ICON = "building-factory-2"


GIT_BACKENDS = ("github", "gitlab", "gitea")
HOSTED_EDITOR = FieldMapping(
    (
        Spec(
            "backend",
            Choice(GIT_BACKENDS),
            "the git host the editor saves to: github | gitlab | gitea",
            zh="编辑器保存到的 git 托管平台：github | gitlab | gitea",
            required=True,
        ),
        Spec(
            "repo",
            Text(),
            "the site's repository there, owner/name",
            zh="网站在该平台上的仓库，写成 所有者/名称",
            required=True,
        ),
        Spec(
            "branch",
            Text(),
            "the branch each save is committed to (default main)",
            zh="每次保存提交到的分支（默认 main）",
        ),
        Spec(
            "api_root",
            Url(),
            "API address of a self-hosted GitLab or Gitea, e.g. https://git.example.cn/api/v1",
            zh="自建 GitLab 或 Gitea 的 API 地址，例如 https://git.example.cn/api/v1",
        ),
        Spec(
            "base_url",
            Url(),
            "address of the sign-in (OAuth) service the git host needs for the editor",
            zh="git 平台为编辑器登录所需的 OAuth 服务地址",
        ),
    )
)
"""Hosted editing: the build publishes the browser editor at /admin/, saving to this git host."""


_LOCATION = FieldMapping(
    (
        Spec("lat", Number(-90, 90), "latitude, WGS-84", zh="纬度，WGS-84", required=True),
        Spec("lon", Number(-180, 180), "longitude, WGS-84", zh="经度，WGS-84", required=True),
    )
)

SITE_SCHEMA = FieldMapping(
    (
        Spec("title", Bilingual(require_english=True), "the site's name", zh="网站名称", required=True),
        Spec("tagline", Bilingual(), "one line under the title on the home page", zh="首页标题下的一句话"),
        Spec(
            "base_url",
            Url(),
            f"absolute address the site is published at; may include a sub-path (or set {BASE_URL_VARIABLE});"
            " without a public one, links and QR codes work only in the preview",
            zh=f"网站公开发布的完整地址，可以带子路径（或设置 {BASE_URL_VARIABLE}）；"
            "不是公开地址时，链接和二维码只在预览里有效",
        ),
        Spec(
            "footer",
            FieldMapping(
                (
                    Spec(
                        "icp",
                        Text(),
                        "ICP filing number, e.g. 鲁ICP备12345678号-1",
                        zh="ICP 备案号，例如 鲁ICP备12345678号-1",
                    ),
                    Spec(
                        "public_security",
                        Text(),
                        "public-security filing number, e.g. 鲁公网安备37010202000000号",
                        zh="公安备案号，例如 鲁公网安备37010202000000号",
                    ),
                    Spec("copyright", Bilingual(), "copyright holder", zh="版权所有者"),
                )
            ),
            "footer facts",
            zh="页脚信息",
        ),
        Spec(
            "contact",
            FieldMapping(
                (
                    Spec("office", Bilingual(), "who answers, e.g. 青企峰会办公室", zh="由谁答复，例如 青企峰会办公室"),
                    Spec(
                        "phone",
                        Phone(),
                        "hotline of the office",
                        zh="办公室的咨询电话",
                    ),
                    Spec("email", Email(), "e-mail address for investment enquiries", zh="投资咨询的电子邮箱"),
                    Spec("address", Bilingual(), "postal address of the office", zh="办公室的通信地址"),
                    Spec(
                        "hours",
                        Bilingual(),
                        "when the hotline is answered, e.g. 工作日 9:00–17:00",
                        zh="电话接听时间，例如 工作日 9:00–17:00",
                    ),
                    Spec("wechat", Text(), "WeChat official account name (公众号)", zh="微信公众号名称"),
                    Spec(
                        "wechat_qr",
                        Text(),
                        "QR code image of the WeChat account under content/media/, e.g. media/wechat-qr.png",
                        zh="content/media/ 下的公众号二维码图片，例如 media/wechat-qr.png",
                    ),
                    Spec(
                        "enquiry_endpoint",
                        Url(),
                        "address the enquiry form posts to (name, contact, message); "
                        "without it the form opens an e-mail",
                        zh="在线咨询表单提交到的地址（姓名、联系方式、内容）；不写时表单用邮件发送",
                    ),
                )
            ),
            "the alliance office's contact, shown on the contact page, in the footer and on parks without their own",
            zh="办公室的联系方式，显示在联系页、页脚和没有自己联系方式的园区页上",
        ),
        Spec(
            "highlights",
            ListOf(
                FieldMapping(
                    (
                        Spec(
                            "value",
                            Text(),
                            'the number as shown, in quotes, e.g. "37"',
                            zh='显示的数字，加引号，例如 "37"',
                            required=True,
                        ),
                        Spec("label", Bilingual(), "what the number counts", zh="这个数字数的是什么", required=True),
                        Spec("note", Bilingual(), "one line that qualifies it", zh="一句补充说明"),
                        Spec("source", Bilingual(), "where the number comes from", zh="数字的出处", required=True),
                        Spec(
                            "source_url", Url(), "address of the source, if it is online", zh="出处的网址（如果在网上）"
                        ),
                    )
                )
            ),
            "key numbers on the home page, each with what it counts and its source",
            zh="首页的关键数字，每个都写明数的是什么和出处",
        ),
        Spec(
            "allow_raw_html",
            Flag(),
            "keep raw HTML in bodies unsanitised (default false)",
            zh="保留正文里的原始 HTML，不做清理（默认 false）",
        ),
        Spec(
            "brochures",
            Flag(),
            "make a PDF brochure of every park and of the alliance (default true)",
            zh="为每个园区和整个网站生成 PDF 手册（默认 true）",
        ),
        Spec(
            "languages",
            _Languages(),
            "the site's languages: zh first, then any of en, zh-hant (default [zh, en])",
            zh="网站的语言：zh 在前，再加 en、zh-hant 中的任意几种（默认 [zh, en]）",
        ),
        Spec(
            "traditional_chinese",
            Flag(),
            "deprecated: add zh-hant to languages instead",
            zh="已不再使用：改在 languages 里加 zh-hant",
        ),
        Spec(
            "theme",
            _ThemeName(),
            "the folder under themes/ whose files override the default theme (default: default)",
            zh="themes/ 下的文件夹名，其中的文件覆盖默认主题（默认 default）",
        ),
        Spec(
            "map",
            FieldMapping(
                (
                    Spec(
                        "tiles",
                        _TilesPerLanguage(),
                        "base map: tianditu | gaode | openstreetmap",
                        zh="底图：tianditu | gaode | openstreetmap",
                    ),
                    Spec(
                        "tianditu_key",
                        TiandituKey(),
                        f"Tianditu browser key (or set {TIANDITU_KEY_VARIABLE})",
                        zh=f"天地图浏览器端 key（或设置 {TIANDITU_KEY_VARIABLE}）",
                    ),
                    Spec("approval_numbers", _ApprovalNumbers(), "审图号 per provider", zh="各地图服务商的审图号"),
                )
            ),
            "industry map settings",
            zh="产业地图设置",
        ),
        Spec(
            "editor",
            HOSTED_EDITOR,
            "publish the browser editor at /admin/, saving to a git host (see docs/publishing.md); "
            "leave out to publish none",
            zh="在 /admin/ 发布浏览器编辑器，保存到 git 托管平台（见 docs/publishing.md）；不写就不发布",
        ),
        Spec(
            "deploy",
            FieldMapping(
                (
                    Spec(
                        "endpoint",
                        _Endpoint(),
                        "the S3-compatible API of the bucket's region, e.g. "
                        "https://s3.oss-cn-qingdao.aliyuncs.com (OSS) or https://cos.ap-beijing.myqcloud.com (COS)",
                        zh="存储桶所在地域的 S3 兼容接口，例如 https://s3.oss-cn-qingdao.aliyuncs.com（OSS）或 https://cos.ap-beijing.myqcloud.com（COS）",
                        required=True,
                    ),
                    Spec(
                        "bucket",
                        _BucketName(),
                        "the bucket's name as the console shows it",
                        zh="控制台上显示的存储桶名称",
                        required=True,
                    ),
                    Spec(
                        "region",
                        Text(),
                        "the bucket's region id, e.g. cn-qingdao (OSS) or ap-beijing (COS)",
                        zh="存储桶的地域编号，例如 cn-qingdao（OSS）或 ap-beijing（COS）",
                        required=True,
                    ),
                    Spec(
                        "prefix",
                        _BucketFolder(),
                        "publish into this folder of the bucket instead of its root",
                        zh="发布到存储桶里的这个文件夹，而不是根目录",
                    ),
                )
            ),
            "where `sitegen deploy` uploads build/; the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            zh="sitegen deploy 把 build/ 上传到哪里；密钥来自 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY",
        ),
    )
)

SECTOR_SCHEMA = FieldMapping(
    (
        Spec("zh", Text(), "Chinese name", zh="中文名称", required=True),
        Spec("en", Text(), "English name", zh="英文名称", required=True),
        Spec("colour", _Colour(), "marker colour", zh="地图标记的颜色", required=True),
        Spec(
            "icon",
            Choice(SECTOR_ICONS),
            "icon from the vendored Tabler Icons, e.g. cpu (default: building-factory-2)",
            zh="主题自带的 Tabler 图标，例如 cpu（默认 building-factory-2）",
        ),
    )
)

CITY_SCHEMA = FieldMapping(
    (
        Spec("zh", Text(), "Chinese name", zh="中文名称", required=True),
        Spec("en", Text(), "English name", zh="英文名称", required=True),
        Spec("centre", _LOCATION, "centre of the city, WGS-84", zh="城市中心点，WGS-84", required=True),
        Spec(
            "costs",
            _CostList(COST),
            "costs of doing business in the city, each {item, value, unit, year, source}",
            zh="城市的要素成本，每项 {item, value, unit, year, source}",
        ),
    )
)
