"""The site's settings and vocabularies: `site.yaml`, `sectors.yaml`, `cities.yaml`, and the
theme's UI strings, read into typed values."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import geo
from sitegen.errors import Problems, said_twice
from sitegen.fields import (
    INVALID,
    Bilingual,
    Choice,
    FieldType,
    Flag,
    Number,
    Record,
    Spec,
    Text,
    Url,
    Where,
)
from sitegen.frontmatter import Mapping, parse_yaml, read_text
from sitegen.i18n import LANGUAGES, TRADITIONAL, Catalogue, Localized

TILE_PROVIDERS = ("tianditu", "gaode", "openstreetmap")
TIANDITU_KEY_VARIABLE = "SITEGEN_TIANDITU_KEY"
BASE_URL_VARIABLE = "SITEGEN_BASE_URL"


@dataclass(frozen=True, slots=True)
class Sector:
    id: str
    name: Localized
    colour: str


@dataclass(frozen=True, slots=True)
class City:
    id: str
    name: Localized
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Base tiles per language; the Tianditu key may come from the environment so CI can inject it."""

    tiles: dict[str, str]
    tianditu_key: str
    approval_numbers: dict[str, str]


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: Localized
    tagline: Localized | None
    base_url: str
    icp: str
    public_security: str
    copyright: Localized | None
    allow_raw_html: bool
    map: MapSettings
    languages: tuple[str, ...]
    sectors: dict[str, Sector]
    cities: dict[str, City]


class _Colour(Text):
    describe = 'colour as "#rrggbb"'

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID or re.fullmatch(r"#[0-9a-fA-F]{6}", text):
            return text
        return where.error(
            said_twice(f"颜色 '{text}' 格式不对", f"'{text}' is not a colour"),
            said_twice(
                '写成带引号的 "#rrggbb"，例如 colour: "#1f6feb"',
                'write it in quotes as "#rrggbb", e.g. colour: "#1f6feb"',
            ),
        )


class _TilesPerLanguage(FieldType):
    describe = "a provider for every language, or {zh: provider, en: provider}"

    def check(self, value: Any, where: Where) -> Any:
        provider = Choice(TILE_PROVIDERS)
        if isinstance(value, Mapping):
            return Record((
                Spec("zh", provider, "tiles on Chinese pages", required=True),
                Spec("en", provider, "tiles on English pages", required=True),
            )).check(value, where)
        choice = provider.check(value, where)
        return INVALID if choice is INVALID else {"zh": choice, "en": choice}


class _ApprovalNumbers(FieldType):
    describe = "map approval number (审图号) per provider"

    def check(self, value: Any, where: Where) -> Any:
        return Record(tuple(
            Spec(name, Text(), f"审图号 shown with {name} tiles") for name in TILE_PROVIDERS
        )).check(value, where)


_LOCATION = Record((
    Spec("lat", Number(-90, 90), "latitude, WGS-84", required=True),
    Spec("lon", Number(-180, 180), "longitude, WGS-84", required=True),
))

SITE_SCHEMA = Record((
    Spec("title", Bilingual(require_english=True), "the site's name", required=True),
    Spec("tagline", Bilingual(), "one line under the title on the home page"),
    Spec("base_url", Url(), "absolute address the site is published at; may include a sub-path", required=True),
    Spec("footer", Record((
        Spec("icp", Text(), "ICP filing number, e.g. 鲁ICP备12345678号-1"),
        Spec("public_security", Text(), "public-security filing number, e.g. 鲁公网安备37010202000000号"),
        Spec("copyright", Bilingual(), "copyright holder"),
    )), "footer facts"),
    Spec("allow_raw_html", Flag(), "keep raw HTML in bodies unsanitised (default false)"),
    Spec("traditional_chinese", Flag(), "also publish a Traditional Chinese site under /zh-hant/ (default false)"),
    Spec("map", Record((
        Spec("tiles", _TilesPerLanguage(), "base map: tianditu | gaode | openstreetmap"),
        Spec("tianditu_key", Text(), f"Tianditu browser key (or set {TIANDITU_KEY_VARIABLE})"),
        Spec("approval_numbers", _ApprovalNumbers(), "审图号 per provider"),
    )), "industry map settings"),
))

SECTOR_SCHEMA = Record((
    Spec("zh", Text(), "Chinese name", required=True),
    Spec("en", Text(), "English name", required=True),
    Spec("colour", _Colour(), "marker colour", required=True),
))

CITY_SCHEMA = Record((
    Spec("zh", Text(), "Chinese name", required=True),
    Spec("en", Text(), "English name", required=True),
    Spec("centre", _LOCATION, "centre of the city, WGS-84", required=True),
))


def _load_yaml_file(root: Path, relative: str, problems: Problems) -> Mapping | None:
    file = root / relative
    if not file.is_file():
        problems.error(
            relative,
            None,
            said_twice("找不到这个文件", "this file is missing"),
            said_twice("从 starter 内容里复制一份，或用 sitegen new 新建站点", "copy it from the starter content"),
        )
        return None
    text = read_text(file, relative, problems)
    if text is None:
        return None
    data = parse_yaml(text, relative, problems)
    if data is None and not problems.errors:
        data = Mapping()
        data.line, data.key_lines, data.raw = 1, {}, {}
    if data is not None and not isinstance(data, Mapping):
        problems.error(
            relative,
            1,
            said_twice("文件内容应当是“键: 值”的列表", "the file should be a list of key: value pairs"),
            said_twice("参照 docs/content-format.md 的例子", "follow the example in docs/content-format.md"),
        )
        return None
    return data


def _load_vocabulary(root: Path, relative: str, schema: Record, problems: Problems) -> dict[str, dict]:
    """Entries by id; each clean entry also keeps the `line` it starts on."""
    data = _load_yaml_file(root, relative, problems)
    entries: dict[str, dict] = {}
    for key, value in (data or {}).items():
        line = data.line_of(key)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
            problems.error(
                relative,
                line,
                said_twice(
                    f"编号 '{key}' 只能用小写英文字母、数字和连字符",
                    f"the id '{key}' may use only a-z, 0-9 and hyphens",
                ),
                said_twice("例如 new-energy-vehicles", "e.g. new-energy-vehicles"),
            )
            continue
        clean = schema.check(value, Where(relative, line, key, problems))
        if clean is not INVALID:
            entries[key] = {**clean, "line": line}
    return entries


def load_config(root: Path, problems: Problems) -> SiteConfig | None:
    """Read the three site files; every problem goes to `problems`, None if any is unusable."""
    site_data = _load_yaml_file(root, "content/site.yaml", problems)
    site = INVALID
    if site_data is not None:
        site = SITE_SCHEMA.check(site_data, Where("content/site.yaml", 1, "", problems))
    sectors = _load_vocabulary(root, "content/sectors.yaml", SECTOR_SCHEMA, problems)
    cities = _load_vocabulary(root, "content/cities.yaml", CITY_SCHEMA, problems)
    for city_id, city in cities.items():
        centre = city["centre"]
        if not geo.SHANDONG.contains(centre["lat"], centre["lon"]):
            problems.warning(
                "content/cities.yaml",
                city["line"],
                said_twice(f"城市 '{city_id}' 的中心不在山东省内", f"the centre of '{city_id}' lies outside Shandong"),
                said_twice("检查 lat 和 lon 是否写反", "check that lat and lon are not swapped"),
            )
    if site is INVALID:
        return None
    return _site_config(site, sectors, cities, problems)


def _site_config(site: dict, sectors: dict, cities: dict, problems: Problems) -> SiteConfig:
    footer = site.get("footer", {})
    map_data = site.get("map", {})
    key = os.environ.get(TIANDITU_KEY_VARIABLE, "") or map_data.get("tianditu_key", "")
    default_tiles = "tianditu" if key else "gaode"
    tiles = map_data.get("tiles", {"zh": default_tiles, "en": default_tiles})
    if "tianditu" in tiles.values() and not key:
        problems.error(
            "content/site.yaml",
            None,
            said_twice("使用天地图底图需要浏览器端 key", "Tianditu tiles need a browser key"),
            said_twice(
                f"在 map.tianditu_key 填写 key，或设置环境变量 {TIANDITU_KEY_VARIABLE}，或改用 tiles: gaode",
                f"set map.tianditu_key, or the environment variable {TIANDITU_KEY_VARIABLE}, or use tiles: gaode",
            ),
        )
    approval_numbers = map_data.get("approval_numbers", {})
    for provider in sorted(set(tiles.values()) - set(approval_numbers)):
        problems.warning(
            "content/site.yaml",
            None,
            said_twice(
                f"没有填写 {provider} 底图的审图号",
                f"no map approval number (审图号) is set for {provider} tiles",
            ),
            said_twice(
                f"向公众展示的地图须标注审图号：在 map.approval_numbers.{provider} 填写地图服务商公布的审图号",
                f"maps shown to the public in China must carry it: set map.approval_numbers.{provider} "
                "to the number the provider publishes",
            ),
        )
    if not footer.get("icp"):
        problems.warning(
            "content/site.yaml",
            None,
            said_twice("没有填写 ICP 备案号", "no ICP filing number is set"),
            said_twice(
                "在中国大陆托管的网站必须在首页底部显示备案号：在 footer.icp 填写，例如 鲁ICP备12345678号-1",
                "a site hosted in mainland China must show it in the footer: set footer.icp, e.g. 鲁ICP备12345678号-1",
            ),
        )
    base_url = _base_url(site["base_url"], problems)
    return SiteConfig(
        title=site["title"],
        tagline=site.get("tagline"),
        base_url=base_url,
        icp=footer.get("icp", ""),
        public_security=footer.get("public_security", ""),
        copyright=footer.get("copyright"),
        allow_raw_html=site.get("allow_raw_html", False),
        map=MapSettings(tiles=tiles, tianditu_key=key, approval_numbers=approval_numbers),
        languages=(*LANGUAGES, TRADITIONAL) if site.get("traditional_chinese") else LANGUAGES,
        sectors={
            key: Sector(key, Localized(value["zh"], value["en"]), value["colour"].lower())
            for key, value in sectors.items()
        },
        cities={
            key: City(key, Localized(value["zh"], value["en"]), value["centre"]["lat"], value["centre"]["lon"])
            for key, value in cities.items()
        },
    )


def _base_url(written: str, problems: Problems) -> str:
    """site.yaml's base_url, unless CI publishes elsewhere (e.g. a GitHub Pages sub-path)."""
    override = os.environ.get(BASE_URL_VARIABLE, "").strip()
    if override and Url().check(override, Where(f"${BASE_URL_VARIABLE}", None, BASE_URL_VARIABLE, problems)) is INVALID:
        return written
    chosen = override or written
    return chosen if chosen.endswith("/") else chosen + "/"


def load_catalogue(theme: Path, problems: Problems) -> Catalogue:
    """The theme's UI strings; each must exist in both languages."""
    relative = "themes/default/i18n.yaml" if theme.name == "default" else f"themes/{theme.name}/i18n.yaml"
    data = _load_yaml_file(theme.parent.parent, relative, problems) or {}
    strings: dict[str, Localized] = {}
    both = Bilingual(require_english=True)
    for key, value in data.items():
        text = both.check(value, Where(relative, data.line_of(key), key, problems))
        if text is not INVALID:
            strings[key] = text
    return Catalogue(strings)
