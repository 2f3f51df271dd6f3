"""The site's settings and vocabularies: `site.yaml`, `sectors.yaml`, `cities.yaml`, and the
theme's UI strings, read into typed values."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from sitegen import geo
from sitegen.content.fields import (
    INVALID,
    Bilingual,
    FieldMapping,
    PartialDate,
    Url,
    Where,
)
from sitegen.content.files import is_inside
from sitegen.content.frontmatter import Mapping, parse_yaml, read_text
from sitegen.content.i18n import TRADITIONAL, Catalogue, Localized
from sitegen.content.schema import (
    BASE_URL_VARIABLE,
    CITY_SCHEMA,
    DEFAULT_SECTOR_ICON,
    LANDING,
    SECTOR_SCHEMA,
    SITE_SCHEMA,
    TIANDITU_KEY_VARIABLE,
    TiandituKey,
)
from sitegen.content.theme import Theme
from sitegen.errors import Problems, zh_en

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
"""Beijing time, in which the site's dates and days are reckoned."""
SOURCE_DATE_VARIABLE = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class Environment:
    """What a build takes from the environment, read once: the settings and the up-to-date
    check both use this value, so they cannot disagree."""

    base_url: str = ""
    tianditu_key: str = ""
    source_date_epoch: str = ""

    @classmethod
    def read(cls) -> Environment:
        return cls(
            base_url=os.environ.get(BASE_URL_VARIABLE, "").strip(),
            tianditu_key=os.environ.get(TIANDITU_KEY_VARIABLE, "").strip(),
            source_date_epoch=os.environ.get(SOURCE_DATE_VARIABLE, "").strip(),
        )

    def today(self, problems: Problems) -> dt.date:
        """Today in Beijing, or the day of SOURCE_DATE_EPOCH for a reproducible build."""
        if self.source_date_epoch:
            try:
                return dt.datetime.fromtimestamp(int(self.source_date_epoch), BEIJING).date()
            except (ValueError, OverflowError, OSError):
                problems.error(
                    f"${SOURCE_DATE_VARIABLE}",
                    None,
                    zh_en(
                        f"环境变量 {SOURCE_DATE_VARIABLE} 的值 '{self.source_date_epoch}' 不是时间戳",
                        f"{SOURCE_DATE_VARIABLE}='{self.source_date_epoch}' is not a Unix timestamp",
                    ),
                    zh_en(
                        "写成 1970 年以来的秒数，例如 1767225600，或者不设置它",
                        "set it to whole seconds since 1970, e.g. 1767225600, or unset it",
                    ),
                )
        return dt.datetime.now(BEIJING).date()

    def fingerprint(self, today: dt.date) -> dict[str, str]:
        """Everything here that can change the output, for the up-to-date check."""
        return {"base_url": self.base_url, "tianditu_key": self.tianditu_key, "today": today.isoformat()}


@dataclass(frozen=True, slots=True)
class Sector:
    id: str
    name: Localized
    colour: str
    icon: str = DEFAULT_SECTOR_ICON


@dataclass(frozen=True, slots=True)
class SiteContact:
    """How investors reach the alliance office; every part optional, shown only when set."""

    office: Localized | None = None
    phone: str = ""
    email: str = ""
    address: Localized | None = None
    hours: Localized | None = None
    wechat: str = ""
    wechat_qr: str = ""
    enquiry_endpoint: str = ""

    @property
    def reachable(self) -> bool:
        """True when a reader can get in touch without the enquiry form."""
        return bool(self.phone or self.email or self.address or self.wechat)


@dataclass(frozen=True, slots=True)
class Highlight:
    """A key number on the home page: what it counts and where it comes from."""

    value: str
    label: Localized
    note: Localized | None
    source: Localized
    source_url: str


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact was published; the date may be known only to the year or month."""

    publication: Localized
    date: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Cost:
    """One cost of doing business (要素成本): electricity of one voltage class and period, the
    average wage of one role, or a single figure such as the minimum wage."""

    item: str
    value: float
    unit: str
    year: int
    source: Localized
    voltage: str | None = None
    period: str | None = None
    role: Localized | None = None

    @property
    def key(self) -> tuple[str, str | None, str | None, str | None]:
        """What a park's figure replaces of its city's: the same item, class, period and role."""
        return (self.item, self.voltage, self.period, self.role.zh if self.role else None)


@dataclass(frozen=True, slots=True)
class LandingStep:
    title: Localized
    who: Localized | None = None
    duration: Localized | None = None


@dataclass(frozen=True, slots=True)
class LandingProcess:
    """The steps from first contact to operation (落地流程), with where they are described."""

    steps: tuple[LandingStep, ...]
    source: Citation


@dataclass(frozen=True, slots=True)
class City:
    id: str
    name: Localized
    lat: float
    lon: float
    costs: tuple[Cost, ...] = ()
    line: int = field(default=0, compare=False, repr=False)
    """Where the city starts in content/cities.yaml, for problems with its costs."""


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Base tiles per language; the Tianditu key may come from the environment so CI can inject it."""

    tiles: dict[str, str]
    tianditu_key: str
    approval_numbers: dict[str, str]


@dataclass(frozen=True, slots=True)
class HostedEditor:
    """The git host the published editor at /admin/ saves to (site.yaml's `editor`)."""

    backend: str
    repo: str
    branch: str = "main"
    api_root: str | None = None
    base_url: str | None = None

    def decap_backend(self) -> dict[str, str]:
        """The settings as Decap CMS reads them under `backend`."""
        settings = {"name": self.backend, "repo": self.repo, "branch": self.branch}
        return settings | {
            key: value for key, value in (("api_root", self.api_root), ("base_url", self.base_url)) if value
        }


@dataclass(frozen=True, slots=True)
class DeploySettings:
    """Where `sitegen deploy` uploads the site. The keys are never here: they come from the
    environment, so they cannot end up in the repository."""

    endpoint: str
    bucket: str
    region: str
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: Localized
    tagline: Localized | None
    base_url: str
    icp: str
    public_security: str
    copyright: Localized | None
    contact: SiteContact
    highlights: tuple[Highlight, ...]
    allow_raw_html: bool
    brochures: bool
    map: MapSettings
    languages: tuple[str, ...]
    theme: str
    sectors: dict[str, Sector]
    cities: dict[str, City]
    deploy: DeploySettings | None = None
    editor: HostedEditor | None = None
    """Set only when the site publishes the browser editor (hosted editing); off by default."""
    landing: LandingProcess | None = None
    """The alliance-wide landing process of content/landing.yaml, if the site has one."""

    @property
    def local_address(self) -> bool:
        """True when base_url reaches only this machine or its network: its absolute links
        and QR codes open nothing once the site or a brochure is passed on."""
        return is_local_address(self.base_url)


PREVIEW_BASE_URL = "http://localhost:8000/"
"""What absolute links point to while site.yaml sets no base_url: the preview's address."""


def is_local_address(url: str) -> bool:
    """A host nobody else can reach: none, localhost, a loopback, private or link-local address,
    a `.local` name, or a name without a dot (a machine on the office network)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return not host or "." not in host or host.endswith((".localhost", ".local", ".internal", ".lan"))
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def _load_yaml_file(root: Path, relative: str, problems: Problems) -> Mapping | None:
    file = root / relative
    if file.exists() and not file.is_file():
        problems.error(
            relative,
            None,
            zh_en("这不是普通文件（而是文件夹、管道或设备）", "this is not an ordinary file (a folder or pipe)"),
            zh_en("删除它，放回这个设置文件", "delete it and put the settings file back"),
        )
        return None
    if not file.is_file():
        problems.error(
            relative,
            None,
            zh_en("找不到这个文件", "this file is missing"),
            zh_en("从 starter 内容里复制一份，或用 sitegen new 新建站点", "copy it from the starter content"),
        )
        return None
    if not is_inside(file, root):
        problems.error(
            relative,
            None,
            zh_en("这是一个指向站点文件夹之外的链接", "this is a link to a file outside the site folder"),
            zh_en("把文件本身复制到这里，替换这个链接", "copy the file itself here in place of the link"),
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
            zh_en("文件内容应当是“键: 值”的列表", "the file should be a list of key: value pairs"),
            zh_en("参照 docs/content-format.md 的例子", "follow the example in docs/content-format.md"),
        )
        return None
    return data


def _load_vocabulary(root: Path, relative: str, schema: FieldMapping, problems: Problems) -> dict[str, dict]:
    """Entries by id; each clean entry also keeps the `line` it starts on."""
    data = _load_yaml_file(root, relative, problems)
    entries: dict[str, dict] = {}
    if data is None:
        return entries
    for key, value in data.items():
        line = data.line_of(key)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
            problems.error(
                relative,
                line,
                zh_en(
                    f"编号 '{key}' 只能用小写英文字母、数字和连字符",
                    f"the id '{key}' may use only a-z, 0-9 and hyphens",
                ),
                zh_en("例如 new-energy-vehicles", "e.g. new-energy-vehicles"),
            )
            continue
        clean = schema.check(value, Where(relative, line, key, problems))
        if clean is not INVALID:
            entries[key] = {**clean, "line": line}
    return entries


def load_config(root: Path, problems: Problems, environment: Environment | None = None) -> SiteConfig | None:
    """Read the three site files; every problem goes to `problems`, None if any is unusable."""
    site_data = _load_yaml_file(root, "content/site.yaml", problems)
    site = INVALID
    if site_data is not None:
        site = SITE_SCHEMA.check(site_data, Where("content/site.yaml", 1, "", problems))
    sectors = _load_vocabulary(root, "content/sectors.yaml", SECTOR_SCHEMA, problems)
    cities = _load_vocabulary(root, "content/cities.yaml", CITY_SCHEMA, problems)
    landing = _load_landing(root, problems)
    for city_id, city in cities.items():
        centre = city["centre"]
        if not geo.SHANDONG.contains(centre["lat"], centre["lon"]):
            problems.warning(
                "content/cities.yaml",
                city["line"],
                zh_en(f"城市 '{city_id}' 的中心不在山东省内", f"the centre of '{city_id}' lies outside Shandong"),
                zh_en("检查 lat 和 lon 是否写反", "check that lat and lon are not swapped"),
            )
    if site is INVALID:
        return None
    base_url_line = site_data.line_of("base_url") if site_data is not None and "base_url" in site else None
    config = _site_config(site, sectors, cities, environment or Environment.read(), problems, base_url_line)
    return replace(config, landing=landing) if landing is not None else config


LANDING_FILE = "content/landing.yaml"


def _load_landing(root: Path, problems: Problems) -> LandingProcess | None:
    """content/landing.yaml, which a site may leave out: then no process is shown."""
    if not (root / LANDING_FILE).exists():
        return None
    data = _load_yaml_file(root, LANDING_FILE, problems)
    if data is None:
        return None
    fields = LANDING.check(data, Where(LANDING_FILE, 1, "", problems))
    return None if fields is INVALID else landing_process(fields)


def landing_process(fields: dict) -> LandingProcess:
    return LandingProcess(
        steps=tuple(LandingStep(**step) for step in fields["steps"]),
        source=citation(fields["source"]),
    )


def citation(fields: dict) -> Citation:
    return Citation(publication=fields["publication"], date=fields.get("date"))


def costs(items: list[dict]) -> tuple[Cost, ...]:
    return tuple(Cost(**item) for item in items)


def _site_config(
    site: dict, sectors: dict, cities: dict, environment: Environment, problems: Problems, base_url_line: int | None
) -> SiteConfig:
    footer = site.get("footer", {})
    map_data = site.get("map", {})
    key = map_data.get("tianditu_key", "")
    if environment.tianditu_key:
        variable = Where(f"${TIANDITU_KEY_VARIABLE}", None, TIANDITU_KEY_VARIABLE, problems)
        if TiandituKey(shown=False).check(environment.tianditu_key, variable) is not INVALID:
            key = environment.tianditu_key
    default_tiles = "tianditu" if key else "gaode"
    tiles = map_data.get("tiles", {"zh": default_tiles, "en": default_tiles})
    if "tianditu" in tiles.values() and not key:
        problems.error(
            "content/site.yaml",
            None,
            zh_en("使用天地图底图需要浏览器端 key", "Tianditu tiles need a browser key"),
            zh_en(
                f"在 map.tianditu_key 填写 key，或设置环境变量 {TIANDITU_KEY_VARIABLE}，或改用 tiles: gaode",
                f"set map.tianditu_key, or the environment variable {TIANDITU_KEY_VARIABLE}, or use tiles: gaode",
            ),
        )
    approval_numbers = map_data.get("approval_numbers", {})
    for provider in sorted(set(tiles.values()) - set(approval_numbers)):
        problems.warning(
            "content/site.yaml",
            None,
            zh_en(
                f"没有填写 {provider} 底图的审图号",
                f"no map approval number (审图号) is set for {provider} tiles",
            ),
            zh_en(
                f"向公众展示的地图须标注审图号：在 map.approval_numbers.{provider} 填写地图服务商公布的审图号",
                f"maps shown to the public in China must carry it: set map.approval_numbers.{provider} "
                "to the number the provider publishes",
            ),
        )
    if not footer.get("icp"):
        problems.warning(
            "content/site.yaml",
            None,
            zh_en("没有填写 ICP 备案号", "no ICP filing number is set"),
            zh_en(
                "在中国大陆托管的网站必须在首页底部显示备案号：在 footer.icp 填写，例如 鲁ICP备12345678号-1",
                "a site hosted in mainland China must show it in the footer: set footer.icp, e.g. 鲁ICP备12345678号-1",
            ),
        )
    contact = SiteContact(**site.get("contact", {}))
    if not contact.reachable:
        problems.warning(
            "content/site.yaml",
            None,
            zh_en("没有填写联盟办公室的联系方式", "no contact is set for the alliance office"),
            zh_en(
                "投资者需要联系渠道：在 contact 下填写 phone、email、address 或 wechat（公开的号码和地址）",
                "investors need a way to get in touch: set contact.phone, email, address or wechat (public ones)",
            ),
        )
    base_url = _base_url(site.get("base_url", ""), environment.base_url, problems)
    if is_local_address(base_url):
        _warn_local_address(base_url, base_url_line, environment, problems)
    return SiteConfig(
        title=site["title"],
        tagline=site.get("tagline"),
        base_url=base_url,
        icp=footer.get("icp", ""),
        public_security=footer.get("public_security", ""),
        copyright=footer.get("copyright"),
        contact=contact,
        highlights=tuple(
            Highlight(
                value=item["value"],
                label=item["label"],
                note=item.get("note"),
                source=item["source"],
                source_url=item.get("source_url", ""),
            )
            for item in site.get("highlights", ())
        ),
        allow_raw_html=site.get("allow_raw_html", False),
        brochures=site.get("brochures", True),
        map=MapSettings(tiles=tiles, tianditu_key=key, approval_numbers=approval_numbers),
        languages=_languages(site, problems),
        theme=site.get("theme", "default"),
        sectors={
            key: Sector(
                key,
                Localized(value["zh"], value["en"]),
                value["colour"].lower(),
                value.get("icon", DEFAULT_SECTOR_ICON),
            )
            for key, value in sectors.items()
        },
        cities={
            key: City(
                key,
                Localized(value["zh"], value["en"]),
                value["centre"]["lat"],
                value["centre"]["lon"],
                costs(value.get("costs", ())),
                value["line"],
            )
            for key, value in cities.items()
        },
        deploy=DeploySettings(**site["deploy"]) if "deploy" in site else None,
        editor=HostedEditor(**site["editor"]) if "editor" in site else None,
    )


def _languages(site: dict, problems: Problems) -> tuple[str, ...]:
    """`languages`, or the deprecated `traditional_chinese: true` read as adding zh-hant."""
    languages = site.get("languages", ("zh", "en"))
    if "traditional_chinese" in site:
        problems.warning(
            "content/site.yaml",
            None,
            zh_en("traditional_chinese 已不再使用", "traditional_chinese is deprecated"),
            zh_en(
                "删去这一行，改写 languages: [zh, en, zh-hant]" if site["traditional_chinese"] else "删去这一行",
                "delete it and write languages: [zh, en, zh-hant]" if site["traditional_chinese"] else "delete it",
            ),
        )
        if site["traditional_chinese"] and TRADITIONAL not in languages:
            languages = (*languages, TRADITIONAL)
    return tuple(languages)


def _report_links_outside(theme: Theme, problems: Problems) -> None:
    for link in theme.links_outside():
        problems.error(
            link.relative_to(theme.root).as_posix(),
            None,
            zh_en(
                "主题的这个文件或文件夹链接到了网站文件夹以外",
                "this file or folder of the theme links to a place outside the site folder",
            ),
            zh_en(
                "主题只能用网站文件夹里的文件：删掉这个链接，把要用的文件本身复制到这里",
                "a theme uses only files inside the site folder: delete the link and copy the file itself here",
            ),
        )


def _base_url(written: str, override: str, problems: Problems) -> str:
    """site.yaml's base_url, unless CI publishes elsewhere (e.g. a GitHub Pages sub-path); the
    preview's address when neither is set."""
    if override and Url().check(override, Where(f"${BASE_URL_VARIABLE}", None, BASE_URL_VARIABLE, problems)) is INVALID:
        override = ""
    chosen = override or written or PREVIEW_BASE_URL
    return chosen if chosen.endswith("/") else chosen + "/"


def _warn_local_address(base_url: str, line: int | None, environment: Environment, problems: Problems) -> None:
    """The preview works from any address; what is shared (the sitemap, canonical links, feeds,
    QR codes, brochures) does not, so say so where the address is set. `--strict` refuses it."""
    if line is None and not environment.base_url:
        what_zh, what_en = (
            "没有填写 base_url（网站公开发布的地址）",
            "base_url (the address the site is published at) is not set",
        )
    else:
        what_zh, what_en = (
            f"base_url '{base_url}' 是本机或内网地址",
            f"base_url '{base_url}' is a local or private address",
        )
    problems.warning(
        f"${BASE_URL_VARIABLE}" if environment.base_url else "content/site.yaml",
        None if environment.base_url else line,
        zh_en(
            f"{what_zh}：本机预览正常，但发出去以后网站地图、canonical 链接、订阅和二维码都打不开；"
            "PDF 手册和打印的园区页不印二维码和网址",
            f"{what_en}: the preview works, but once shared the sitemap, canonical links, feeds and QR codes"
            " open nothing; PDF brochures and printed park pages leave out the QR code and web address",
        ),
        zh_en(
            "在 content/site.yaml 写 base_url: 网站的公开地址，例如 https://parks.example.cn/；"
            f"或在发布时设置环境变量 {BASE_URL_VARIABLE}",
            "write base_url: the site's public address in content/site.yaml, e.g. https://parks.example.cn/;"
            f" or set the environment variable {BASE_URL_VARIABLE} where the site is built for publishing",
        ),
    )


def load_catalogue(theme: Theme, problems: Problems) -> Catalogue:
    """The theme's UI strings, the site's own over the default ones; each in both languages.
    The theme's links that lead outside the site folder are reported first: nothing is read
    through them, and a site that has one is not built."""
    _report_links_outside(theme, problems)
    strings: dict[str, Localized] = {}
    both = Bilingual(require_english=True)
    for file in theme.string_files():
        shown = theme.shown(file)
        data = _load_yaml_file(Path(file.as_posix()[: -len(shown)] or "."), shown, problems)
        if data is None:
            continue
        for key, value in data.items():
            text = both.check(value, Where(shown, data.line_of(key), key, problems))
            if text is not INVALID:
                # Kept as written, spaces included: the English list separator is ", ".
                strings[key] = Localized(zh=value["zh"], en=value["en"])
    return Catalogue(strings)
