"""The same park entered twice is flagged, naming both files: the same name in either language,
or nearly the same name a few hundred metres apart. The guides' own examples add a new park."""

from __future__ import annotations

import re

import pytest

from sitegen.build import load_site
from sitegen.content.duplicates import chinese_core, english_core
from tests.conftest import REPO

WEIHAI_TORCH = """\
---
name: {{zh: {zh}, en: {en}}}
city: jinan
location: {{lat: {lat}, lon: {lon}}}
sectors: [software]
---
"""


def park(zh: str, en: str, lat: float = 36.7, lon: float = 117.2, parent: str = "") -> str:
    text = WEIHAI_TORCH.format(zh=zh, en=en, lat=lat, lon=lon)
    return text.replace("sectors:", f"parent: {parent}\nsectors:") if parent else text


def duplicate_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "same park" in line]


def test_the_same_chinese_name_far_apart_is_flagged_naming_both_files(make_site, run):
    site = make_site({"content/parks/qilu-copy.md": park("齐鲁 软件园", "Another name", lat=36.2, lon=117.8)})
    code, _, err = run("check", "-s", str(site))
    assert code == 0, err
    assert duplicate_warnings(err) == [
        "content/parks/qilu-software-park.md:2: warning: 可能和 content/parks/qilu-copy.md 是同一个园区：名称相同"
        "（齐鲁 软件园） / this may be the same park as content/parks/qilu-copy.md: the same name (齐鲁 软件园)"
    ]
    assert "hint: 同一个园区只保留一个文件" in err
    assert run("check", "-s", str(site), "--strict")[0] == 1


def test_the_same_english_name_in_other_case_and_spacing_is_flagged(make_site, run):
    site = make_site({"content/parks/zz-second.md": park("另一个名字", "qilu  software PARK", lat=36.2, lon=117.8)})
    (warning,) = duplicate_warnings(run("check", "-s", str(site))[2])
    assert warning.startswith("content/parks/zz-second.md:2: warning: 可能和 content/parks/qilu-software-park.md")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("威海火炬高技术产业开发区", "Weihai Torch Hi-tech Zone"), ("威海市 火炬高新区", "Torch Park Weihai")),
        (("山东济北经济开发区", "Jibei Zone"), ("济北开发区", "North Jinan Economic Development Zone")),
        (("少海汇产业园", "Shaohaihui Park"), ("某某住居园", "Shaohaihui Industrial Park")),
    ],
)
def test_nearly_the_same_name_a_few_hundred_metres_apart_is_flagged(make_site, run, first, second):
    site = make_site(
        {
            "content/parks/a-first.md": park(*first, lat=37.45, lon=122.12),
            "content/parks/b-second.md": park(*second, lat=37.4515, lon=122.1210),
        }
    )
    (warning,) = duplicate_warnings(run("check", "-s", str(site))[2])
    assert warning.startswith("content/parks/b-second.md:2: warning: 可能和 content/parks/a-first.md 是同一个园区")
    assert "m apart" in warning


def test_nearly_the_same_name_kilometres_apart_or_a_park_within_it_is_not_flagged(make_site, run):
    site = make_site(
        {
            "content/parks/a-first.md": park("济南高新区", "Jinan Hi-tech Zone", lat=36.68, lon=117.13),
            "content/parks/b-second.md": park("济南经济开发区", "Jinan Development Zone", lat=36.60, lon=116.90),
            "content/parks/c-inner.md": park(
                "济南高新技术产业园", "Jinan High-tech Park", lat=36.681, lon=117.131, parent="a-first"
            ),
        }
    )
    assert duplicate_warnings(run("check", "-s", str(site))[2]) == []


def test_the_repositorys_parks_have_no_likely_duplicate():
    problems = load_site(REPO, False)[3]
    assert [problem.format() for problem in problems.items if "same park" in problem.message] == []


GUIDES = ("docs/editing.md", "docs/editing.en.md", "README.md")


@pytest.mark.parametrize("guide", GUIDES)
def test_the_guides_example_park_does_not_exist_yet(guide):
    text = (REPO / guide).read_text(encoding="utf-8")
    slugs = set(re.findall(r"sitegen new park ([a-z0-9-]+)", text))
    names = re.findall(r"name: \{zh: ([^,]+), en: ([^}]+)\}", text)
    chinese_names = re.findall(r"sitegen new park ([^\sa-z0-9`]+)", text)
    assert slugs and chinese_names
    site = load_site(REPO, False)[0]
    assert slugs.isdisjoint(park.slug for park in site.parks)
    cores = {chinese_core(park.name.zh) for park in site.parks}
    english = {english_core(park.name.en) for park in site.parks}
    for zh, en in names:
        assert chinese_core(zh) not in cores and english_core(en) not in english, (zh, en)
    for zh in chinese_names:
        assert chinese_core(zh) not in cores, zh
