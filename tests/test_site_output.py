"""What a reader gets: the pages of a small bilingual site, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


@pytest.fixture
def built(make_site, run) -> Path:
    site = make_site()
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert re.fullmatch(
        r"built \d+ pages in 2 languages \(\d+ files, \d+ changed\), 1 warning\(s\), \d+\.\d\d s\n", out
    )
    return site / "build"


def read(build: Path, path: str) -> str:
    return (build / path).read_text(encoding="utf-8")


def test_chinese_at_the_root_and_english_under_en(built):
    zh = read(built, "parks/qilu-software-park/index.html")
    en = read(built, "en/parks/qilu-software-park/index.html")
    assert '<html lang="zh-CN" class="no-js">' in zh and "<h1>齐鲁软件园</h1>" in zh
    assert '<html lang="en" class="no-js">' in en and "<h1>Qilu Software Park</h1>" in en


def test_every_page_has_canonical_hreflang_and_a_switcher_to_its_counterpart(built):
    en = read(built, "en/parks/qilu-software-park/index.html")
    base = "https://parks.example.cn/alliance/"
    assert f'<link rel="canonical" href="{base}en/parks/qilu-software-park/">' in en
    assert f'<link rel="alternate" hreflang="zh-CN" href="{base}parks/qilu-software-park/">' in en
    assert f'<link rel="alternate" hreflang="en" href="{base}en/parks/qilu-software-park/">' in en
    assert f'<link rel="alternate" hreflang="x-default" href="{base}parks/qilu-software-park/">' in en
    assert 'class="language-switch" href="../../../parks/qilu-software-park/" hreflang="zh-CN"' in en
    zh = read(built, "sectors/software/index.html")
    assert 'class="language-switch" href="../../en/sectors/software/" hreflang="en"' in zh


def test_english_page_without_english_body_says_the_text_is_in_preparation(built):
    en = read(built, "en/parks/yantai-biotech-park/index.html")
    assert "<h1>Shandong International Biotech Park</h1>" in en
    assert "The full English text is in preparation." in en
    assert '<details class="original-text" lang="zh-CN">' in en
    translated = read(built, "en/parks/qilu-software-park/index.html")
    assert "in preparation" not in translated


def test_english_front_matter_overrides_the_english_summary(built):
    en = read(built, "en/parks/qilu-software-park/index.html")
    assert "A software park inside Jinan High-tech Zone" in en
    assert "济南高新区内的软件园" in read(built, "parks/qilu-software-park/index.html")


def test_chinese_text_shown_on_an_english_page_is_marked_as_chinese(make_site, run):
    site = make_site(
        {
            "content/parks/yantai-biotech-park.md": """\
        ---
        name: {zh: 山东国际生物科技园, en: Shandong International Biotech Park}
        city: yantai
        location: {lat: 37.44, lon: 121.59}
        sectors: [biomedicine]
        summary: {zh: 只有中文的简介}
        ---
        """
        }
    )
    assert run("build", "-s", str(site))[0] == 0
    en = read(site / "build", "en/parks/yantai-biotech-park/index.html")
    assert '<p class="lead"><span lang="zh-CN">只有中文的简介</span></p>' in en


def test_park_profile_shows_facts_figures_with_source_and_year_and_related_parks(built):
    zh = read(built, "parks/qilu-software-park/index.html")
    assert (
        '<th scope="row">签约项目</th><td class="number" data-label="数值">36 个</td>'
        '<td data-label="年份">2020</td><td data-label="来源">济南日报</td>'
    ) in zh
    assert "国家级" in zh and "产业园" in zh
    assert 'href="../../parks/yantai-biotech-park/"' in zh  # child park
    assert 'href="../../events/alliance-founding/"' in zh  # related event
    child = read(built, "en/parks/yantai-biotech-park/index.html")
    assert (
        '<th scope="row">Part of</th><td><a href="../../../en/parks/qilu-software-park/">Qilu Software Park</a>'
        in child
    )


def test_markdown_joins_chinese_lines_and_gives_headings_ids(built):
    zh = read(built, "parks/qilu-software-park/index.html")
    assert "齐鲁软件园位于济南高新区，是软件产业基地。" in zh
    assert '<h2 id="产业">产业</h2>' in zh


def test_home_counts_come_from_content_and_say_what_they_count(built):
    zh = read(built, "index.html")
    listed = zh.split('<span class="key-figure__value">2</span>', 1)[1].split("</li>", 1)[0]
    assert "本站收录园区" in listed and "分布在 2 个市；收录不等于成员" in listed
    assert "首批" not in zh  # the minimal site states no membership figure, so none is shown


def test_contact_is_on_every_park_page_and_has_a_page_of_its_own(built):
    zh = read(built, "parks/qilu-software-park/index.html")
    block = zh.split('<section class="contact-block" id="contact"', 1)[1].split("</section>", 1)[0]
    assert 'href="tel:053100000000"' in block  # the office's, as the park has none of its own
    assert 'href="mailto:invest@parks.example.cn?subject=%E6%8A%95%E8%B5%84%E5%92%A8%E8%AF%A2%EF%BC%9A' in block
    assert "由测试办公室转达" in block
    en = read(built, "en/contact/index.html")
    assert "<h1>Contact</h1>" in en and 'action="mailto:invest@parks.example.cn"' in en
    assert '<a href="../../contact/" aria-current="page">' not in en


def test_park_list_can_be_filtered_and_lists_every_park_without_javascript(built):
    en = read(built, "en/parks/index.html")
    assert '<form class="filters" data-park-filter data-needs-js>' in en
    assert en.count('<li class="park-card"') == 2
    assert 'data-sectors="biomedicine software" data-city="yantai" data-level="unknown"' in en
    assert '<script src="../../static/js/park-filter.js?v=' in en


def test_events_are_split_into_upcoming_and_past(built):
    zh = read(built, "events/index.html")
    upcoming, past = zh.split("往期活动")
    assert "产业园区联盟成立仪式" in past and "产业园区联盟成立仪式" not in upcoming
    assert "2020年9月20日" in past
    assert "20 September 2020" in read(built, "en/events/index.html")


def test_footer_links_the_filing_numbers(built):
    zh = read(built, "index.html")
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">鲁ICP备00000000号-1</a>' in zh
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=37010202000001"' in zh


def test_free_page_is_in_the_menu(built):
    assert '<a href="../en/about/">About the alliance</a>' in read(built, "en/index.html")


def test_not_found_page_links_from_the_site_root(built):
    page = read(built, "404.html")
    assert '<a href="/alliance/">返回首页</a>' in page
    assert '<a href="/alliance/en/">Go to the home page</a>' in page


def test_raw_html_in_bodies_is_sanitised_unless_allowed(make_site, run):
    body = '<script>alert(1)</script><a href="https://example.org/" onclick="x()">link</a><b>bold</b>\n'
    site = make_site({"content/pages/about.en.md": body})
    assert run("build", "-s", str(site))[0] == 0
    page = read(site / "build", "en/about/index.html")
    assert "<script>alert" not in page and "onclick" not in page
    assert "<b>bold</b>" in page

    site_yaml = read(site, "content/site.yaml") + "allow_raw_html: true\n"
    allowed = make_site({"content/pages/about.en.md": body, "content/site.yaml": site_yaml})
    assert run("build", "-s", str(allowed))[0] == 0
    assert '<a href="https://example.org/" onclick="x()">' in read(allowed / "build", "en/about/index.html")


def test_a_script_in_a_park_name_is_escaped(make_site, run):
    site = make_site(
        {
            "content/parks/yantai-biotech-park.md": """\
        ---
        name: {zh: "<script>alert(1)</script>园区", en: "<b>Park</b>"}
        city: yantai
        location: {lat: 37.44, lon: 121.59}
        sectors: [biomedicine]
        ---
        """
        }
    )
    assert run("build", "-s", str(site))[0] == 0
    zh = read(site / "build", "parks/yantai-biotech-park/index.html")
    assert "<script>alert(1)" not in zh and "&lt;script&gt;alert(1)&lt;/script&gt;园区" in zh


def test_utf8_with_bom_and_crlf_gives_the_same_site(make_site, run, tmp_path):
    plain = make_site()
    assert run("build", "-s", str(plain))[0] == 0
    park = plain / "content/parks/qilu-software-park.md"
    windows = tmp_path / "windows"
    import shutil

    shutil.copytree(plain / "content", windows / "content")
    text = park.read_text(encoding="utf-8")
    (windows / "content/parks/qilu-software-park.md").write_bytes(
        "\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8")
    )
    assert run("build", "-s", str(windows))[0] == 0
    for page in ("parks/qilu-software-park/index.html", "en/parks/qilu-software-park/index.html"):
        assert (windows / "build" / page).read_bytes() == (plain / "build" / page).read_bytes()


def test_other_sector_and_city_ids_work(make_site, run):
    site = make_site(
        {
            "content/sectors.yaml": 'aerospace: {zh: 航空航天, en: Aerospace, colour: "#6a1b9a"}\n',
            "content/cities.yaml": "weihai: {zh: 威海, en: Weihai, centre: {lat: 37.513, lon: 122.121}}\n",
            "content/parks/qilu-software-park.md": "---\nname: {zh: 威海园区, en: Weihai Park}\ncity: weihai\n"
            "location: {lat: 37.5, lon: 122.1}\nsectors: [aerospace]\n---\n",
            "content/parks/qilu-software-park.en.md": "Weihai.\n",
            "content/parks/yantai-biotech-park.md": None,
            "content/events/alliance-founding.md": "---\ntitle: {zh: 活动, en: Event}\ndate: 2021-05-01\ncity: weihai\n---\n",
        }
    )
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    assert "航空航天" in read(site / "build", "sectors/aerospace/index.html")
    assert "Weihai Park" in read(site / "build", "en/cities/weihai/index.html")
