"""Deterministic synthetic bilingual sites for the benchmarks: parks, events, chains, projects,
sites, policies, costs and a page.

Every park has a Chinese and an English body of about 1.6 KB of Markdown each, with headings, a
table, a bulleted and a numbered list, drawn from the pools below by a seeded generator, so the
same arguments always write the same bytes. Events name parks that exist; some parks sit inside
an earlier park (`parent`) and some are alliance members.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = 20200920

LEVELS = {"national": ("国家级", "national"), "provincial": ("省级", "provincial"), "municipal": ("市级", "municipal")}
KINDS = {
    "development-zone": ("经济技术开发区", "economic and technological development zone"),
    "high-tech-zone": ("高新技术产业开发区", "high-tech industrial development zone"),
    "industrial-park": ("特色产业园区", "specialised industrial park"),
    "incubator": ("科技企业孵化器", "technology business incubator"),
}
FOCUS = [
    ("研发设计", "research and design"),
    ("关键零部件制造", "key component manufacturing"),
    ("检验检测", "testing and certification"),
    ("系统集成", "systems integration"),
    ("应用示范", "pilot applications"),
    ("中试与产业化", "pilot production and scale-up"),
    ("软件与数据服务", "software and data services"),
]
EXTRA_INDUSTRIES = [
    ("现代物流", "仓储、冷链与配送", "Logistics", "warehousing, cold chain and distribution"),
    ("科技服务", "技术转移与知识产权", "Technology services", "technology transfer and intellectual property"),
    ("商务服务", "会展与法律咨询", "Business services", "exhibitions and legal advice"),
    ("新材料", "高性能纤维与复合材料", "New materials", "high-performance fibres and composites"),
    ("节能环保", "固废处理与节能装备", "Energy saving", "waste treatment and efficient equipment"),
]
SERVICES = [
    ("项目审批“一站式”服务，承诺时限内办结", "One-stop approval of projects within a promised time"),
    ("标准厂房与研发楼宇，可租可售", "Standard factory buildings and research space to rent or buy"),
    ("人才公寓与子女入学协调", "Housing for skilled staff and help with school places"),
    ("产业基金与银行授信对接", "Introductions to industry funds and bank credit"),
    ("知识产权快速预审通道", "A fast lane for patent pre-examination"),
    ("“拿地即开工”的并联审批", "Parallel approvals so that work can start as soon as land is acquired"),
    ("企业服务专员全程跟进", "A named officer who follows each project from signing to production"),
    ("海关监管仓与跨境电商服务", "A bonded warehouse and cross-border e-commerce services"),
    ("公共实验室与中试平台", "Shared laboratories and a pilot production platform"),
]
STEPS = [
    ("提交项目意向书与企业基本情况", "Send a letter of intent and a short company profile"),
    ("园区招商部门组织项目评审", "The investment office reviews the project"),
    ("签订投资协议，明确用地与产出", "Sign an investment agreement on land and expected output"),
    ("办理立项、规划与施工许可", "Obtain project approval, planning and construction permits"),
    ("竣工验收后享受相应扶持政策", "Receive the agreed support once the buildings are accepted"),
]
CLOSINGS = [
    (
        "园区坚持“项目为王”，围绕龙头企业开展产业链招商，延伸产业链条，提升产业能级，推动集群式发展。",
        "The park attracts companies along whole supply chains around its anchor firms, "
        "so that related businesses grow together as a cluster.",
    ),
    (
        "近年来，园区持续优化营商环境，推行“要素跟着项目走”，土地、能耗和资金向优质项目集中。",
        "In recent years the park has steadily improved its business environment and steers land, "
        "energy quotas and funding towards the strongest projects.",
    ),
    (
        "园区与省内高校和科研院所共建创新平台，推动科技成果就地转化，培育了一批专精特新企业。",
        "Together with universities and research institutes in the province, the park runs innovation "
        "platforms that turn research into products locally and has raised a number of specialised firms.",
    ),
]
COMPANY_WORDS = [
    ("鲁信", "Luxin"),
    ("海岳", "Haiyue"),
    ("齐能", "Qineng"),
    ("泰和", "Taihe"),
    ("华东", "Huadong"),
    ("蓝海", "Lanhai"),
    ("金岭", "Jinling"),
    ("泉城", "Quancheng"),
]
COMPANY_KINDS = [
    ("科技", "Technology"),
    ("智能装备", "Intelligent Equipment"),
    ("生物", "Biotech"),
    ("新材料", "New Materials"),
    ("电子", "Electronics"),
]


Pair = tuple[str, str]
"""A Chinese and an English text."""


@dataclass(frozen=True)
class ParkFacts:
    """What a park's two bodies say, so both languages tell the same story."""

    name: Pair
    city: Pair
    level: Pair
    kind: Pair
    established: int
    area: float
    output: int
    growth: int
    companies: int
    projects: int
    industries: tuple[tuple[dict[str, str], Pair, Pair], ...]
    extras: tuple[tuple[str, str, str, str], ...]
    services: tuple[Pair, ...]
    closing: Pair


@dataclass(frozen=True)
class Vocabulary:
    """The sector and city ids and labels of the site the parks are generated into."""

    sectors: dict[str, dict[str, str]]
    cities: dict[str, dict[str, str]]


def load_vocabulary(content: Path) -> Vocabulary:
    def labels(name: str) -> dict[str, dict[str, str]]:
        entries = yaml.safe_load((content / name).read_text("utf-8"))
        return {key: {"zh": value["zh"], "en": value["en"]} for key, value in entries.items()}

    return Vocabulary(labels("sectors.yaml"), labels("cities.yaml"))


def generate_site(root: Path, parks: int, seed: int = SEED, investment: bool = True) -> None:
    """A deterministic bilingual site with `parks` parks, one event per ten parks, one chain per
    hundred parks, one project per ten parks and one page; with `investment`, also five sites per
    park, one policy per two parks, costs for every city and the landing process.

    Copies the repository's vocabularies (site, sectors, cities) and pages into `root`, which
    must not exist yet. The generated sites make no PDF brochures (a tenth of a second or more
    each): they measure the pages; bench/brochure_speed.py measures brochures on the starter.
    """
    randomness = random.Random(seed)
    content = root / "content"
    content.mkdir(parents=True)
    for name in ("site.yaml", "sectors.yaml", "cities.yaml"):
        shutil.copyfile(REPO / "content" / name, content / name)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("brochures: false\n")
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    vocabulary = load_vocabulary(content)
    (content / "parks").mkdir()
    (content / "events").mkdir()
    for number in range(parks):
        zh, en = park_files(number, randomness, vocabulary)
        (content / "parks" / f"{park_slug(number)}.md").write_text(zh, encoding="utf-8")
        (content / "parks" / f"{park_slug(number)}.en.md").write_text(en, encoding="utf-8")
    for number in range(max(1, parks // 10)):
        zh, en = event_files(number, parks, randomness, vocabulary)
        (content / "events" / f"event-{number:04d}.md").write_text(zh, encoding="utf-8")
        (content / "events" / f"event-{number:04d}.en.md").write_text(en, encoding="utf-8")
    # Chains and projects draw from a stream of their own, so the parks and events stay as before.
    chain_randomness = random.Random(seed + 1)
    (content / "chains").mkdir()
    (content / "projects").mkdir()
    chains = [chain_files(number, parks, chain_randomness, vocabulary) for number in range(max(1, parks // 100))]
    for number, (zh, en, _) in enumerate(chains):
        (content / "chains" / f"chain-{number:03d}.md").write_text(zh, encoding="utf-8")
        (content / "chains" / f"chain-{number:03d}.en.md").write_text(en, encoding="utf-8")
    for number in range(max(1, parks // 10)):
        text = project_file(number, parks, chain_randomness, vocabulary, chains)
        (content / "projects" / f"project-{number:04d}.md").write_text(text, encoding="utf-8")
    if investment:
        generate_investment(content, parks, random.Random(seed + 2), vocabulary)


SITES_PER_PARK = 5
PARKS_PER_POLICY = 2
SITE_KINDS = ("land", "land", "standard-factory", "office", "incubator", "lab", "warehouse")
SITE_STATUSES = ("available", "available", "available", "reserved", "let", "sold")


def generate_investment(content: Path, parks: int, randomness: random.Random, vocabulary: Vocabulary) -> None:
    """Sites, policies, city costs and the landing process, from a stream of their own, so the
    rest of the site is the same with or without them."""
    shutil.copyfile(REPO / "content" / "landing.yaml", content / "landing.yaml")
    cities = yaml.safe_load((content / "cities.yaml").read_text("utf-8"))
    for city in cities.values():
        city["costs"] = city_costs(randomness)
    (content / "cities.yaml").write_text(yaml.safe_dump(cities, allow_unicode=True, sort_keys=False), "utf-8")
    (content / "sites").mkdir()
    for number in range(parks * SITES_PER_PARK):
        text = site_file(number, park_slug(number // SITES_PER_PARK), randomness)
        (content / "sites" / f"site-{number:05d}.md").write_text(text, encoding="utf-8")
    (content / "policies").mkdir()
    for number in range(max(1, parks // PARKS_PER_POLICY)):
        text = policy_file(number, parks, randomness, vocabulary)
        (content / "policies" / f"policy-{number:04d}.md").write_text(text, encoding="utf-8")


SYNTHETIC_SOURCE = {"zh": "合成测试数据", "en": "Synthetic benchmark data"}


def city_costs(randomness: random.Random) -> list[dict[str, object]]:
    def cost(item: str, value: float, unit: str, **more: str) -> dict[str, object]:
        return {"item": item, **more, "value": value, "unit": unit, "year": 2025, "source": SYNTHETIC_SOURCE}

    return [
        cost("land-base-price", randomness.randint(10, 60), "万元/亩"),
        cost("electricity", round(randomness.uniform(0.9, 1.2), 4), "元/kWh", voltage="1-10kv", period="peak"),
        cost("electricity", round(randomness.uniform(0.25, 0.4), 4), "元/kWh", voltage="1-10kv", period="valley"),
        cost("water", round(randomness.uniform(3, 6), 2), "元/m³"),
        cost("gas", round(randomness.uniform(3, 5), 2), "元/m³"),
        cost("minimum-wage", randomness.choice((1900, 2100, 2200)), "元/月"),
    ]


def site_file(number: int, park: str, randomness: random.Random) -> str:
    """Land in 亩 at 万元/亩, or a building in ㎡ at a monthly rent; a tenth priced on request."""
    kind = randomness.choice(SITE_KINDS)
    lines = ["---", f"name: {{zh: 载体{number}, en: Site {number}}}", f"park: {park}", f"kind: {kind}"]
    if kind == "land":
        lines += [f"area: {randomness.randint(10, 300)} 亩", f"price: {randomness.randint(10, 80)} 万元/亩"]
        lines.append(f"standard_land: {{investment_intensity: {randomness.randint(200, 600)}, plot_ratio: 1.2}}")
    else:
        lines += [f"area: {randomness.randint(5, 500) * 100} ㎡", f"price: {randomness.randint(8, 40)} 元/㎡·月"]
        lines.append(
            f"building: {{floor_height: {randomness.randint(4, 12)}, power: {randomness.randint(2, 20) * 100}}}"
        )
    if randomness.random() < 0.1:
        lines[-2] = "price: on request"
    lines += [
        f"status: {randomness.choice(SITE_STATUSES)}",
        f"verified: 2026-{randomness.randint(1, 6):02d}-{randomness.randint(1, 28):02d}",
        "source: {publication: {zh: 合成测试数据, en: Synthetic benchmark data}}",
        "---",
    ]
    return "\n".join(lines) + "\n"


def policy_file(number: int, parks: int, randomness: random.Random, vocabulary: Vocabulary) -> str:
    """A policy of the alliance, a city, a few parks or a sector; a tenth already expired."""
    draw = randomness.random()
    if draw < 0.1:
        scope = "{alliance: true}"
    elif draw < 0.5:
        scope = f"{{cities: [{randomness.choice(sorted(vocabulary.cities))}]}}"
    elif draw < 0.9:
        chosen = sorted({park_slug(randomness.randrange(parks)) for _ in range(randomness.randint(1, 3))})
        scope = f"{{parks: [{', '.join(chosen)}]}}"
    else:
        scope = f"{{sectors: [{randomness.choice(sorted(vocabulary.sectors))}]}}"
    until = "2025-12-31" if randomness.random() < 0.1 else f"{randomness.randint(2028, 2030)}-12-31"
    return (
        "\n".join(
            [
                "---",
                f"title: {{zh: 招商政策{number}, en: Policy {number}}}",
                "issuer: {zh: 合成发文单位, en: Synthetic issuer}",
                f"scope: {scope}",
                f"summary: {{zh: 第{number}项政策, en: Policy number {number}}}",
                "benefits:",
                f"  - {{what: {{zh: 落户奖励, en: Settling grant}}, amount: {randomness.randint(10, 1000)} 万元}}",
                "from: 2024-01-01",
                f"until: {until}",
                "source: {publication: {zh: 合成测试数据, en: Synthetic benchmark data}}",
                "---",
            ]
        )
        + "\n"
    )


TIERS = (("upstream", "上游", "Upstream"), ("midstream", "中游", "Midstream"), ("downstream", "下游", "Downstream"))
STAGES = ("negotiating", "signed", "under-construction", "in-production")


def chain_files(
    number: int, parks: int, randomness: random.Random, vocabulary: Vocabulary
) -> tuple[str, str, list[tuple[str, list[str]]]]:
    """A chain of three tiers of three links, each hosted by up to three parks (none: a gap);
    also its (link id, parks) for the projects."""
    sector = randomness.choice(sorted(vocabulary.sectors))
    zh_label, en_label = vocabulary.sectors[sector]["zh"], vocabulary.sectors[sector]["en"]
    links: list[tuple[str, list[str]]] = []
    lines = [
        "---",
        f"name: {{zh: {zh_label}产业链（{number}）, en: {_quoted(f'{en_label} chain no. {number}')}}}",
        f"sectors: [{sector}]",
        f"summary: {{zh: {zh_label}上下游环节与承载园区, en: {_quoted(f'Links and host parks of {en_label}')}}}",
        "tiers:",
    ]
    for tier_id, tier_zh, tier_en in TIERS:
        lines += [f"  - id: {tier_id}", f"    name: {{zh: {tier_zh}, en: {tier_en}}}", "    links:"]
        for index in range(3):
            link_id = f"{tier_id}-{index}"
            hosts = sorted({park_slug(randomness.randrange(parks)) for _ in range(randomness.randint(0, 3))})
            links.append((link_id, hosts))
            lines += [
                f"      - id: {link_id}",
                f"        name: {{zh: {tier_zh}环节{index}, en: {tier_en} link {index}}}",
                f"        description: {{zh: {zh_label}的{tier_zh}环节,"
                f" en: {_quoted(f'A {tier_en.lower()} link of {en_label}')}}}",
                "        enterprises:",
                f"          - name: {{zh: 龙头企业{number}-{index}, en: Leader {number}-{index}}}",
                "            leading: true",
                f"        parks: [{', '.join(hosts)}]",
            ]
            if not hosts:
                lines.append(f"        sought: {{zh: 招引{tier_zh}企业, en: {tier_en} companies}}")
    lines += ["sources:", "  - publication: {zh: 合成测试数据, en: Synthetic benchmark data}", '    date: "2023"']
    lines.append("---")
    zh = "\n".join(lines) + f"\n{zh_label}产业链的概况。\n"
    return zh, f"An overview of the {en_label} chain.\n", links


def _quoted(text: str) -> str:
    """English labels hold commas and brackets: a YAML flow mapping needs them quoted."""
    return json.dumps(text, ensure_ascii=False)


def project_file(
    number: int,
    parks: int,
    randomness: random.Random,
    vocabulary: Vocabulary,
    chains: list[tuple[str, str, list[tuple[str, list[str]]]]],
) -> str:
    """A project: half in a hosted link of a chain, the rest in any park; a third with no amount."""
    chain_number = randomness.randrange(len(chains))
    hosted = [(link_id, hosts) for link_id, hosts in chains[chain_number][2] if hosts]
    lines = ["---", f"name: {{zh: 项目{number}, en: Project {number}}}"]
    if hosted and randomness.random() < 0.5:
        link_id, hosts = randomness.choice(hosted)
        lines += [f"park: {randomness.choice(hosts)}", f"chain: chain-{chain_number:03d}", f"link: {link_id}"]
    else:
        lines.append(f"park: {park_slug(randomness.randrange(parks))}")
    lines.append(f"sector: {randomness.choice(sorted(vocabulary.sectors))}")
    if randomness.random() < 2 / 3:
        lines.append(f"investment: {randomness.randint(1, 2000) / 10}")
    lines += [
        f"stage: {randomness.choice(STAGES)}",
        f"summary: {{zh: 第{number}个项目, en: Project number {number}}}",
        "source:",
        "  publication: {zh: 合成测试数据, en: Synthetic benchmark data}",
        '  date: "2023"',
        "---",
    ]
    return "\n".join(lines) + "\n"


def park_slug(number: int) -> str:
    return f"park-{number:05d}"


def park_files(number: int, randomness: random.Random, vocabulary: Vocabulary) -> tuple[str, str]:
    """The Chinese file (front matter and body) and the English file (body only) of one park."""
    city = randomness.choice(sorted(vocabulary.cities))
    sectors = randomness.sample(sorted(vocabulary.sectors), randomness.randint(1, 3))
    level = randomness.choice(sorted(LEVELS))
    kind = randomness.choice(sorted(KINDS))
    established = randomness.randint(1988, 2022)
    area = randomness.uniform(2, 120)
    city_zh, city_en = vocabulary.cities[city]["zh"], vocabulary.cities[city]["en"]
    name_zh, name_en = f"{city_zh}第{number}产业园区", f"{city_en} Industrial Park {number}"
    companies = [
        (f"{word_zh}{kind_zh}有限公司", f"{word_en} {kind_en} Co., Ltd.")
        for (word_zh, word_en), (kind_zh, kind_en) in zip(
            randomness.sample(COMPANY_WORDS, 3), randomness.sample(COMPANY_KINDS, 3), strict=True
        )
    ]
    lines = [
        "---",
        f"name: {{zh: {name_zh}, en: {name_en}}}",
        f"city: {city}",
        f"location: {{lat: {randomness.uniform(34.6, 37.9):.5f}, lon: {randomness.uniform(115.3, 122.3):.5f}, "
        "crs: wgs84}",
        f"sectors: [{', '.join(sectors)}]",
        f"level: {level}",
        f"kind: {kind}",
    ]
    if number >= 10 and randomness.random() < 0.05:
        lines.append(f"parent: {park_slug(randomness.randrange(number))}")
    if randomness.random() < 0.2:
        lines += ["alliance:", "  member: true", f"  batch: {randomness.randint(1, 3)}"]
    lines += [
        "summary:",
        f"  zh: {LEVELS[level][0]}{KINDS[kind][0]}，以{vocabulary.sectors[sectors[0]]['zh']}为主导产业。",
        f'  en: "A {LEVELS[level][1]} {KINDS[kind][1]} led by {vocabulary.sectors[sectors[0]]["en"].lower()}."',
        f"established: {established}",
        f"area_km2: {area:.2f}",
        "key_enterprises:",
        *(f'  - {{zh: {zh}, en: "{en}"}}' for zh, en in companies),
        f"updated: 2024-{randomness.randint(1, 12):02d}-{randomness.randint(1, 28):02d}",
        "---",
    ]
    industries = tuple(
        (vocabulary.sectors[sector], randomness.choice(FOCUS), companies[index]) for index, sector in enumerate(sectors)
    )
    facts = ParkFacts(
        name=(name_zh, name_en),
        city=(city_zh, city_en),
        level=LEVELS[level],
        kind=KINDS[kind],
        established=established,
        area=round(area, 2),
        output=randomness.randint(80, 2400),
        growth=randomness.randint(3, 18),
        companies=randomness.randint(40, 900),
        projects=randomness.randint(5, 60),
        industries=industries,
        extras=tuple(randomness.sample(EXTRA_INDUSTRIES, max(1, 4 - len(sectors)))),
        services=tuple(randomness.sample(SERVICES, randomness.randint(4, 6))),
        closing=randomness.choice(CLOSINGS),
    )
    return "\n".join(lines) + "\n" + park_body_zh(facts), park_body_en(facts)


def park_body_zh(facts: ParkFacts) -> str:
    rows = [f"| {sector['zh']} | {focus[0]} | {company[0]} |" for sector, focus, company in facts.industries]
    rows += [f"| {zh} | {focus} | — |" for zh, focus, _, _ in facts.extras]
    return "\n".join(
        [
            f"{facts.name[0]}位于{facts.city[0]}，{facts.established}年设立，是{facts.level[0]}{facts.kind[0]}。"
            f"园区以**{facts.industries[0][0]['zh']}**为主导产业，重视项目落地与配套服务，"
            "为入驻企业提供政策咨询、人才招引和融资对接。",
            "",
            "## 主导产业",
            "",
            "| 产业 | 重点方向 | 代表企业 |",
            "| --- | --- | --- |",
            *rows,
            "",
            "## 发展概况",
            "",
            f"2023年，园区实现规模以上工业产值{facts.output}亿元，同比增长{facts.growth}%；"
            f"现有入驻企业{facts.companies}家，全年新签约项目{facts.projects}个。"
            f"园区规划面积{facts.area}平方公里，水、电、路、气、通信等基础设施已全面覆盖，"
            "并建有污水处理厂和集中供热设施。",
            "",
            "## 配套服务",
            "",
            *(f"- {zh}" for zh, _ in facts.services),
            "",
            "## 投资指南",
            "",
            *(f"{index}. {zh}" for index, (zh, _) in enumerate(STEPS, start=1)),
            "",
            facts.closing[0],
            "",
        ]
    )


def park_body_en(facts: ParkFacts) -> str:
    rows = [f"| {sector['en']} | {focus[1]} | {company[1]} |" for sector, focus, company in facts.industries]
    rows += [f"| {en} | {focus} | — |" for _, _, en, focus in facts.extras]
    return "\n".join(
        [
            f"{facts.name[1]} lies in {facts.city[1]}. It was set up in {facts.established} as a {facts.level[1]} "
            f"{facts.kind[1]}, and its leading industry is **{facts.industries[0][0]['en'].lower()}**. "
            "The park helps companies settle in with advice on policy, recruitment and financing.",
            "",
            "## Leading industries",
            "",
            "| Industry | Focus | Example company |",
            "| --- | --- | --- |",
            *rows,
            "",
            "## The park in figures",
            "",
            f"In 2023 industrial firms above the statistical threshold produced {facts.output} hundred million "
            f"yuan of output, {facts.growth}% more than a year before; {facts.companies} companies are based "
            f"in the park, and {facts.projects} new projects were signed during the year. The park covers "
            f"{facts.area} square kilometres with water, power, roads, gas and telecoms throughout.",
            "",
            "## Services",
            "",
            *(f"- {en}" for _, en in facts.services),
            "",
            "## How to invest",
            "",
            *(f"{index}. {en}" for index, (_, en) in enumerate(STEPS, start=1)),
            "",
            facts.closing[1],
            "",
        ]
    )


def event_files(number: int, parks: int, randomness: random.Random, vocabulary: Vocabulary) -> tuple[str, str]:
    """The Chinese and English files of one event about two or three existing parks."""
    involved = sorted({park_slug(randomness.randrange(parks)) for _ in range(randomness.randint(2, 3))})
    city = randomness.choice(sorted(vocabulary.cities))
    city_zh, city_en = vocabulary.cities[city]["zh"], vocabulary.cities[city]["en"]
    month, day = randomness.randint(1, 12), randomness.randint(1, 28)
    zh = "\n".join(
        [
            "---",
            f"title: {{zh: {city_zh}园区推介会（第{number}期）, en: {city_en} parks promotion no. {number}}}",
            f"date: 2024-{month:02d}-{day:02d}",
            f"city: {city}",
            "kind: promotion",
            f"parks: [{', '.join(involved)}]",
            f"summary: {{zh: 第{number}期园区推介会, en: Park promotion meeting no. {number}}}",
            "---",
            f"{month}月{day}日，{city_zh}园区推介会在市民中心举行，{len(involved)}家园区介绍了主导产业、"
            "重点项目和招商政策，来自省内外的一百余位企业家参加。",
            "",
            "会上发布了以下合作事项：",
            "",
            "- 共建产业链上下游对接平台",
            "- 联合举办人才招聘活动",
            "- 共享检验检测与中试资源",
            "",
        ]
    )
    en = "\n".join(
        [
            f"On {month}/{day}, {len(involved)} parks presented their leading industries, key projects and "
            f"investment policies at the civic centre in {city_en}, to more than a hundred business people.",
            "",
            "The meeting announced:",
            "",
            "- a shared platform linking suppliers and buyers along the supply chain",
            "- joint recruitment fairs",
            "- shared testing and pilot production facilities",
            "",
        ]
    )
    return zh, en
