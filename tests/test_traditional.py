"""The optional Traditional Chinese site, converted phrase by phrase from the Simplified pages."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_SITE
from links import broken_links


@pytest.fixture
def built(make_site, run):
    site_yaml = MINIMAL_SITE["content/site.yaml"] + "traditional_chinese: true\n"
    site = make_site({"content/site.yaml": site_yaml})
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert "in 3 languages" in out
    return site / "build"


def test_traditional_pages_live_under_zh_hant_in_traditional_characters(built):
    page = (built / "zh-hant/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant" class="no-js">' in page
    assert "<h1>齊魯軟件園</h1>" in page  # a proper name keeps its mainland wording
    assert "齊魯軟件園位於濟南高新區，是軟件產業基地。" in page
    assert "齐鲁" not in page.split("<body>")[1].split("<script>")[0]


def test_traditional_pages_link_among_themselves_and_switch_to_both_other_languages(built):
    page = (built / "zh-hant/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert 'href="../../../zh-hant/parks/"' in page
    assert ">簡體中文</a>" in page  # the switcher, like the rest of the page, reads in Traditional
    assert 'href="../../../parks/qilu-software-park/" hreflang="zh-CN"' in page
    assert 'href="../../../en/parks/qilu-software-park/" hreflang="en"' in page
    assert broken_links(built) == []


def test_every_page_lists_the_traditional_alternate(built):
    simplified = (built / "parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" hreflang="zh-Hant" '
        'href="https://parks.example.cn/alliance/zh-hant/parks/qilu-software-park/">'
    ) in simplified
    assert ">繁體中文</a>" in simplified and ">English</a>" in simplified
    assert "zh-hant/parks/qilu-software-park/" in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_without_the_setting_there_is_no_traditional_site(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    assert not (site / "build/zh-hant").exists()
    assert "zh-Hant" not in (site / "build/index.html").read_text(encoding="utf-8")
