"""What editors may write, field by field: the front matter of every collection and the site's
own files (`site.yaml`, `sectors.yaml`, `cities.yaml`).

Each field's description is what the editors' field reference prints, so it cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sitegen.content.fields import (
    INVALID,
    Bilingual,
    Choice,
    ClockTime,
    Date,
    Email,
    FieldType,
    Flag,
    IdOf,
    ListOf,
    Location,
    Number,
    Record,
    Spec,
    Text,
    Url,
    Where,
)
from sitegen.content.frontmatter import Mapping
from sitegen.errors import said_twice
from sitegen.geo import COORDINATE_SYSTEMS

PARK_LEVELS = ("national", "provincial", "municipal", "other")
PARK_KINDS = ("development-zone", "high-tech-zone", "new-area", "industrial-park", "incubator", "other")
EVENT_KINDS = ("summit", "roundtable", "signing", "visit", "promotion", "other")

TRANSLATABLE_FIELDS = {
    "parks": ("name", "summary", "district", "operator"),
    "events": ("title", "summary", "venue"),
    "pages": ("title", "summary"),
}
"""Fields an `.en.md` file may override with plain English text."""


class Slug(Text):
    describe = "slug of another entry (its file name without .md)"


@dataclass(frozen=True)
class Schemas:
    park: Record
    event: Record
    page: Record

    def for_collection(self, collection: str) -> Record:
        return {"parks": self.park, "events": self.event, "pages": self.page}[collection]


def english_override(collection: str) -> Record:
    return Record(tuple(
        Spec(name, Text(), f"English {name}, replacing the `en` text of the Chinese file")
        for name in TRANSLATABLE_FIELDS[collection]
    ))


def build_schemas(sector_ids: Callable[[], Iterable[str]], city_ids: Callable[[], Iterable[str]]) -> Schemas:
    """The schemas depend on the site's own vocabularies; no sector or city is known to the code."""
    sector = IdOf("sectors.yaml", sector_ids)
    city = IdOf("cities.yaml", city_ids)
    location = Location((
        Spec("lat", Number(-90, 90), "latitude in degrees, e.g. 36.666", required=True),
        Spec("lon", Number(-180, 180), "longitude in degrees, e.g. 117.134", required=True),
        Spec(
            "crs",
            Choice(COORDINATE_SYSTEMS),
            "where the numbers come from: GPS (wgs84, the default), a Gaode/AMap picker (gcj02), a Baidu picker (bd09)",
        ),
    ))
    figure = Record((
        Spec("label", Bilingual(), "what is counted", required=True),
        Spec("value", Number(), "the number itself, without unit", required=True),
        Spec("unit", Bilingual(), "unit, e.g. {zh: 亿元, en: 100 million yuan}"),
        Spec("year", Number(1900, 2100, whole=True), "the year the figure refers to", required=True),
        Spec("source", Bilingual(), "where the figure was published", required=True),
    ))
    park = Record((
        Spec("name", Bilingual(require_english=True), "park name in Chinese and English", required=True),
        Spec("city", city, "city id from content/cities.yaml", required=True),
        Spec("location", location, "where the park is: {lat, lon}, optional crs", required=True),
        Spec("sectors", ListOf(sector, at_least=1), "sector ids; the first is the primary sector", required=True),
        Spec("level", Choice(PARK_LEVELS), "the level of government that approved the park"),
        Spec("kind", Choice(PARK_KINDS), "what sort of park it is"),
        Spec("parent", Slug(), "slug of the park that contains this one (区中园)"),
        Spec("alliance", Record((
            Spec("member", Flag(), "true when the park is an alliance member", required=True),
            Spec("batch", Number(1, 100, whole=True), "membership batch, 1 for the first"),
            Spec("joined", Date(), "date it joined, YYYY-MM-DD"),
        )), "alliance membership"),
        Spec("district", Bilingual(), "district or county"),
        Spec("operator", Bilingual(), "company or body that runs the park"),
        Spec("summary", Bilingual(), "one line shown in lists, popups and search"),
        Spec("established", Number(1900, 2100, whole=True), "year the park was established"),
        Spec("area_km2", Number(0, 10000), "planned area in square kilometres"),
        Spec("website", Url(), "official website"),
        Spec("contact", Record((
            Spec("phone", Text(), 'phone number in quotes, e.g. "0531-12345678"'),
            Spec("email", Email(), "e-mail address"),
            Spec("address", Bilingual(), "postal address"),
            Spec("person", Bilingual(), "contact person or office"),
        )), "investment contact"),
        Spec("key_enterprises", ListOf(Bilingual()), "leading companies in the park"),
        Spec("figures", ListOf(figure), "key figures, each with label, value, unit, year and source"),
        Spec("cover", Text(), "cover image under content/media/, e.g. media/qilu.jpg"),
        Spec("cover_alt", Bilingual(), "what the cover image shows (required with cover)"),
        Spec("updated", Date(), "date the facts were last checked, YYYY-MM-DD"),
    ))
    event = Record((
        Spec("title", Bilingual(require_english=True), "event title in Chinese and English", required=True),
        Spec("date", Date(), "first day, YYYY-MM-DD (Beijing time)", required=True),
        Spec("end", Date(), "last day, for events of several days"),
        Spec("time", ClockTime(), 'start time in Beijing time, in quotes: "09:30"'),
        Spec("end_time", ClockTime(), 'end time in Beijing time, in quotes: "17:00"'),
        Spec("city", city, "city id from content/cities.yaml"),
        Spec("venue", Bilingual(), "where it takes place"),
        Spec("kind", Choice(EVENT_KINDS), "what sort of event it is"),
        Spec("parks", ListOf(Slug()), "slugs of the parks involved"),
        Spec("summary", Bilingual(), "one line shown in lists"),
    ))
    page = Record((
        Spec("title", Bilingual(require_english=True), "page title in Chinese and English", required=True),
        Spec("summary", Bilingual(), "one line for search engines and lists"),
        Spec("menu", Number(1, 99, whole=True), "position in the main menu; leave out to keep it off the menu"),
    ))
    return Schemas(park, event, page)


# The site's own files.

TILE_PROVIDERS = ("tianditu", "gaode", "openstreetmap")
TIANDITU_KEY_VARIABLE = "SITEGEN_TIANDITU_KEY"
BASE_URL_VARIABLE = "SITEGEN_BASE_URL"
SITE_LANGUAGES = ("zh", "en", "zh-hant")


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


class _Languages(FieldType):
    describe = "a list: zh, then any of en, zh-hant"

    def check(self, value: Any, where: Where) -> Any:
        languages = ListOf(Choice(SITE_LANGUAGES)).check(value, where)
        if languages is INVALID:
            return INVALID
        if not languages or languages[0] != "zh" or len(set(languages)) != len(languages):
            return where.error(
                said_twice("languages 必须以 zh 开头，且每种语言只写一次", "languages must start with zh, each once"),
                said_twice("例如 languages: [zh, en, zh-hant]", "e.g. languages: [zh, en, zh-hant]"),
            )
        return tuple(languages)


SECTOR_ICONS = (
    "building-factory-2", "cpu", "database", "circuit-resistor", "dna-2", "car", "robot", "satellite",
    "plant-2", "flask", "leaf", "truck-delivery", "building-skyscraper", "tool", "bolt", "anchor",
    "tools-kitchen-2", "shirt", "school", "heart-handshake", "building-bank", "device-desktop", "atom",
    "windmill", "ship", "plane", "pill", "coin", "world", "briefcase",
)
"""The Tabler Icons vendored in the theme (sitegen/theme/static/vendor/tabler-icons/)."""
DEFAULT_SECTOR_ICON = "building-factory-2"


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
    Spec("contact", Record((
        Spec("office", Bilingual(), "who answers, e.g. 青企峰会办公室"),
        Spec("phone", Text(), 'hotline in quotes, e.g. "0531-12345678"'),
        Spec("email", Email(), "e-mail address for investment enquiries"),
        Spec("address", Bilingual(), "postal address of the office"),
        Spec("hours", Bilingual(), "when the hotline is answered, e.g. 工作日 9:00–17:00"),
        Spec("wechat", Text(), "WeChat official account name (公众号)"),
        Spec("wechat_qr", Text(), "QR code image of the WeChat account under content/media/, e.g. media/wechat-qr.png"),
        Spec("enquiry_endpoint", Url(), "address the enquiry form posts to (name, contact, message); "
             "without it the form opens an e-mail"),
    )), "the alliance office's contact, shown on the contact page, in the footer and on parks without their own"),
    Spec("highlights", ListOf(Record((
        Spec("value", Text(), 'the number as shown, in quotes, e.g. "37"', required=True),
        Spec("label", Bilingual(), "what the number counts", required=True),
        Spec("note", Bilingual(), "one line that qualifies it"),
        Spec("source", Bilingual(), "where the number comes from", required=True),
        Spec("source_url", Url(), "address of the source, if it is online"),
    ))), "key numbers on the home page, each with what it counts and its source"),
    Spec("allow_raw_html", Flag(), "keep raw HTML in bodies unsanitised (default false)"),
    Spec("languages", _Languages(), "the site's languages: zh first, then any of en, zh-hant (default [zh, en])"),
    Spec("traditional_chinese", Flag(), "deprecated: add zh-hant to languages instead"),
    Spec("theme", Text(), "the folder under themes/ whose files override the default theme (default: default)"),
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
    Spec("icon", Choice(SECTOR_ICONS), "icon from the vendored Tabler Icons, e.g. cpu (default: building-factory-2)"),
))

CITY_SCHEMA = Record((
    Spec("zh", Text(), "Chinese name", required=True),
    Spec("en", Text(), "English name", required=True),
    Spec("centre", _LOCATION, "centre of the city, WGS-84", required=True),
))
