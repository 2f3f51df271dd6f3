"""Base tiles per language from site.yaml: the provider, its key, and its approval number."""

from __future__ import annotations

import json

import pytest
from conftest import MINIMAL_SITE

SITE = MINIMAL_SITE["content/site.yaml"]


def map_page(site, lang: str = "zh") -> str:
    return (site / "build" / ("en/" if lang == "en" else "") / "map/index.html").read_text(encoding="utf-8")


def test_without_a_tianditu_key_the_map_uses_gaode_and_shifts_to_gcj02(make_site, run, monkeypatch):
    monkeypatch.delenv("SITEGEN_TIANDITU_KEY", raising=False)
    site = make_site({"content/site.yaml": SITE.split("map:")[0]})
    code, _, err = run("build", "-s", str(site))
    assert code == 0
    assert "webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn" in map_page(site).replace("\\u0026", "&")
    assert "lang=en" in map_page(site, "en")
    assert "no map approval number (审图号) is set for gaode tiles" in err


def test_a_tianditu_key_from_the_environment_switches_both_languages_to_tianditu(make_site, run, monkeypatch):
    monkeypatch.setenv("SITEGEN_TIANDITU_KEY", "0123456789abcdef0123456789abcdef")
    site = make_site({"content/site.yaml": SITE.split("map:")[0]})
    assert run("build", "-s", str(site))[0] == 0
    assert "t{s}.tianditu.gov.cn/cva_w/wmts" in map_page(site)
    assert "t{s}.tianditu.gov.cn/eva_w/wmts" in map_page(site, "en")
    assert "tk=0123456789abcdef0123456789abcdef" in map_page(site)


def test_approval_number_is_shown_with_the_attribution(make_site, run, monkeypatch):
    monkeypatch.delenv("SITEGEN_TIANDITU_KEY", raising=False)
    site = make_site()
    code, _, err = run("build", "-s", str(site))
    assert code == 0 and "审图号" not in err
    assert json.dumps("高德地图 | 审图号：GS(2099)0001号") in map_page(site)  # folium writes \\u escapes
    assert json.dumps("AutoNavi (Gaode) | Map approval No. GS(2099)0001号") in map_page(site, "en")


@pytest.mark.parametrize("tiles", ["tianditu", "{zh: tianditu, en: openstreetmap}"])
def test_tianditu_without_a_key_is_an_error_with_the_fix(make_site, run, monkeypatch, tiles):
    monkeypatch.delenv("SITEGEN_TIANDITU_KEY", raising=False)
    site = make_site({"content/site.yaml": SITE.split("map:")[0] + f"map:\n  tiles: {tiles}\n"})
    code, _, err = run("build", "-s", str(site))
    assert code == 1
    assert "content/site.yaml: 使用天地图底图需要浏览器端 key / Tianditu tiles need a browser key" in err
    assert "SITEGEN_TIANDITU_KEY" in err


def test_an_unknown_provider_is_refused_with_the_choices(make_site, run):
    site = make_site({"content/site.yaml": SITE.replace("tiles: gaode", "tiles: google")})
    code, _, err = run("build", "-s", str(site))
    assert code == 1
    assert "content/site.yaml:9: 'map.tiles' 不能是 'google' / 'map.tiles' cannot be 'google'" in err
