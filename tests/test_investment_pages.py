"""Sites, costs, policies and the landing process on the pages an investor reads: the park page
with its sites (as of their dates), its costs (the city's, the park's own in their place), the
policies that apply and the numbered landing steps; city pages, the policies list and pages;
the sites as downloads; and the honest empty state."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import MINIMAL_SITE, read_site, write_site
from test_search import results

from sitegen.build import load_site
from sitegen.cli import main
from sitegen.content.config import Environment
from sitegen.render.pages import Renderer

DAY = "1780243200"
"""SOURCE_DATE_EPOCH of 2026-06-01, Beijing time."""

INVESTMENT_SITE = read_site("investment")
"""Costs, sites, policies and the landing steps, laid over the minimal site."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("investment") / "site", {**MINIMAL_SITE, **INVESTMENT_SITE})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DAY)
        assert main(["build", "-s", str(root)]) == 0
    return root / "build"


def read(build, path):
    return (build / path).read_text(encoding="utf-8")


def squeezed(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_park_page_shows_its_sites_with_their_dates_and_units(built):
    html = read(built, "parks/qilu-software-park/index.html")
    assert html.index('id="site-qilu-plot-a"') < html.index('id="site-qilu-factory-b"')  # available first
    zh, en = (
        squeezed(read(built, "parks/qilu-software-park/index.html")),
        squeezed(read(built, "en/parks/qilu-software-park/index.html")),
    )
    assert "软件园A地块 可供" in zh and "面积 50亩" in zh and "价格 30万元/亩" in zh and "截至2026年3月1日" in zh
    assert "投资强度 300万元/亩" in zh and "容积率 1.2" in zh
    assert "标准厂房B栋 已预留" in zh and "6,000㎡" in zh and "18元/㎡·月" in zh and "层高 9 米" in zh
    assert "Area 50 mu (3.33 ha)" in en and "Price 300,000 yuan/mu" in en and "as of 1 March 2026" in en
    assert "6,000 m²" in en and "18 yuan/m² per month" in en and "Power capacity 800 kVA" in en


def test_the_park_costs_are_its_citys_with_its_own_in_their_place(built):
    html = read(built, "parks/qilu-software-park/index.html")
    costs = squeezed(html[html.index('id="park-costs"') : html.index('id="park-policies"')])
    assert "工业电价 · 1–10千伏 · 高峰" in costs and "1.0123元/kWh" in costs
    assert "3.9元/吨" in costs and "园区数据" in costs and "4.6元/m³" not in costs
    assert "2,200元/月" in costs
    english = squeezed(read(built, "en/parks/qilu-software-park/index.html"))
    assert "Industrial electricity · 1–10 kV · peak" in english and "1.0123 yuan/kWh" in english
    assert "2,200 yuan/month" in english


def test_the_park_lists_the_policies_that_apply_and_none_past_their_end(built):
    html = read(built, "parks/qilu-software-park/index.html")
    policies = html[html.index('id="park-policies"') : html.index('id="park-landing"')]
    assert "济南落户奖励" in policies and "2024年1月1日至2027年12月31日" in policies
    assert "生物医药扶持" not in policies  # the park hosts no biomedicine
    yantai = read(built, "parks/yantai-biotech-park/index.html")
    assert "生物医药扶持" in yantai and "烟台过期补贴" not in yantai and "济南落户奖励" not in yantai


def test_the_landing_process_is_a_numbered_list_of_steps(built):
    html = read(built, "en/parks/qilu-software-park/index.html")
    steps = html[html.index('<ol class="timeline">') : html.index("</ol>", html.index('<ol class="timeline">'))]
    assert steps.count('<li class="timeline__step">') == 2
    assert "Screening" in steps and "The park checks the project against its positioning" in steps
    assert "within set time limits" in steps
    assert "Source: Jinan Daily (May 2020)" in squeezed(html)


def test_what_is_not_published_says_so_with_the_way_to_ask(make_site, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    html = read(site / "build", "parks/qilu-software-park/index.html")
    sites = html[html.index('id="park-sites"') : html.index('id="park-costs"')]
    assert '<p class="empty">尚未公布。<a href="#contact">请联系园区了解</a></p>' in sites
    assert '<a href="#contact">' in html and 'id="contact"' in html


def test_the_city_page_shows_its_costs(built):
    text = squeezed(read(built, "en/cities/jinan/index.html"))
    assert "Costs of doing business" in text and "4.6 yuan/m³" in text and "Jinan Water Bureau" in text
    assert "Not yet published." in squeezed(read(built, "en/cities/yantai/index.html"))


def test_the_policies_list_groups_current_policies_and_leaves_expired_ones_out(built):
    html = read(built, "policies/index.html")
    everywhere, jinan = html.index('id="group-everywhere">全部园区适用'), html.index('id="group-city-jinan">济南')
    assert everywhere < html.index("生物医药扶持") < jinan < html.index("济南落户奖励")
    assert "烟台过期补贴" not in html and 'id="group-city-yantai"' not in html
    assert 'data-sectors="biomedicine"' in html and 'data-cities="jinan"' in html
    assert '<option value="qilu-software-park" data-city="jinan" data-sectors="software">' in html


def test_a_policy_page_says_when_it_has_expired(built):
    expired = squeezed(read(built, "en/policies/yantai-expired/index.html"))
    assert "This policy expired on 31 December 2025" in expired
    current = squeezed(read(built, "en/policies/jinan-settling-grant/index.html"))
    assert "expired" not in current
    assert "Settling grant: 5,000,000 yuan (up to 100 million yuan)" in current
    assert "Document number 济政发〔2024〕1号" in current


def test_the_sites_download_as_csv_and_geojson(built):
    rows = list(csv.DictReader(io.StringIO((built / "data/sites.csv").read_text(encoding="utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["qilu-factory-b", "qilu-plot-a"]
    factory, plot = rows
    assert factory["name_en"] == "'=Factory B"  # never a formula in a spreadsheet
    assert (plot["area"], plot["area_unit"], plot["price"], plot["price_unit"]) == ("50", "亩", "30", "万元/亩")
    assert plot["verified"] == "2026-03-01" and plot["city"] == "jinan"
    features = json.loads((built / "data/sites.geojson").read_text(encoding="utf-8"))["features"]
    assert features[1]["geometry"]["coordinates"] == [117.134, 36.666]
    assert features[0]["properties"]["name_en"] == "=Factory B" and features[1]["properties"]["status"] == "available"


def test_search_finds_sites_on_their_park_page_and_current_policies(tmp_path):
    root = write_site(tmp_path / "site", {**MINIMAL_SITE, **INVESTMENT_SITE})
    site, theme, catalogue, _ = load_site(root, strict=False, environment=Environment(source_date_epoch=DAY))
    records = {record.url: record for record in Renderer(site, theme, catalogue).search_records()}
    plot = records["en/parks/qilu-software-park/#site-qilu-plot-a"]
    assert plot.kind == "site" and plot.title == "Plot A" and "Qilu Software Park" in plot.text
    assert records["policies/jinan-settling-grant/"].kind == "policy"
    assert "policies/yantai-expired/" not in records


@pytest.fixture(scope="module")
def built_url(built, serve_folder_for_module):
    return serve_folder_for_module(built)


@pytest.mark.browser
@pytest.mark.parametrize(
    "path, query, title",
    [
        ("en/search/", "Plot A", "Plot A"),
        ("search/", "软件园A地块", "软件园A地块"),
        ("search/", "标准厂房", "标准厂房B栋"),
    ],
)
def test_a_site_found_by_search_links_to_its_card_under_its_own_heading(reused_page, built_url, path, query, title):
    page = reused_page
    results(page, built_url, path, query)
    group = page.locator(".search-group", has=page.locator("h2", has_text=re.compile("Land and buildings|载体")))
    link = group.get_by_role("link", name=title, exact=True)
    href = link.get_attribute("href")
    prefix = "en/" if path.startswith("en/") else ""
    assert href.startswith(f"{built_url}{prefix}parks/qilu-software-park/#site-qilu-")
    park = "Qilu Software Park" if prefix else "齐鲁软件园"
    assert park in link.locator("xpath=..").inner_text()  # a site without a summary names its park
    assert page.console_errors == []
    link.click()  # the park page's map asks for tiles, which the test's browser refuses
    page.wait_for_url(href)
    card = page.locator(f"#{href.split('#')[1]}")
    assert card.is_visible() and title in card.inner_text()


@pytest.mark.browser
def test_a_park_is_listed_among_parks_only_when_its_own_text_matches(reused_page, built_url):
    page = reused_page
    results(page, built_url, "search/", "地块")  # in the plot's name only
    assert page.locator(".search-group h2").all_inner_texts() == ["载体 (1)"]
    results(page, built_url, "search/", "软件园A地块")  # the park's name is on both its sites' cards
    assert page.locator(".search-group h2").all_inner_texts() == ["园区 (1)", "载体 (2)"]
    assert page.locator(".search-group >> nth=1").locator("a").all_inner_texts() == ["软件园A地块", "标准厂房B栋"]
