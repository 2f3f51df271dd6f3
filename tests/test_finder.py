"""The site finder, the compare page and the locator map as built: the finder's rows carry what
its filters read, a park without sites says so with its contact, the map without tiles names
the cities and draws no boundary, and park brochures hold sites, costs, policies and a contact."""

from __future__ import annotations

import re

import pytest
from conftest import MINIMAL_SITE, write_site
from test_investment_pages import DAY, INVESTMENT_SITE

from sitegen.build import load_site
from sitegen.cli import main
from sitegen.content.config import Environment
from sitegen.content.model import PolicyScope
from sitegen.render import locator
from sitegen.render.brochures import Printer
from sitegen.render.pages import Renderer
from sitegen.render.urls import RESERVED_SLUGS


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("finder") / "site", {**MINIMAL_SITE, **INVESTMENT_SITE})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DAY)
        assert main(["build", "-s", str(root)]) == 0
    return root


def read(root, path):
    return (root / "build" / path).read_text(encoding="utf-8")


def park_block(html, slug, up="../"):
    """The finder's <li class="fp"> of one park; `up` leads from the page to the parks of its language."""
    start = html.index(f'<a href="{up}parks/{slug}/">')
    ends = [found for found in (html.find('<li class="fp"', start), html.find("</section>", start)) if found > 0]
    return html[html.rindex('<li class="fp"', 0, start) : min(ends)]


def test_the_finder_lists_each_available_site_under_its_city_and_park_with_what_the_filters_read(root):
    html = read(root, "find/index.html")
    assert html.index('data-c="jinan"') < html.index('data-c="yantai"')  # cities in the order of cities.yaml
    qilu = park_block(html, "qilu-software-park")
    rows = re.findall(r"<li data-k[^>]*>", qilu)
    assert rows == ['<li data-k="land" data-a="50" data-p="30">']  # reserved factory B is left out
    assert '<a href="../parks/qilu-software-park/#site-qilu-plot-a">软件园A地块</a>' in qilu
    assert "<b>50亩</b> <b>30万元/亩</b>" in qilu
    assert 'href="tel:053188888888"' in qilu and 'data-cmp="qilu-software-park"' in qilu
    english = park_block(read(root, "en/find/index.html"), "qilu-software-park", "../../en/")
    assert "<b>50 mu (3.33 ha)</b> <b>300,000 yuan/mu</b>" in english


def test_a_park_without_sites_says_they_are_not_yet_published_and_how_to_ask(root):
    yantai = park_block(read(root, "find/index.html"), "yantai-biotech-park")
    assert "<li data-k" not in yantai
    assert '载体尚未公布。<a href="../parks/yantai-biotech-park/#contact">请联系园区了解</a>' in yantai
    english = park_block(read(root, "en/find/index.html"), "yantai-biotech-park", "../../en/")
    assert "Sites not yet published." in english


def test_the_finder_shows_its_city_costs_and_the_policies_that_apply(root):
    html = read(root, "find/index.html")
    assert "最低工资标准：2,200元/月 (2025)" in html
    assert '<a href="../parks/qilu-software-park/#park-policies">1项适用政策</a>' in html


def test_the_finder_and_compare_pages_are_reached_from_home_menu_and_park_pages(root):
    home = read(root, "index.html")
    assert home.count('href="find/"') >= 2  # the menu and the home page's button
    park = read(root, "en/parks/qilu-software-park/index.html")
    assert 'href="../../../en/find/?city=jinan"' in park and 'data-cmp="qilu-software-park"' in park
    assert 'href="../../../en/compare/" data-compare-go' in park
    assert {"find", "compare"} <= RESERVED_SLUGS


def test_without_a_script_the_compare_page_explains_and_links_every_park(root):
    html = read(root, "compare/index.html")
    assert "需要启用JavaScript" in html
    for slug in ("qilu-software-park", "yantai-biotech-park"):
        assert f'<a href="../parks/{slug}/">' in html
    assert 'data-parks="../parks/"' in html


def test_the_locator_map_names_every_city_marks_the_park_and_draws_no_boundary(root):
    site = load_site(root, strict=False, environment=Environment(source_date_epoch=DAY))[0]
    park = site.park("qilu-software-park")
    svg = str(locator.locator_svg(site.cities, site.parks, "en", "Where it lies", park))
    assert ">Jinan</text>" in svg and ">Yantai</text>" in svg and ">Qilu Software Park</text>" in svg
    assert not re.search(r"<(polygon|polyline|line)\b", svg)
    assert svg.count("<path") == 2  # the scale bar and the north arrow, nothing else
    for x, y in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg):
        assert 0 < float(x) < locator.WIDTH and 0 < float(y) < locator.HEIGHT


def test_every_map_page_carries_the_sketch_its_script_lays_under_the_pins_when_tiles_fail(root):
    for page in ("map/index.html", "parks/qilu-software-park/index.html", "en/cities/jinan/index.html"):
        html = read(root, page)
        sketch = html[html.index("<template data-sitegen-map-fallback>") :]
        assert sketch.index('<svg class="locator"') < sketch.index("</template>")
        assert 'data-bounds="34.3 114.6 38.5 122.8"' in sketch
    assert "济南</text>" in read(root, "map/index.html")


@pytest.fixture(scope="module")
def brochures(root):
    return brochures_of(root)


def brochures_of(root):
    """The park brochures' HTML as WeasyPrint would get it, in both languages."""
    site, theme, catalogue, _ = load_site(root, strict=False, environment=Environment(source_date_epoch=DAY))
    renderer = Renderer(site, theme, catalogue)
    drawn = {}
    for park in site.parks:
        for lang in ("zh", "en"):
            values = {
                "park": park,
                "parent": None,
                "children": [],
                "page_url": "https://parks.example.cn/",
                "qr_code": "",
                "printer": Printer(family="sans-serif", identity=""),
            }
            drawn[park.slug, lang] = renderer.render_document("brochure/park.html", lang, values)
    return drawn


def test_a_park_brochure_holds_its_sites_costs_policies_map_and_contact(brochures):
    html = brochures["qilu-software-park", "zh"]
    assert "软件园A地块" in html and "50亩" in html and "标准厂房B栋" not in html  # available sites only
    assert "3.9元/吨" in html and "1.0123元/kWh" in html  # the park's own water price, the city's power
    assert "济南落户奖励" in html
    assert '<svg class="locator"' in html and "齐鲁软件园</text>" in html
    assert "0531-88888888" in html
    assert "2.</strong> 三方协议" in html


def policy_file(slug: str, zh: str, en: str, scope: str) -> dict[str, str]:
    return {
        f"content/policies/{slug}.md": (
            f"---\ntitle: {{zh: {zh}, en: {en}}}\nissuer: {{zh: 青企峰会办公室, en: Summit office}}\n"
            f"scope: {scope}\nsource: {{publication: {{zh: 济南日报}}}}\n---\n"
        )
    }


def policies_site(tmp_path, alliance_wide: int, more: dict[str, str] | None = None):
    """The investment site with a policy of Qilu's own and `alliance_wide` policies of every
    park, and the `more` files."""
    files = {
        **MINIMAL_SITE,
        **INVESTMENT_SITE,
        **policy_file("qilu-rent", "齐鲁房租补贴", "Qilu rent help", "{parks: [qilu-software-park]}"),
        **(more or {}),
    }
    for number in range(alliance_wide):
        files |= policy_file(
            f"alliance-{number:02}", f"联盟政策{number:02}", f"Alliance policy {number:02}", "{alliance: true}"
        )
    return brochures_of(write_site(tmp_path / f"site-{alliance_wide}-{len(files)}", files))


def listed_policies(html: str) -> list[str]:
    return re.findall(r"<li><strong>([^<]+)</strong>", html[html.index('class="plain policies"') :])


def test_a_brochure_prints_the_8_narrowest_policies_and_counts_the_rest(tmp_path):
    drawn = policies_site(tmp_path, alliance_wide=12)  # Qilu: its own, Jinan's, 12 of the alliance
    html = drawn["qilu-software-park", "zh"]
    assert listed_policies(html) == ["齐鲁房租补贴", "济南落户奖励", *(f"联盟政策{number:02}" for number in range(6))]
    assert "另有 6 项适用政策，见本园区网页。" in html
    assert "6 more policies apply: see the park&#39;s web page." in drawn["qilu-software-park", "en"]


def test_a_park_added_elsewhere_reorders_no_other_parks_brochure(tmp_path):
    """A brochure a build keeps must still be the one it would print: the order of its policies
    may not depend on how many parks each covers, which a park elsewhere changes."""
    both_parks = policy_file(
        "two-parks", "两园共享政策", "Two parks' policy", "{parks: [qilu-software-park, yantai-biotech-park]}"
    )
    qilu = MINIMAL_SITE["content/parks/qilu-software-park.md"]
    in_jinan = {
        f"content/parks/jinan-park-{number}.md": qilu.replace("齐鲁软件园", f"济南第{number}园区").replace(
            "Qilu Software Park", f"Jinan Park {number}"
        )
        for number in (2, 3)
    }
    before = policies_site(tmp_path, 12, both_parks)["qilu-software-park", "zh"]
    after = policies_site(tmp_path, 12, both_parks | in_jinan)  # Jinan's policy now covers 3 parks, not 1
    assert ("jinan-park-3", "zh") in after
    assert listed_policies(after["qilu-software-park", "zh"]) == listed_policies(before)
    assert listed_policies(before)[:3] == ["齐鲁房租补贴", "两园共享政策", "济南落户奖励"]


def test_a_policy_reaches_further_the_more_places_it_covers():
    order = [
        PolicyScope(parks=("qilu",), sectors=("software",)),
        PolicyScope(parks=("qilu",)),
        PolicyScope(cities=("jinan",), sectors=("software",)),
        PolicyScope(cities=("jinan",), parks=("qilu",)),
        PolicyScope(sectors=("software",)),
        PolicyScope(alliance=True, sectors=("software",)),
        PolicyScope(alliance=True, cities=("jinan",)),
        PolicyScope(),
    ]
    reaches = [scope.reach for scope in order]
    assert reaches == sorted(reaches)
    assert reaches[0] < reaches[1] < reaches[2] < reaches[3] < reaches[4] == reaches[5] < reaches[6] == reaches[7]


def test_a_brochure_prints_a_ninth_policy_rather_than_counting_one(tmp_path):
    html = policies_site(tmp_path, alliance_wide=7)["qilu-software-park", "en"]
    assert len(listed_policies(html)) == 9 and "more polic" not in html


def test_a_brochure_without_any_contact_says_so_instead_of_pointing_to_an_empty_office(tmp_path):
    site_yaml = MINIMAL_SITE["content/site.yaml"]
    unreachable = re.sub(r"\n  phone: .*\n  email: .*\n", "\n", site_yaml)
    assert unreachable != site_yaml
    root = write_site(tmp_path / "site", {**MINIMAL_SITE, **INVESTMENT_SITE, "content/site.yaml": unreachable})
    html = brochures_of(root)["yantai-biotech-park", "zh"]
    contact = html[html.index("招商联系") :]
    assert "尚未公布联系电话和邮箱" in contact and "转达" not in contact


def test_a_brochure_with_little_data_says_what_is_not_published_and_whom_to_ask(brochures):
    html = brochures["yantai-biotech-park", "en"]
    assert "Sites not yet published." in html
    assert html.count("Not yet published.") == 1  # no costs for Yantai; a policy for biomedicine applies
    assert "Help for biomedicine" in html
    assert "will pass your enquiry on" in html  # the alliance office's contact in place of the park's
    assert ">Shandong International Biotech Park</text>" in html
