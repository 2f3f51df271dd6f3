"""`sitegen new`: a commented, bilingual skeleton an editor fills in; never overwrites a file."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from sitegen.content.files import is_windows_device_name
from sitegen.content.placeholders import BODY_PLACEHOLDERS, ENGLISH_PLACEHOLDER
from sitegen.content.sources import SLUG, suggest_slug

_PARK = """\
---
# 园区名称（中文、英文都要填） / Park name in Chinese and English (both required)
name: {{zh: {name}, en: }}
# 所在城市：content/cities.yaml 里的编号，例如 jinan / City id from content/cities.yaml
city:
# 坐标。从高德地图取的点加 crs: gcj02，从百度地图取的点加 crs: bd09
# Coordinates. Add crs: gcj02 for a point taken from Gaode/AMap, crs: bd09 for Baidu
location: {{lat: , lon: }}
# 产业：content/sectors.yaml 里的编号，第一个是主导产业 / Sector ids; the first is the primary one
sectors: []
# 以下字段可选，不知道就删掉 / Optional from here on; delete what you do not know
# 级别 / Level: national | provincial | municipal | other
level:
# 类型 / Kind: development-zone | high-tech-zone | new-area | industrial-park | incubator | other
kind:
# 所在的上级园区（区中园），写它的文件名 / Slug of the park that contains this one
parent:
district: {{zh: , en: }}
operator: {{zh: , en: }}
# 一句话简介，用于列表和地图 / One-line summary for lists and the map
summary: {{zh: , en: }}
# 设立年份 / Year established
established:
# 规划面积（平方公里）/ Planned area in km²
area_km2:
website:
# 电话请加引号 / Put the phone number in quotes
contact: {{phone: "", email: , address: {{zh: , en: }}}}
key_enterprises: []
# 数据：每条都要写年份和来源 / Figures: each needs a year and a source
figures: []
# 信息核对日期 / Date the facts were last checked
updated:
---
{body}
"""

_EVENT = """\
---
# 活动名称（中文、英文都要填） / Event title in Chinese and English (both required)
title: {{zh: {name}, en: }}
# 日期，年-月-日 / First day as YYYY-MM-DD
date:
# 多日活动的最后一天（可选） / Last day of an event of several days (optional)
end:
# 城市编号 / City id from content/cities.yaml
city:
venue: {{zh: , en: }}
# 类型 / Kind: summit | roundtable | signing | visit | promotion | other
kind:
# 相关园区的文件名 / Slugs of the parks involved
parks: []
summary: {{zh: , en: }}
---
{body}
"""

_PAGE = """\
---
# 页面标题（中文、英文都要填） / Page title in Chinese and English (both required)
title: {{zh: {name}, en: }}
summary: {{zh: , en: }}
# 在主菜单中的位置（可选） / Position in the main menu (optional)
menu:
---
{body}
"""

_CHAIN = """\
---
# 产业链名称（中文、英文都要填） / Chain name in Chinese and English (both required)
name: {{zh: {name}, en: }}
# 所属产业：content/sectors.yaml 里的编号 / Sector ids from content/sectors.yaml
sectors: []
summary: {{zh: , en: }}
# 层级按顺序排列（上游在前），每个环节的 id 在整条链里只能出现一次
# Tiers in order (upstream first); each link id may appear only once in the chain
tiers:
  - id: upstream
    name: {{zh: 上游, en: Upstream}}
    links:
      - id:
        name: {{zh: , en: }}
        description: {{zh: , en: }}
        # 重点企业；链主加 leading: true / Key enterprises; add leading: true for a 链主
        enterprises: []
        # 承载这个环节的园区文件名；不写就是招商缺口 / Slugs of host parks; none makes it a gap
        parks: []
        # 招商方向 / What the alliance is looking for in this link
        sought: {{zh: , en: }}
# 资料来源：媒体与标题，日期可只写年或年-月（加引号）
# Sources: outlet and title; the date may be just "YYYY" or "YYYY-MM" (in quotes)
sources:
  - publication: {{zh: , en: }}
    date:
---
{body}
"""

_PROJECT = """\
---
# 项目名称（中文、英文都要填） / Project name in Chinese and English (both required)
name: {{zh: {name}, en: }}
investor: {{zh: , en: }}
# 在联盟园区里就写园区文件名；不在园区里就删掉 park，写 city（和 district）
# In an alliance park write its slug; elsewhere delete park and write city (and district)
park:
# 产业编号 / Sector id from content/sectors.yaml
sector:
# 所属产业链的文件名和环节 id（可选） / Chain slug and link id (optional)
chain:
link:
# 投资额：以亿元计的数字，例如 58；不详就删掉 / Investment in 亿元 as a number, e.g. 58; delete if unknown
investment:
# 阶段 / Stage: negotiating | signed | under-construction | in-production
stage:
# 各阶段日期：年-月-日，或加引号的 "2023-05" / "2023" / Stage dates
dates: {{signed: , construction: , production: }}
summary: {{zh: , en: }}
# 来源必填：媒体与标题、日期 / Source (required): outlet and title, date
source:
  publication: {{zh: , en: }}
  date:
---
"""

_SITE = """\
---
# 载体名称（中文、英文都要填） / Name of the plot or building in Chinese and English (both required)
name: {{zh: {name}, en: }}
# 所在园区的文件名 / Slug of the park it is in
park:
# 类型 / Kind: land | standard-factory | office | incubator | lab | warehouse
kind:
# 面积，带单位：土地用亩，建筑用 ㎡，例如 50 亩 / Area with its unit: 亩 (mu) for land, ㎡ (m2) for buildings
area:
# 价格，带单位：土地 万元/亩；建筑 元/㎡·月（租金）或 元/㎡（售价）；不公开就写 面议
# Price with its unit: 万元/亩 for land; 元/㎡·月 (rent) or 元/㎡ (sale) for buildings; or: on request
price:
# 状态 / Status: available | reserved | let | sold
status: available
# 园区最近一次确认这些信息的日期，年-月-日 / The day the office last confirmed these facts, YYYY-MM-DD
verified:
# 以下字段可选，不知道就删掉 / Optional from here on; delete what you do not know
available_from:
zoning: {{zh: , en: }}
# 厂房：层高（米）、承重（吨/㎡）、电力（千伏安）、行车（吨） / Buildings: m, t/㎡, kVA, t
building: {{floor_height: , floor_load: , power: , crane: }}
# 标准地：投资强度、亩均税收（万元/亩）、容积率 / 标准地 targets: 万元/亩, 万元/亩 a year, plot ratio
standard_land: {{investment_intensity: , tax_per_mu: , plot_ratio: }}
# 来源必填 / Source (required)
source:
  publication: {{zh: , en: }}
  date:
---
"""

_POLICY = """\
---
# 政策名称（中文、英文都要填） / Policy title in Chinese and English (both required)
title: {{zh: {name}, en: }}
# 发文单位 / Issuer
issuer: {{zh: , en: }}
# 文号（可选） / Document number (optional)
number:
# 适用范围：alliance: true 联盟每一个园区；cities 这些城市的园区；parks 只这些园区；sectors 只限有这些产业的
# Applies in: alliance: true every alliance park; cities: their parks; parks: these only; sectors: parks hosting them
scope: {{cities: [], parks: [], sectors: []}}
summary: {{zh: , en: }}
# 适用对象 / Who qualifies
eligibility: {{zh: , en: }}
# 支持内容：金额带单位（元、万元、亿元），比例以 % 计 / What is given: amount with its unit, rate in %
benefits:
  - what: {{zh: , en: }}
    amount:
# 申请方式 / How to apply
apply: {{office: {{zh: , en: }}, phone: ""}}
# 有效期，年-月-日 / Valid from and until, YYYY-MM-DD
from:
until:
# 来源必填 / Source (required)
source:
  publication: {{zh: , en: }}
  date:
---
"""

_ENGLISH = """\
---
# Optional: English text that replaces the `en` side of short fields, e.g.
# summary: One-line English summary
---
"""

_TEMPLATES = {
    "park": ("parks", _PARK),
    "event": ("events", _EVENT),
    "page": ("pages", _PAGE),
    "chain": ("chains", _CHAIN),
    "project": ("projects", _PROJECT),
    "site": ("sites", _SITE),
    "policy": ("policies", _POLICY),
}
_WITHOUT_ENGLISH_FILE = ("project", "site", "policy")
"""Projects have no body, and sites and policies seldom one: their English lives in the
bilingual fields."""


def create_entry(root: Path, kind: str, requested: str) -> int:
    """Write `<slug>.md` and `<slug>.en.md` (a project, site or policy: only `<slug>.md`); a Chinese name is
    turned into a pinyin slug."""
    slug = requested if SLUG.fullmatch(requested) else suggest_slug(requested)
    name = "" if slug == requested else requested
    if slug != requested:
        print(f"slug: {slug}  (from “{requested}”)")
    if is_windows_device_name(slug):
        print(f"{slug}: Windows 保留的设备名，不能用作文件名 / a device name Windows reserves", file=sys.stderr)
        print(f"  hint: 换个名字，例如 {slug}-info / choose another name, e.g. {slug}-info", file=sys.stderr)
        return 1
    folder_name, template = _TEMPLATES[kind]
    folder = root / "content" / folder_name
    chinese, english = folder / f"{slug}.md", folder / f"{slug}.en.md"
    files = (chinese,) if kind in _WITHOUT_ENGLISH_FILE else (chinese, english)
    for file in files:
        if file.exists():
            print(f"{file.as_posix()}: 已存在，没有覆盖 / already exists, not overwritten", file=sys.stderr)
            print("  hint: 换一个名字，或直接编辑这个文件 / choose another name or edit that file", file=sys.stderr)
            return 1
    folder.mkdir(parents=True, exist_ok=True)
    body = BODY_PLACEHOLDERS.get(folder_name, "").format(slug=slug)
    chinese.write_text(template.format(name=name, slug=slug, body=body), encoding="utf-8")
    if english in files:
        english.write_text(_ENGLISH + ENGLISH_PLACEHOLDER + "\n", encoding="utf-8")
    print(f"created {' and '.join(file.as_posix() for file in files)}")
    print("next: fill in the required fields, then run `sitegen check`")
    return 0


STARTER = Path(__file__).resolve().parent / "starter"
"""A small working site shipped with the package: settings with every option explained, a few
sectors, Shandong's cities, and one park, one event and one page in both languages."""

_GITIGNORE = "/build/\n/.sitegen-cache/\n"


def create_site(directory: Path) -> int:
    """`sitegen init`: copy the starter site into `directory`, which must not hold a site yet.

    The files are written into a folder beside `content/` and moved into place at the end, so an
    init stopped half-way (a full disk, a killed process) leaves no `content/` to stop the next one.
    """
    content = directory / "content"
    if content.exists():
        print(f"{content.as_posix()}: 已存在，没有覆盖 / already exists, not overwritten", file=sys.stderr)
        print(
            "  hint: 换一个空文件夹，例如 sitegen init my-site / choose an empty folder, e.g. sitegen init my-site",
            file=sys.stderr,
        )
        return 1
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(f"{_STAGING_PREFIX}*"):  # what an interrupted init left
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=directory))
    try:
        _write_starter(staging, directory)
        if not (directory / ".gitignore").exists():
            (staging / ".gitignore").replace(directory / ".gitignore")
        (staging / "content").rename(content)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shown = directory.as_posix()
    print(f"created a site in {shown}: content/site.yaml, sectors, cities, one park, one event, one page")
    print(f"next: cd {shown} && sitegen serve   (preview at http://127.0.0.1:8000/)")
    print("      sitegen new park NAME to add a park; sitegen check before you publish")
    return 0


_STAGING_PREFIX = ".sitegen-init-"


def _write_starter(staging: Path, directory: Path) -> None:
    """The starter's files and a .gitignore into `staging`; a failed write names the file it was
    for in `directory` (a write that fails for want of space carries no file name of its own)."""
    files = [source for source in sorted(STARTER.rglob("*")) if source.is_file() and "__pycache__" not in source.parts]
    writes = [(staging / source.relative_to(STARTER), source.read_bytes()) for source in files]
    writes.append((staging / ".gitignore", _GITIGNORE.encode("utf-8")))
    for target, data in writes:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as error:
            raise OSError(error.errno, error.strerror, str(directory / target.relative_to(staging))) from error
