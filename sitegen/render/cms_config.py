"""The browser editor's configuration (Decap CMS), generated from the schema and the site's own ids,
so a field added to `sitegen.content.schema` appears in the editor without anyone writing it twice.

Labels are Chinese first with the English field name beside them; the hints are the schema's
descriptions; choice lists (sectors, cities, parks, chains, links) come from the loaded site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.content.fields import (
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
    LooseDate,
    MediaPath,
    Number,
    Phone,
    Spec,
    Url,
)
from sitegen.content.model import Site
from sitegen.content.schema import (
    CITY_SCHEMA,
    SECTOR_SCHEMA,
    SITE_SCHEMA,
    TRANSLATABLE_FIELDS,
    Schemas,
    Slug,
    build_schemas,
)
from sitegen.content.sources import COLLECTIONS, SLUG
from sitegen.errors import zh_en

PROXY_URL = "/api/v1"
"""Where `sitegen serve` answers the editor (Decap's proxy protocol)."""
FILE_NAME_FIELD = "file_name"
"""A form field of new entries only: the file name (slug). It is never written into the file."""
MEDIA_FOLDER = "content/media"
SITE_SETTINGS = ("title", "tagline", "contact", "highlights", "footer")
"""The parts of site.yaml an office changes; the rest (address, map, deploy) stays in the file."""

LABELS = {
    "name": "名称",
    "city": "城市",
    "location": "位置",
    "lat": "纬度",
    "lon": "经度",
    "crs": "坐标系",
    "sectors": "产业",
    "level": "级别",
    "kind": "类型",
    "parent": "上级园区",
    "alliance": "联盟成员",
    "member": "是联盟成员",
    "batch": "批次",
    "joined": "加入日期",
    "district": "区县",
    "operator": "运营方",
    "summary": "一句话简介",
    "established": "设立年份",
    "area_km2": "规划面积（平方公里）",
    "website": "网站",
    "contact": "联系方式",
    "phone": "电话",
    "email": "电子邮箱",
    "address": "地址",
    "person": "联系人",
    "key_enterprises": "重点企业",
    "figures": "数据",
    "label": "指标",
    "value": "数值",
    "unit": "单位",
    "year": "年份",
    "source": "来源",
    "cover": "封面图片",
    "cover_alt": "封面图片说明",
    "updated": "核对日期",
    "title": "标题",
    "date": "日期",
    "end": "结束日期",
    "time": "开始时间",
    "end_time": "结束时间",
    "venue": "地点",
    "parks": "园区",
    "menu": "菜单位置",
    "publication": "出处",
    "leading": "链主企业",
    "id": "编号",
    "description": "说明",
    "enterprises": "企业",
    "sought": "招商方向",
    "links": "环节",
    "tiers": "层级",
    "sources": "资料来源",
    "investor": "投资方",
    "park": "园区",
    "sector": "产业",
    "chain": "产业链",
    "link": "环节",
    "investment": "投资额（亿元）",
    "stage": "进展",
    "dates": "日期",
    "signed": "签约",
    "construction": "开工",
    "production": "投产",
    "tagline": "标语",
    "footer": "页脚",
    "icp": "ICP 备案号",
    "public_security": "公安备案号",
    "copyright": "版权所有",
    "office": "办公室",
    "hours": "接听时间",
    "wechat": "微信公众号",
    "wechat_qr": "公众号二维码",
    "enquiry_endpoint": "咨询表单地址",
    "highlights": "首页数字",
    "note": "备注",
    "source_url": "来源网址",
    "zh": "中文",
    "en": "英文",
    "colour": "颜色",
    "icon": "图标",
    "centre": "中心点",
    "costs": "要素成本",
    "item": "项目",
    "voltage": "电压等级",
    "period": "时段",
    "role": "岗位",
    "landing": "落地流程",
    "steps": "步骤",
    "who": "负责方",
    "duration": "时限",
    "area": "面积",
    "price": "价格",
    "status": "状态",
    "available_from": "可交付日期",
    "zoning": "用途",
    "building": "建筑参数",
    "floor_height": "层高（米）",
    "floor_load": "承重（吨/㎡）",
    "power": "电力容量（千伏安）",
    "crane": "行车（吨）",
    "floors": "层数",
    "standard_land": "标准地指标",
    "investment_intensity": "投资强度（万元/亩）",
    "tax_per_mu": "亩均税收（万元/亩）",
    "plot_ratio": "容积率",
    "photos": "照片",
    "file": "文件",
    "alt": "图片说明",
    "verified": "确认日期",
    "issuer": "发文单位",
    "number": "文号",
    "scope": "适用范围",
    "cities": "城市",
    "eligibility": "适用对象",
    "benefits": "支持内容",
    "what": "内容",
    "amount": "金额",
    "rate": "比例（%）",
    "cap": "最高金额",
    "conditions": "条件",
    "apply": "申请方式",
    "from": "开始日期",
    "until": "截止日期",
}
"""The Chinese label of each field name the schema uses; a test keeps it complete."""

COLLECTION_LABELS = {
    "parks": ("园区", "Parks", "园区 Park"),
    "events": ("活动", "Events", "活动 Event"),
    "pages": ("页面", "Pages", "页面 Page"),
    "chains": ("产业链", "Industry chains", "产业链 Chain"),
    "projects": ("项目", "Projects", "项目 Project"),
    "sites": ("载体", "Sites", "载体 Site"),
    "policies": ("政策", "Policies", "政策 Policy"),
}
"""Chinese name, English name and singular of each collection; others show their folder name."""

WITHOUT_TEXT = ("projects",)
"""Collections whose entries have no text below the front matter (a project is shown only by
its fields), so the form offers none: whatever was written there would show nowhere."""


def _rule_message(chinese: str, english: str) -> str:
    """Decap shows it after "“电话 phone”不满足模式", so it opens with a colon."""
    return "：" + zh_en(chinese, english)


SLUG_PATTERN = [
    f"^{SLUG.pattern}$",
    _rule_message("只能用小写英文字母、数字和单个连字符，例如 qilu-software-park", "only a-z, 0-9 and single hyphens"),
]
"""Decap tests a pattern anywhere in the value, so each is anchored at both ends."""
PATTERNS: dict[type[FieldType], list[str]] = {
    Slug: SLUG_PATTERN,
    Phone: [
        r"^[0-9+(（][0-9 +\-()（）/,，、;；转分机ext.]*$",
        _rule_message(
            "电话号码只写数字、空格、- + ( ) 和“转”分机号",
            "a phone number: digits, spaces, - + ( ) and 转 for an extension",
        ),
    ],
    ClockTime: [r"^\d{2}:\d{2}$", _rule_message("写成 09:30", "write it as 09:30")],
    LooseDate: [
        r"^\d{4}(-\d{2}(-\d{2})?)?$",
        _rule_message("写成 2024-05-18、2024-05 或 2024", "write it as 2024-05-18, 2024-05 or 2024"),
    ],
    Url: [r"^https?://\S+$", _rule_message("以 https:// 或 http:// 开头", "start with https:// or http://")],
    Email: [r"^[^@\s]+@[^@\s]+\.[^@\s]+$", _rule_message("写成 name@example.cn", "write it as name@example.cn")],
}
"""What a typed text field must look like, checked by the form before a save. The site's checks
(sitegen.content.fields) have the last word; phones and ids are held here to the shapes the
content contract gives them, which those checks take on trust."""

SLUG_TARGETS = {"parent": "parks", "park": "parks", "parks": "parks", "chain": "chains", "link": "links"}
"""Which list a slug field chooses from, by field name; other slugs (a link's own id) are typed."""


@dataclass(frozen=True)
class Choices:
    """The ids an editor picks from, each with the name shown beside it."""

    sectors: tuple[tuple[str, str], ...] = ()
    cities: tuple[tuple[str, str], ...] = ()
    slugs: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """By target: "parks", "chains", "links", and every other collection."""

    def options(self, field_name: str, field_type: FieldType) -> list[dict[str, str]] | None:
        if isinstance(field_type, IdOf):
            pairs = self.sectors if field_type.vocabulary == "sectors.yaml" else self.cities
        elif isinstance(field_type, Slug) and field_name in SLUG_TARGETS:
            pairs = self.slugs.get(SLUG_TARGETS[field_name], ())
        else:
            return None
        return [{"label": f"{shown} ({value})", "value": value} for value, shown in pairs]

    @classmethod
    def of_site(cls, site: Site) -> Choices:
        """The ids of a loaded site, each with its Chinese and English name."""
        config = site.config
        return cls(
            sectors=tuple((key, f"{sector.name.zh} {sector.name.en}") for key, sector in config.sectors.items()),
            cities=tuple((key, f"{city.name.zh} {city.name.en}") for key, city in config.cities.items()),
            slugs={
                "parks": tuple((park.slug, f"{park.name.zh} {park.name.en}") for park in site.parks),
                "chains": tuple((chain.slug, f"{chain.name.zh} {chain.name.en}") for chain in site.chains),
                "links": tuple(
                    (link.id, f"{chain.name.zh}：{link.name.zh} {link.name.en}")
                    for chain in site.chains
                    for link in chain.links
                ),
            },
        )


def cms_config(languages: Sequence[str], choices: Choices, backend: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole configuration; `backend` names a git host for hosted editing, else the preview answers."""
    schemas = build_schemas(lambda: [key for key, _ in choices.sectors], lambda: [key for key, _ in choices.cities])
    return {
        "backend": backend or {"name": "proxy", "proxy_url": PROXY_URL, "branch": "main"},
        "locale": "zh_Hans",
        "load_config_file": False,
        "publish_mode": "simple",
        "media_folder": MEDIA_FOLDER,
        "public_folder": "media",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "i18n": {"structure": "multiple_files", "locales": list(languages), "default_locale": "zh"},
        "collections": [
            *(
                _entry_collection(collection, schema, choices, len(languages) > 1, hosted=backend is not None)
                for collection, schema in _collection_schemas(schemas)
            ),
            _settings_collection(choices),
        ],
    }


def _collection_schemas(schemas: Schemas) -> Iterable[tuple[str, FieldMapping]]:
    """Every collection the site reads, with its schema: a new one appears here by itself."""
    for collection in COLLECTIONS:
        yield collection, schemas.for_collection(collection)


def _entry_collection(
    collection: str, schema: FieldMapping, choices: Choices, bilingual: bool, hosted: bool
) -> dict[str, Any]:
    zh, en, singular = COLLECTION_LABELS.get(collection, (collection, collection, collection))
    translated = bilingual and bool(TRANSLATABLE_FIELDS.get(collection))
    identifier = next(
        (f"{spec.name}.zh" for spec in schema.fields if spec.required and isinstance(spec.type, Bilingual)),
        FILE_NAME_FIELD,
    )
    fields = [_file_name_field(hosted), *(widget(spec, choices) for spec in schema.fields)]
    if collection not in WITHOUT_TEXT:
        fields.append(_body_field(translated))
    described: dict[str, Any] = {
        "name": collection,
        "label": f"{zh} {en}",
        "label_singular": singular,
        "folder": f"content/{collection}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "delete": False,
        "identifier_field": identifier,
        "slug": "{{fields." + FILE_NAME_FIELD + "}}",
        "summary": _summary(identifier),
        "fields": fields,
    }
    if translated:
        described["i18n"] = True
    return described


def _summary(identifier: str) -> str:
    """How the entry list shows an entry: both names when it has them."""
    if identifier.endswith(".zh"):
        return "{{" + identifier + "}} · {{" + identifier.removesuffix(".zh") + ".en}}"
    return "{{" + identifier + "}}"


def _file_name_field(hosted: bool) -> dict[str, Any]:
    """The new entry's file name; without `sitegen serve` nothing proposes one, so it is required."""
    return {
        "name": FILE_NAME_FIELD,
        "label": "文件名 File name",
        "widget": "string",
        "required": hosted,
        "pattern": SLUG_PATTERN,
        "hint": "新建时使用；留空则由中文名称生成拼音 / for a new entry; left empty, it is made from the Chinese name "
        "in pinyin. Not written into the file.",
    }


def _body_field(translated: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "body",
        "label": "正文 Text",
        "widget": "markdown",
        "required": False,
        "hint": "中文正文；切换到 en 写英文正文 / the Chinese text; switch to en for the English text",
    }
    if translated:
        body["i18n"] = True
    return body


def _settings_collection(choices: Choices) -> dict[str, Any]:
    fields = [widget(SITE_SCHEMA.spec(name), choices) for name in SITE_SETTINGS]
    return {
        "name": "settings",
        "label": "网站设置 Site settings",
        "editor": {"preview": False},
        "files": [
            {
                "name": "site",
                "label": "联系方式、首页数字和页脚 Contact, highlights and footer",
                "file": "content/site.yaml",
                "format": "yaml",
                "fields": fields,
            },
            _vocabulary_file("sectors", "产业分类 Sectors", SECTOR_SCHEMA, choices),
            _vocabulary_file("cities", "城市 Cities", CITY_SCHEMA, choices),
        ],
    }


def _vocabulary_file(name: str, title: str, entry: FieldMapping, choices: Choices) -> dict[str, Any]:
    """sectors.yaml or cities.yaml, edited as a list of entries, each with its id (see cms_store)."""
    identifier = {
        "name": "id",
        "label": label("id"),
        "widget": "string",
        "required": True,
        "pattern": SLUG_PATTERN,
        "hint": "the id content files use; changing it breaks the entries that name it",
    }
    items = {
        "name": name,
        "label": label(name),
        "widget": "list",
        "collapsed": True,
        "summary": "{{fields.zh}} {{fields.en}} ({{fields.id}})",
        "fields": [identifier, *(widget(spec, choices) for spec in entry.fields)],
    }
    return {"name": name, "label": title, "file": f"content/{name}.yaml", "format": "yaml", "fields": [items]}


def label(name: str, chinese: str = "") -> str:
    """Chinese first, the field's name beside it: `chinese`, when the schema gives the field one."""
    return f"{chinese or LABELS.get(name, name)} {name}"


def widget(spec: Spec, choices: Choices, optional_parent: bool = False) -> dict[str, Any]:
    """One schema field as a Decap field: its widget, label, hint and whether it is required.

    Inside a group that may be left out (`alliance`, `contact`, an optional `{zh, en}`) nothing is
    marked required, or Decap would demand the group; the site's checks still require the parts
    of a group that is filled in, and say so when the save is refused.
    """
    required = spec.required and not optional_parent
    described: dict[str, Any] = {"name": spec.name, "label": label(spec.name, spec.label), "required": required}
    if spec.description:
        described["hint"] = zh_en(spec.zh, spec.description) if spec.zh else spec.description
    described.update(_widget_of(spec.name, spec.type, choices, not required))
    return described


def _widget_of(name: str, field_type: FieldType, choices: Choices, optional: bool) -> dict[str, Any]:
    options = choices.options(name, field_type)
    if options is not None:
        return {"widget": "select", "options": options}
    if isinstance(field_type, ListOf):
        return _list_widget(name, field_type, choices)
    if isinstance(field_type, Bilingual):
        return _bilingual(field_type.require_english, optional)
    if isinstance(field_type, FieldMapping):
        fields = [widget(spec, choices, optional) for spec in field_type.fields]
        return {"widget": "object", "collapsed": False, "fields": fields}
    return _scalar_widget(field_type)


def _list_widget(name: str, field_type: ListOf, choices: Choices) -> dict[str, Any]:
    """A list; an item added to it is filled in whole, so its own required parts are marked."""
    item = field_type.item
    options = choices.options(name, item)
    if options is not None:
        described: dict[str, Any] = {"widget": "select", "multiple": True, "options": options}
        if field_type.at_least:
            described["min"] = field_type.at_least
        return described
    if isinstance(item, FieldMapping):
        fields = [widget(spec, choices) for spec in item.fields]
    elif isinstance(item, Bilingual):
        fields = _bilingual(item.require_english, optional=False)["fields"]
    else:
        return {"widget": "list", "field": {"name": "item", "label": label(name), **_scalar_widget(item)}}
    described = {"widget": "list", "collapsed": False, "fields": fields}
    if field_type.at_least:
        described["min"] = field_type.at_least
    return described


def _bilingual(require_english: bool, optional: bool) -> dict[str, Any]:
    return {
        "widget": "object",
        "collapsed": False,
        "fields": [
            {"name": "zh", "label": "中文 Chinese", "widget": "string", "required": not optional},
            {"name": "en", "label": "英文 English", "widget": "string", "required": require_english and not optional},
        ],
    }


def _scalar_widget(field_type: FieldType) -> dict[str, Any]:
    """Numbers, flags, dates, choices and the kinds of text; anything else is typed as text."""
    if isinstance(field_type, Number):
        described: dict[str, Any] = {"widget": "number", "value_type": "int" if field_type.whole else "float"}
        if field_type.minimum is not None:
            described["min"] = field_type.minimum
        if field_type.maximum is not None:
            described["max"] = field_type.maximum
        return described
    if isinstance(field_type, Amount):
        return {"widget": "number", "value_type": "float", "min": 0}
    if isinstance(field_type, Flag):
        return {"widget": "boolean"}
    if isinstance(field_type, Date):
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "default": "",  # not today's date, which Decap fills in otherwise
        }
    if isinstance(field_type, Choice):
        return {"widget": "select", "options": list(field_type.options)}
    if isinstance(field_type, MediaPath):
        return {"widget": "image", "choose_url": False}
    if type(field_type) in PATTERNS:
        return {"widget": "string", "pattern": PATTERNS[type(field_type)]}
    return {"widget": "string"}
