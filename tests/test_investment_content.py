"""Sites, costs, policies and the landing process: each mistake an editor can make ends in one
exact message with file, line and hint, exit 1; stale facts are warnings that `check` prints."""

from __future__ import annotations

import pytest

SITE = "content/sites/plot-a.md"
POLICY = "content/policies/jinan-grant.md"
SOURCE = "source: {publication: {zh: 园区载体清单, en: The park's list of sites}}\n"


def site_file(*lines: str, kind: str = "land", park: str = "qilu-software-park") -> str:
    head = f"---\nname: {{zh: A地块, en: Plot A}}\npark: {park}\nkind: {kind}\n"
    return (
        head + "".join(line + "\n" for line in lines) + "status: available\nverified: 2025-03-01\n" + SOURCE + "---\n"
    )


def policy_file(*lines: str) -> str:
    head = "---\ntitle: {zh: 落户奖励, en: Settling grant}\nissuer: {zh: 济南市人民政府, en: Jinan}\n"
    return head + "".join(line + "\n" for line in lines) + "source: {publication: {zh: 济南日报}}\n---\n"


LAND_AREA_MU = "area: {value: 50, unit: 亩}"

CASES = {
    "area-without-unit": (
        {SITE: site_file("area: 50")},
        f"{SITE}:5: 'area' 的 50 没有写单位 / 'area' gives 50 without a unit\n"
        "  hint: 写上单位，例如 area: {value: 50, unit: 亩}（可用单位：亩, ㎡） / add the unit,"
        " e.g. area: {value: 50, unit: 亩} (units: 亩, ㎡)",
    ),
    "area-in-an-unknown-unit": (
        {SITE: site_file("area: {value: 50, unit: acres}")},
        f"{SITE}:5: 'area.unit' 的单位不能是 'acres' / 'area.unit' cannot be in 'acres'\n"
        "  hint: 可用单位：亩, ㎡ / use one of: 亩, ㎡",
    ),
    "land-measured-in-square-metres": (
        {SITE: site_file("area: 33335 m2")},
        f"{SITE}:5: 土地面积要以亩计，而不是 ㎡ / land is measured in 亩 (mu), not ㎡\n"
        "  hint: 1 亩 = 666.7 ㎡：写成 area: {value: 50, unit: 亩} / 1 亩 = 666.7 ㎡: write area: {value: 50, unit: 亩}",
    ),
    "building-measured-in-mu": (
        {SITE: site_file("area: {value: 3, unit: mu}", kind="standard-factory")},
        f"{SITE}:5: standard-factory 是建筑，面积要以 ㎡ 计，而不是 亩 / a standard-factory is a building,"
        " measured in ㎡, not 亩\n",
    ),
    "building-priced-per-mu": (
        {SITE: site_file("area: 2000 ㎡", "price: {value: 30, unit: 万元/亩}", kind="standard-factory")},
        f"{SITE}:6: 建筑的价格不能以 万元/亩 计 / a building cannot be priced in 万元/亩\n"
        "  hint: 可用单位：元/㎡·月, 元/㎡（售价或月租金），或写 price: 面议 / use 元/㎡·月, 元/㎡"
        " (sale or monthly rent), or write price: on request",
    ),
    "absurd-land-price": (
        {SITE: site_file(LAND_AREA_MU, "price: {value: 5000000, unit: 万元/亩}")},
        f"{SITE}:6: 'price' 的 5e+06 万元/亩 不合常理 / 'price' of 5e+06 万元/亩 cannot be right\n"
        "  hint: 以 万元/亩 计应不小于 0、不超过 2,000；检查数字和单位 / in 万元/亩 it must be at least 0 and"
        " at most 2,000; check the number and the unit",
    ),
    "negative-area": (
        {SITE: site_file("area: {value: -5, unit: 亩}")},
        f"{SITE}:5: 'area' 的 -5 亩 不合常理 / 'area' of -5 亩 cannot be right\n",
    ),
    "infinite-price": (
        {SITE: site_file(LAND_AREA_MU, "price: {value: .inf, unit: 万元/亩}")},
        f"{SITE}:6: 'price.value' 必须是有限的数字",
    ),
    "site-in-a-park-that-does-not-exist": (
        {SITE: site_file(LAND_AREA_MU, park="qilu-sofware-park")},
        f"{SITE}:3: park 指向的 'qilu-sofware-park' 不存在 / park names 'qilu-sofware-park', which does not exist\n"
        "  hint: 是不是 'qilu-software-park'？ / did you mean 'qilu-software-park'?",
    ),
    "verified-in-the-future": (
        {SITE: site_file(LAND_AREA_MU).replace("verified: 2025-03-01", "verified: 2099-01-01")},
        f"{SITE}:7: verified 日期 2099-01-01 还没有到 / the verified date 2099-01-01 is in the future\n",
    ),
    "site-without-verified": (
        {SITE: site_file(LAND_AREA_MU).replace("verified: 2025-03-01\n", "")},
        f"{SITE}:2: 缺少必填字段 'verified' / the required field 'verified' is missing\n",
    ),
    "building-specs-on-land": (
        {SITE: site_file(LAND_AREA_MU, "building: {floor_height: 9}")},
        f"{SITE}:6: 土地不写 building / land takes no building\n",
    ),
    "until-before-from": (
        {POLICY: policy_file("scope: {alliance: true}", "from: 2025-01-01", "until: 2024-12-31")},
        f"{POLICY}:6: until（2024-12-31）早于 from（2025-01-01） / until (2024-12-31) is before from (2025-01-01)\n"
        "  hint: 检查两个日期：until 是政策有效的最后一天 / check both dates: until is the last day it applies",
    ),
    "policy-for-a-park-that-does-not-exist": (
        {POLICY: policy_file("scope:", "  parks: [qilu-sofware-park]")},
        f"{POLICY}:5: scope.parks 指向的 'qilu-sofware-park' 不存在 / scope.parks names 'qilu-sofware-park',"
        " which does not exist\n",
    ),
    "policy-for-a-city-that-does-not-exist": (
        {POLICY: policy_file("scope: {cities: [jinnan]}")},
        f"{POLICY}:4: content/cities.yaml 里没有 'jinnan' / 'jinnan' is not an id in content/cities.yaml\n"
        "  hint: 是不是 'jinan'？ / did you mean 'jinan'?",
    ),
    "policy-for-a-sector-that-does-not-exist": (
        {POLICY: policy_file("scope: {sectors: [softwre]}")},
        f"{POLICY}:4: content/sectors.yaml 里没有 'softwre' / 'softwre' is not an id in content/sectors.yaml\n",
    ),
    "policy-without-scope": (
        {POLICY: policy_file("scope: {alliance: false}")},
        f"{POLICY}:4: scope 没有说明政策在哪里适用 / scope does not say where the policy applies\n",
    ),
    "cost-in-the-wrong-unit": (
        {
            "content/cities.yaml": "jinan:\n  zh: 济南\n  en: Jinan\n  centre: {lat: 36.651, lon: 117.120}\n"
            "  costs:\n    - {item: electricity, value: 0.7, unit: 元/吨, year: 2025, source: 国网山东省电力公司}\n"
            "yantai: {zh: 烟台, en: Yantai, centre: {lat: 37.463, lon: 121.448}}\n"
        },
        "content/cities.yaml:6: electricity 不能以 元/吨 计 / electricity cannot be given in 元/吨\n"
        "  hint: 可用单位：元/kWh / use one of: 元/kWh",
    ),
    "absurd-electricity-price": (
        {
            "content/parks/qilu-software-park.md": "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\n"
            "location: {lat: 36.666, lon: 117.134}\nsectors: [software]\ncosts:\n"
            "  - {item: electricity, value: 700, unit: 元/度, year: 2025, source: 国网}\n---\n"
        },
        "content/parks/qilu-software-park.md:7: electricity 的 700 元/kWh 不合常理 / electricity of 700 元/kWh"
        " cannot be right\n",
    ),
    "cost-given-twice": (
        {
            "content/parks/qilu-software-park.md": "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\n"
            "location: {lat: 36.666, lon: 117.134}\nsectors: [software]\ncosts:\n"
            "  - {item: minimum-wage, value: 2200, unit: 元/月, year: 2025, source: 山东省人社厅}\n"
            "  - {item: minimum-wage, value: 2100, unit: 元/月, year: 2025, source: 山东省人社厅}\n---\n"
        },
        "content/parks/qilu-software-park.md:8: minimum-wage 写了两次（第一次在第 7 行） / minimum-wage is given"
        " twice (first on line 7)\n",
    ),
    "landing-step-without-title": (
        {"content/landing.yaml": "steps:\n  - who: {zh: 园区运营方}\nsource: {publication: {zh: 济南日报}}\n"},
        "content/landing.yaml:2: 缺少必填字段 'steps.title' / the required field 'steps.title' is missing\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_prints_its_message_and_exits_1(case, make_site, run):
    files, expected = CASES[case]
    site = make_site(files)
    code, out, err = run("build", "-s", str(site))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert not (site / "build").exists()


@pytest.fixture
def on_day(monkeypatch):
    """Builds and checks as of 2026-06-01, Beijing time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780243200")


FRESHNESS = {
    SITE: site_file(LAND_AREA_MU).replace("verified: 2025-03-01", "verified: 2025-05-31"),
    POLICY: policy_file("scope: {alliance: true}", "until: 2026-07-15"),
    "content/policies/old-grant.md": policy_file("scope: {alliance: true}", "until: 2026-05-31").replace(
        "落户奖励", "旧奖励"
    ),
    "content/cities.yaml": "jinan:\n  zh: 济南\n  en: Jinan\n  centre: {lat: 36.651, lon: 117.120}\n"
    "  costs:\n    - {item: water, value: 4.5, unit: 元/m3, year: 2023, source: 济南水务}\n"
    "    - {item: minimum-wage, value: 2200, unit: 元/月, year: 2024, source: 山东省人社厅}\n"
    "yantai: {zh: 烟台, en: Yantai, centre: {lat: 37.463, lon: 121.448}}\n",
}


def test_check_says_what_is_due(on_day, make_site, run):
    site = make_site(FRESHNESS)
    code, _, err = run("check", "-s", str(site))
    assert code == 0
    assert (
        f"{SITE}:7: warning: 这个载体自 2025-05-31 以来没有再确认过，已超过 12 个月 / this site has not been"
        " confirmed since 2025-05-31, more than 12 months ago"
    ) in err
    assert f"{POLICY}:5: warning: 政策将于 2026-07-15 到期（还有 44 天） / the policy expires on 2026-07-15" in err
    assert "content/policies/old-grant.md:5: warning: 政策已于 2026-05-31 到期，不再出现在列表里" in err
    assert (
        "content/cities.yaml:1: warning: 这些要素成本已超过 2 年：water / these costs are more than 2 years old: water"
    ) in err
    assert "minimum-wage" not in err


def test_a_fresh_site_and_policy_raise_no_warning(on_day, make_site, run):
    site = make_site(
        {
            SITE: site_file(LAND_AREA_MU).replace("verified: 2025-03-01", "verified: 2025-06-01"),
            POLICY: policy_file("scope: {alliance: true}", "until: 2026-08-01"),
        }
    )
    code, _, err = run("check", "-s", str(site))
    assert code == 0
    assert "没有再确认" not in err and "到期" not in err


def test_new_site_and_policy_skeletons_say_what_is_still_to_fill_in(make_site, run):
    site = make_site()
    code, out, _ = run("new", "site", "plot-c", "-s", str(site))
    assert code == 0 and "content/sites/plot-c.md\n" in out and not (site / "content/sites/plot-c.en.md").exists()
    assert run("new", "policy", "grant", "-s", str(site))[0] == 0
    code, _, err = run("check", "-s", str(site))
    assert code == 1 and "Traceback" not in err
    assert "content/sites/plot-c.md:9: 必填字段 'area' 是空的 / the required field 'area' is empty" in err
    assert "content/sites/plot-c.md:16: 必填字段 'verified' 是空的" in err
    assert "content/policies/grant.md:10: 必填字段 'scope' 是空的" in err
