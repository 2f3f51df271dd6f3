"""Industry chains and projects: each editor's mistake with file, line and hint; what the pages,
downloads and totals show."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import read_site

from sitegen.build import load_site
from sitegen.render.pages import Renderer

CHAIN = "content/chains/software-chain.md"
PROJECT = "content/projects/cloud-centre.md"

CHAINS_SITE = read_site("chains")
"""A chain and a project of it, laid over the minimal site."""
CHAIN_TEXT = CHAINS_SITE[CHAIN]
PROJECT_TEXT = CHAINS_SITE[PROJECT]


def site_with(make_site, chain: str = CHAIN_TEXT, project: str = PROJECT_TEXT, **more: str):
    return make_site({**CHAINS_SITE, CHAIN: chain, PROJECT: project, **more})


CASES = {
    "unknown-chain-sector": (
        {CHAIN: CHAIN_TEXT.replace("sectors: [software]", "sectors: [sofware]")},
        f"{CHAIN}:3: content/sectors.yaml 里没有 'sofware' / 'sofware' is not an id in content/sectors.yaml\n"
        "  hint: 是不是 'software'？ / did you mean 'software'?",
    ),
    "unknown-link-park": (
        {CHAIN: CHAIN_TEXT.replace("parks: [qilu-software-park]", "parks: [qilu-sofware-park]")},
        f"{CHAIN}:14: parks 指向的 'qilu-sofware-park' 不存在 / parks names 'qilu-sofware-park', which does not exist\n"
        "  hint: 是不是 'qilu-software-park'？ / did you mean 'qilu-software-park'?",
    ),
    "link-in-two-tiers": (
        {CHAIN: CHAIN_TEXT.replace("- id: apps", "- id: chips")},
        f"{CHAIN}:18: 环节 'chips' 同时出现在层级 'upstream'（第 9 行）和 'downstream'"
        " / the link 'chips' is in two tiers: 'upstream' (line 9) and 'downstream'\n"
        "  hint: 一个环节只属于一个层级：删掉其中一个，或给另一个换个 id"
        " / a link belongs to one tier: delete one of them, or give the other its own id",
    ),
    "missing-chain-source": (
        {
            CHAIN: CHAIN_TEXT.replace(
                "sources:\n  - publication: {zh: 济南日报, en: Jinan Daily}\n    date: 2020-05-29\n", ""
            )
        },
        f"{CHAIN}:2: 缺少必填字段 'sources' / the required field 'sources' is missing\n",
    ),
    "unknown-project-park": (
        {PROJECT: PROJECT_TEXT.replace("park: qilu-software-park", "park: qilu-softwar-park")},
        f"{PROJECT}:3: park 指向的 'qilu-softwar-park' 不存在 / park names 'qilu-softwar-park', which does not exist\n"
        "  hint: 是不是 'qilu-software-park'？ / did you mean 'qilu-software-park'?",
    ),
    "unknown-project-chain": (
        {PROJECT: PROJECT_TEXT.replace("chain: software-chain", "chain: sofware-chain")},
        f"{PROJECT}:5: chain 指向的 'sofware-chain' 不存在 / chain names 'sofware-chain', which does not exist\n"
        "  hint: 是不是 'software-chain'？ / did you mean 'software-chain'?",
    ),
    "unknown-project-link": (
        {PROJECT: PROJECT_TEXT.replace("link: chips", "link: chip")},
        f"{PROJECT}:6: 产业链 software-chain 里没有环节 'chip' / the chain software-chain has no link 'chip'\n"
        "  hint: 是不是 'chips'？ / did you mean 'chips'? 可选：chips, apps / choose from: chips, apps",
    ),
    "unknown-project-sector": (
        {PROJECT: PROJECT_TEXT.replace("sector: software", "sector: softwares")},
        f"{PROJECT}:4: content/sectors.yaml 里没有 'softwares' / 'softwares' is not an id in content/sectors.yaml\n",
    ),
    "project-park-not-in-link": (
        {PROJECT: PROJECT_TEXT.replace("link: chips", "link: apps")},
        f"{PROJECT}:3: 园区 qilu-software-park 不在产业链 software-chain 的环节 'apps' 里"
        " / the park qilu-software-park is not among the parks of link 'apps' in the chain software-chain\n"
        "  hint: 在 content/chains/software-chain.md 的环节 apps 的 parks 里加上 qilu-software-park，或改正 link",
    ),
    "stage-date-before-the-one-it-follows": (
        {PROJECT: PROJECT_TEXT.replace('construction: "2021"', "construction: 2019-12-01")},
        f"{PROJECT}:11: construction 日期 2019-12-01 早于 signed 日期 2020-04"
        " / the construction date 2019-12-01 is before the signed date 2020-04\n"
        "  hint: 阶段依次是 signed → construction → production；检查这两个日期"
        " / the stages follow each other: signed → construction → production; check both dates",
    ),
    "amount-with-unit": (
        {PROJECT: PROJECT_TEXT.replace("investment: 58", "investment: 58亿")},
        f"{PROJECT}:7: 'investment' 只写数字（单位是亿元），不能写成 '58亿'"
        " / 'investment' takes a bare number in 亿元 (100 million yuan), not '58亿'\n"
        "  hint: 写成 investment: 58 / write investment: 58",
    ),
    "amount-with-unit-and-space": (
        {PROJECT: PROJECT_TEXT.replace("investment: 58", 'investment: "265.92 亿元"')},
        f"{PROJECT}:7: 'investment' 只写数字（单位是亿元），不能写成 '265.92 亿元'",
    ),
    "missing-project-source": (
        {
            PROJECT: PROJECT_TEXT.replace(
                "source:\n  publication: {zh: 济南日报, en: Jinan Daily}\n  date: 2020-05-29\n", ""
            )
        },
        f"{PROJECT}:2: 缺少必填字段 'source' / the required field 'source' is missing\n"
        "  hint: 加上一行 source: …（资料来源：{publication, date}）",
    ),
    "source-without-publication": (
        {PROJECT: PROJECT_TEXT.replace("  publication: {zh: 济南日报, en: Jinan Daily}\n", "")},
        f"{PROJECT}:12: 缺少必填字段 'source.publication' / the required field 'source.publication' is missing\n",
    ),
    "project-without-place": (
        {
            PROJECT: PROJECT_TEXT.replace("park: qilu-software-park\n", "").replace(
                "chain: software-chain\nlink: chips\n", ""
            )
        },
        f"{PROJECT}:2: 项目缺少 park 或 city，不知道在哪里 / the project has neither park nor city to place it\n",
    ),
    "project-city-differs-from-its-park": (
        {PROJECT: PROJECT_TEXT.replace("park: qilu-software-park\n", "park: qilu-software-park\ncity: yantai\n")},
        f"{PROJECT}:4: city 写的是 'yantai'，但园区 qilu-software-park 在 'jinan'"
        " / city says 'yantai', but the park qilu-software-park is in 'jinan'\n"
        "  hint: 删掉 city（园区已说明城市），或写 city: jinan / delete city (the park gives it), or write city: jinan",
    ),
    "unknown-stage": (
        {PROJECT: PROJECT_TEXT.replace("stage: under-construction", "stage: under-constrution")},
        f"{PROJECT}:8: 'stage' 不能是 'under-constrution' / 'stage' cannot be 'under-constrution'\n"
        "  hint: 是不是 'under-construction'？可选：negotiating, signed, under-construction, in-production",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_chain_or_project_mistake_names_file_line_and_fix(case, make_site, run):
    files, expected = CASES[case]
    site = site_with(make_site, **{"chain": files.get(CHAIN, CHAIN_TEXT), "project": files.get(PROJECT, PROJECT_TEXT)})
    code, _, err = run("check", "-s", str(site))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    code, _, err = run("build", "-s", str(site))
    assert code == 1 and "nothing was written" in err
    assert not (site / "build").exists()


def test_a_project_outside_the_parks_is_placed_by_city_and_totals_skip_unknown_amounts(make_site, run):
    outside = """\
---
name: {zh: 木地板项目, en: Wood flooring}
city: yantai
district: {zh: 某县, en: Some County}
stage: negotiating
source:
  publication: {zh: 中国新闻网, en: China News Service}
---
"""
    site = site_with(make_site, **{"content/projects/wood-flooring.md": outside})
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    zh = (site / "build/projects/index.html").read_text(encoding="utf-8")
    en = (site / "build/en/projects/index.html").read_text(encoding="utf-8")
    assert "共 2 个项目。" in zh and "其中 1 个写明投资额，合计 58亿元。" in zh and "1 个项目未写明投资额" in zh
    assert "2 projects." in en and "Those with a stated amount (1) total 5.8 billion yuan." in en
    assert "1 project without a stated amount" in en
    assert 'data-investment=""' in zh  # unknown stays unknown, never 0
    assert "某县" in zh and "Some County" in en
    assert "(signed 2020年4月" not in zh and "签约 2020年4月" in zh
    assert "signed April 2020" in en and "construction began 2021" in en


def test_the_chain_page_marks_gaps_leading_enterprises_and_links_every_park(make_site, run):
    site = site_with(make_site)
    assert run("build", "-s", str(site))[0] == 0
    zh = (site / "build/chains/software-chain/index.html").read_text(encoding="utf-8")
    en = (site / "build/en/chains/software-chain/index.html").read_text(encoding="utf-8")
    assert '<ol class="chain-tiers">' in zh
    assert "缺口：尚无园区承载这一环节" in zh and "Gap: no park hosts this link yet" in en
    assert '<span class="leading-mark">链主</span>' in zh
    assert '<a href="../../parks/qilu-software-park/">齐鲁软件园</a>' in zh
    assert "招商方向" in zh and "Application software companies" in en
    assert "5.8 billion yuan" in en
    park = (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert '<a href="../../chains/software-chain/#link-chips">芯片设计</a>' in park
    assert "云计算中心" in park


def test_downloads_carry_chains_projects_and_park_chains(make_site, run):
    formula = PROJECT_TEXT.replace("name: {zh: 云计算中心, en: Cloud centre}", 'name: {zh: "=1+1", en: "@cloud"}')
    site = site_with(make_site, project=formula)
    assert run("build", "-s", str(site))[0] == 0
    chains = json.loads((site / "build/data/chains.json").read_text(encoding="utf-8"))["chains"]
    link = chains[0]["tiers"][0]["links"][0]
    assert link["parks"] == ["qilu-software-park"] and link["projects"] == ["cloud-centre"]
    assert chains[0]["tiers"][1]["links"][0]["gap"] is True
    raw = (site / "build/data/projects.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["name_zh"] == "'=1+1" and rows[0]["name_en"] == "'@cloud"
    assert rows[0]["investment_yi_yuan"] == "58" and rows[0]["signed"] == "2020-04"
    geojson = json.loads((site / "build/data/parks.geojson").read_text(encoding="utf-8"))
    qilu = next(feature for feature in geojson["features"] if feature["id"] == "qilu-software-park")
    assert qilu["properties"]["chains"] == [{"chain": "software-chain", "links": ["chips"]}]


def test_chain_and_projects_pages_are_in_the_sitemap_and_search(make_site, run):
    site = site_with(make_site)
    assert run("build", "-s", str(site))[0] == 0
    sitemap = (site / "build/sitemap.xml").read_text(encoding="utf-8")
    for path in ("chains/", "chains/software-chain/", "projects/", "en/chains/software-chain/", "en/projects/"):
        assert f"<loc>https://parks.example.cn/alliance/{path}</loc>" in sitemap
    assert (site / "build/en/chains/index.html").is_file()
    records = {record.url: record for record in Renderer(*load_site(site, strict=False)[:3]).search_records()}
    chain = records["chains/software-chain/"]
    assert chain.title == "软件产业链" and "芯片设计" in chain.text and "某芯片公司" in chain.text
    assert "Chip design" in records["en/chains/software-chain/"].text


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (58, "58亿元", "5.8 billion yuan"),
        (265.92, "265.92亿元", "26.592 billion yuan"),
        (0.5, "0.5亿元", "50 million yuan"),
        (1500, "1500亿元", "150 billion yuan"),
    ],
)
def test_amounts_read_naturally_in_each_language(amount, zh, en):
    from sitegen.render.chains import format_amount

    assert format_amount(amount, "zh") == zh
    assert format_amount(amount, "en") == en


def test_new_chain_and_project_skeletons_say_what_is_still_to_fill_in(make_site, run):
    site = make_site()
    assert run("new", "chain", "fibre-chain", "-s", str(site))[0] == 0
    code, out, _ = run("new", "project", "fibre-park", "-s", str(site))
    assert code == 0 and "content/projects/fibre-park.md\n" in out and ".en.md" not in out
    assert not (site / "content/projects/fibre-park.en.md").exists()
    code, _, err = run("check", "-s", str(site))
    assert code == 1 and "Traceback" not in err
    assert "content/projects/fibre-park.md:16: 必填字段 'stage' 是空的" in err
    assert "content/chains/fibre-chain.md:5: 必填字段 'sectors' 是空的" in err
