"""What editors may write, field by field: the front matter of every collection and the site's
own files (`site.yaml`, `sectors.yaml`, `cities.yaml`).

Each field's description is what the editors' field reference prints, so it cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
    MediaPath,
    Number,
    Spec,
    Text,
    Url,
    Where,
)
from sitegen.content.frontmatter import Mapping
from sitegen.errors import zh_en
from sitegen.geo import COORDINATE_SYSTEMS

PARK_LEVELS = ("national", "provincial", "municipal", "other")
PARK_KINDS = ("development-zone", "high-tech-zone", "new-area", "industrial-park", "incubator", "other")
EVENT_KINDS = ("summit", "roundtable", "signing", "visit", "promotion", "other")
PROJECT_STAGES = ("negotiating", "signed", "under-construction", "in-production")
"""A project's stages in the order they follow each other."""
STAGE_DATES = {"signed": "signed", "construction": "under-construction", "production": "in-production"}
"""The `dates` a project may give, each the day it reached a stage, in the same order."""

TRANSLATABLE_FIELDS = {
    "parks": ("name", "summary", "district", "operator"),
    "events": ("title", "summary", "venue"),
    "pages": ("title", "summary"),
    "chains": ("name", "summary"),
    "projects": (),
}
"""Fields an `.en.md` file may override with plain English text."""


class Slug(Text):
    describe = "slug of another entry (its file name without .md)"


@dataclass(frozen=True)
class Schemas:
    park: FieldMapping
    event: FieldMapping
    page: FieldMapping
    chain: FieldMapping
    project: FieldMapping

    def for_collection(self, collection: str) -> FieldMapping:
        return {
            "parks": self.park,
            "events": self.event,
            "pages": self.page,
            "chains": self.chain,
            "projects": self.project,
        }[collection]


def english_override(collection: str) -> FieldMapping:
    return FieldMapping(
        tuple(
            Spec(name, Text(), f"English {name}, replacing the `en` text of the Chinese file")
            for name in TRANSLATABLE_FIELDS[collection]
        )
    )


def build_schemas(sector_ids: Callable[[], Iterable[str]], city_ids: Callable[[], Iterable[str]]) -> Schemas:
    """The schemas depend on the site's own vocabularies; no sector or city is known to the code."""
    sector = IdOf("sectors.yaml", sector_ids)
    city = IdOf("cities.yaml", city_ids)
    location = Location(
        (
            Spec("lat", Number(-90, 90), "latitude in degrees, e.g. 36.666", required=True),
            Spec("lon", Number(-180, 180), "longitude in degrees, e.g. 117.134", required=True),
            Spec(
                "crs",
                Choice(COORDINATE_SYSTEMS),
                "where the numbers come from: GPS (wgs84, the default), "
                "a Gaode/AMap picker (gcj02), a Baidu picker (bd09)",
            ),
        )
    )
    figure = FieldMapping(
        (
            Spec("label", Bilingual(), "what is counted", required=True),
            Spec("value", Number(), "the number itself, without unit", required=True),
            Spec("unit", Bilingual(), "unit, e.g. {zh: 亿元, en: 100 million yuan}"),
            Spec("year", Number(1900, 2100, whole=True), "the year the figure refers to", required=True),
            Spec("source", Bilingual(), "where the figure was published", required=True),
        )
    )
    park = FieldMapping(
        (
            Spec("name", Bilingual(require_english=True), "park name in Chinese and English", required=True),
            Spec("city", city, "city id from content/cities.yaml", required=True),
            Spec("location", location, "where the park is: {lat, lon}, optional crs", required=True),
            Spec("sectors", ListOf(sector, at_least=1), "sector ids; the first is the primary sector", required=True),
            Spec("level", Choice(PARK_LEVELS), "the level of government that approved the park"),
            Spec("kind", Choice(PARK_KINDS), "what sort of park it is"),
            Spec("parent", Slug(), "slug of the park that contains this one (区中园)"),
            Spec(
                "alliance",
                FieldMapping(
                    (
                        Spec("member", Flag(), "true when the park is an alliance member", required=True),
                        Spec("batch", Number(1, 100, whole=True), "membership batch, 1 for the first"),
                        Spec("joined", Date(), "date it joined, YYYY-MM-DD"),
                    )
                ),
                "alliance membership",
            ),
            Spec("district", Bilingual(), "district or county"),
            Spec("operator", Bilingual(), "company or body that runs the park"),
            Spec("summary", Bilingual(), "one line shown in lists, popups and search"),
            Spec("established", Number(1900, 2100, whole=True), "year the park was established"),
            Spec("area_km2", Number(0, 10000), "planned area in square kilometres"),
            Spec("website", Url(), "official website"),
            Spec(
                "contact",
                FieldMapping(
                    (
                        Spec("phone", Text(), 'phone number in quotes, e.g. "0531-12345678"'),
                        Spec("email", Email(), "e-mail address"),
                        Spec("address", Bilingual(), "postal address"),
                        Spec("person", Bilingual(), "contact person or office"),
                    )
                ),
                "investment contact",
            ),
            Spec("key_enterprises", ListOf(Bilingual()), "leading companies in the park"),
            Spec("figures", ListOf(figure), "key figures, each with label, value, unit, year and source"),
            Spec("cover", MediaPath(), "cover image under content/media/, e.g. media/qilu.jpg"),
            Spec("cover_alt", Bilingual(), "what the cover image shows (required with cover)"),
            Spec("updated", Date(), "date the facts were last checked, YYYY-MM-DD"),
        )
    )
    event = FieldMapping(
        (
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
        )
    )
    page = FieldMapping(
        (
            Spec("title", Bilingual(require_english=True), "page title in Chinese and English", required=True),
            Spec("summary", Bilingual(), "one line for search engines and lists"),
            Spec("menu", Number(1, 99, whole=True), "position in the main menu; leave out to keep it off the menu"),
        )
    )
    source = FieldMapping(
        (
            Spec("publication", Bilingual(), "outlet and title, e.g. {zh: 《济南日报》…, en: …}", required=True),
            Spec("date", LooseDate(), 'when it was published; "YYYY-MM" or "YYYY" if that is all it says'),
        )
    )
    enterprise = FieldMapping(
        (
            Spec("name", Bilingual(), "company name", required=True),
            Spec("leading", Flag(), "true for a leading enterprise of the chain (链主)"),
        )
    )
    link = FieldMapping(
        (
            Spec("id", Slug(), "the link's id, unique in the chain, e.g. battery-cells", required=True),
            Spec("name", Bilingual(require_english=True), "the link's name in Chinese and English", required=True),
            Spec("description", Bilingual(), "what the link makes or does"),
            Spec("enterprises", ListOf(enterprise), "key enterprises present, each {name, leading}"),
            Spec("parks", ListOf(Slug()), "slugs of the alliance parks hosting the link; none makes it a gap"),
            Spec("sought", Bilingual(), "what the alliance is looking for in this link (招商方向)"),
        )
    )
    tier = FieldMapping(
        (
            Spec("id", Slug(), "the tier's id, e.g. upstream", required=True),
            Spec(
                "name", Bilingual(require_english=True), "the tier's name, e.g. {zh: 上游, en: Upstream}", required=True
            ),
            Spec("links", ListOf(link, at_least=1), "the links of this tier, upstream first", required=True),
        )
    )
    chain = FieldMapping(
        (
            Spec("name", Bilingual(require_english=True), "chain name in Chinese and English", required=True),
            Spec("sectors", ListOf(sector, at_least=1), "sector ids the chain belongs to", required=True),
            Spec("summary", Bilingual(), "one line shown in lists and search"),
            Spec(
                "tiers",
                ListOf(tier, at_least=1),
                "tiers in order: upstream, midstream, downstream or named",
                required=True,
            ),
            Spec(
                "sources",
                ListOf(source, at_least=1),
                "where the facts come from, each {publication, date}",
                required=True,
            ),
        )
    )
    project = FieldMapping(
        (
            Spec("name", Bilingual(require_english=True), "project name in Chinese and English", required=True),
            Spec("investor", Bilingual(), "the company or body investing"),
            Spec("park", Slug(), "slug of the alliance park it is in (park or city required)"),
            Spec("city", city, "city id, for a project not in an alliance park (park or city required)"),
            Spec("district", Bilingual(), "district or county, for a project located by city"),
            Spec("sector", sector, "sector id from content/sectors.yaml"),
            Spec("chain", Slug(), "slug of the chain it belongs to (content/chains/)"),
            Spec("link", Slug(), "id of the link in that chain"),
            Spec("investment", Amount(), "total investment in 亿元 as a number, e.g. 58; leave out if not stated"),
            Spec("stage", Choice(PROJECT_STAGES), "how far it has got", required=True),
            Spec(
                "dates",
                FieldMapping(
                    tuple(Spec(name, LooseDate(), f"when it reached {stage}") for name, stage in STAGE_DATES.items())
                ),
                "dates of the stages known: signed, construction, production",
            ),
            Spec("summary", Bilingual(), "one line shown in the projects list"),
            Spec("source", source, "where the facts come from: {publication, date}", required=True),
        )
    )
    return Schemas(park, event, page, chain, project)


# The site's own files.

TILE_PROVIDERS = ("tianditu", "gaode", "openstreetmap")
TIANDITU_KEY_VARIABLE = "SITEGEN_TIANDITU_KEY"
BASE_URL_VARIABLE = "SITEGEN_BASE_URL"
SITE_LANGUAGES = ("zh", "en", "zh-hant")
LOCAL_HOSTS = ("127.0.0.1", "localhost")
"""The only hosts a deploy may reach without https: a test server on this machine."""


class _Colour(Text):
    describe = 'colour as "#rrggbb"'

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


TIANDITU_KEY = re.compile(r"[0-9A-Za-z]{8,64}")
"""What the Tianditu console hands out (32 hex digits today); the key ends up inside tile URLs."""


@dataclass(frozen=True)
class TiandituKey(Text):
    """A key from site.yaml is shown in its message; one from the environment is a CI secret and is not."""

    shown: bool = True
    describe = "Tianditu browser key: letters and digits"

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

    def check(self, value: Any, where: Where) -> Any:
        provider = Choice(TILE_PROVIDERS)
        if isinstance(value, Mapping):
            return FieldMapping(
                (
                    Spec("zh", provider, "tiles on Chinese pages", required=True),
                    Spec("en", provider, "tiles on English pages", required=True),
                )
            ).check(value, where)
        choice = provider.check(value, where)
        return INVALID if choice is INVALID else {"zh": choice, "en": choice}


class _ApprovalNumbers(FieldType):
    describe = "map approval number (审图号) per provider"

    def check(self, value: Any, where: Where) -> Any:
        return FieldMapping(
            tuple(Spec(name, Text(), f"审图号 shown with {name} tiles") for name in TILE_PROVIDERS)
        ).check(value, where)


class _Languages(FieldType):
    describe = "a list: zh, then any of en, zh-hant"

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
            "backend", Choice(GIT_BACKENDS), "the git host the editor saves to: github | gitlab | gitea", required=True
        ),
        Spec("repo", Text(), "the site's repository there, owner/name", required=True),
        Spec("branch", Text(), "the branch each save is committed to (default main)"),
        Spec("api_root", Url(), "API address of a self-hosted GitLab or Gitea, e.g. https://git.example.cn/api/v1"),
        Spec("base_url", Url(), "address of the sign-in (OAuth) service the git host needs for the editor"),
    )
)
"""Hosted editing: the build publishes the browser editor at /admin/, saving to this git host."""


_LOCATION = FieldMapping(
    (
        Spec("lat", Number(-90, 90), "latitude, WGS-84", required=True),
        Spec("lon", Number(-180, 180), "longitude, WGS-84", required=True),
    )
)

SITE_SCHEMA = FieldMapping(
    (
        Spec("title", Bilingual(require_english=True), "the site's name", required=True),
        Spec("tagline", Bilingual(), "one line under the title on the home page"),
        Spec("base_url", Url(), "absolute address the site is published at; may include a sub-path", required=True),
        Spec(
            "footer",
            FieldMapping(
                (
                    Spec("icp", Text(), "ICP filing number, e.g. 鲁ICP备12345678号-1"),
                    Spec("public_security", Text(), "public-security filing number, e.g. 鲁公网安备37010202000000号"),
                    Spec("copyright", Bilingual(), "copyright holder"),
                )
            ),
            "footer facts",
        ),
        Spec(
            "contact",
            FieldMapping(
                (
                    Spec("office", Bilingual(), "who answers, e.g. 青企峰会办公室"),
                    Spec("phone", Text(), 'hotline in quotes, e.g. "0531-12345678"'),
                    Spec("email", Email(), "e-mail address for investment enquiries"),
                    Spec("address", Bilingual(), "postal address of the office"),
                    Spec("hours", Bilingual(), "when the hotline is answered, e.g. 工作日 9:00–17:00"),
                    Spec("wechat", Text(), "WeChat official account name (公众号)"),
                    Spec(
                        "wechat_qr",
                        Text(),
                        "QR code image of the WeChat account under content/media/, e.g. media/wechat-qr.png",
                    ),
                    Spec(
                        "enquiry_endpoint",
                        Url(),
                        "address the enquiry form posts to (name, contact, message); "
                        "without it the form opens an e-mail",
                    ),
                )
            ),
            "the alliance office's contact, shown on the contact page, in the footer and on parks without their own",
        ),
        Spec(
            "highlights",
            ListOf(
                FieldMapping(
                    (
                        Spec("value", Text(), 'the number as shown, in quotes, e.g. "37"', required=True),
                        Spec("label", Bilingual(), "what the number counts", required=True),
                        Spec("note", Bilingual(), "one line that qualifies it"),
                        Spec("source", Bilingual(), "where the number comes from", required=True),
                        Spec("source_url", Url(), "address of the source, if it is online"),
                    )
                )
            ),
            "key numbers on the home page, each with what it counts and its source",
        ),
        Spec("allow_raw_html", Flag(), "keep raw HTML in bodies unsanitised (default false)"),
        Spec("brochures", Flag(), "make a PDF brochure of every park and of the alliance (default true)"),
        Spec("languages", _Languages(), "the site's languages: zh first, then any of en, zh-hant (default [zh, en])"),
        Spec("traditional_chinese", Flag(), "deprecated: add zh-hant to languages instead"),
        Spec("theme", Text(), "the folder under themes/ whose files override the default theme (default: default)"),
        Spec(
            "map",
            FieldMapping(
                (
                    Spec("tiles", _TilesPerLanguage(), "base map: tianditu | gaode | openstreetmap"),
                    Spec("tianditu_key", TiandituKey(), f"Tianditu browser key (or set {TIANDITU_KEY_VARIABLE})"),
                    Spec("approval_numbers", _ApprovalNumbers(), "审图号 per provider"),
                )
            ),
            "industry map settings",
        ),
        Spec(
            "editor",
            HOSTED_EDITOR,
            "publish the browser editor at /admin/, saving to a git host (see docs/publishing.md); "
            "leave out to publish none",
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
                        required=True,
                    ),
                    Spec("bucket", _BucketName(), "the bucket's name as the console shows it", required=True),
                    Spec(
                        "region",
                        Text(),
                        "the bucket's region id, e.g. cn-qingdao (OSS) or ap-beijing (COS)",
                        required=True,
                    ),
                    Spec("prefix", _BucketFolder(), "publish into this folder of the bucket instead of its root"),
                )
            ),
            "where `sitegen deploy` uploads build/; the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
    )
)

SECTOR_SCHEMA = FieldMapping(
    (
        Spec("zh", Text(), "Chinese name", required=True),
        Spec("en", Text(), "English name", required=True),
        Spec("colour", _Colour(), "marker colour", required=True),
        Spec(
            "icon", Choice(SECTOR_ICONS), "icon from the vendored Tabler Icons, e.g. cpu (default: building-factory-2)"
        ),
    )
)

CITY_SCHEMA = FieldMapping(
    (
        Spec("zh", Text(), "Chinese name", required=True),
        Spec("en", Text(), "English name", required=True),
        Spec("centre", _LOCATION, "centre of the city, WGS-84", required=True),
    )
)
