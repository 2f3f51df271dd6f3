"""The default theme speaks for nobody: a site built with it names only itself, whoever it is;
the repository's alliance site says what it says through its own UI strings."""

from __future__ import annotations

from sitegen.build import load_site
from tests.conftest import MINIMAL_SITE, REPO

OTHER_ORGANISATION = {
    "content/site.yaml": MINIMAL_SITE["content/site.yaml"]
    .replace("测试园区联盟", "烟台市投资促进中心")
    .replace("Test Park Alliance", "Yantai Investment Promotion Centre")
    .replace("https://parks.example.cn/alliance/", "https://invest.example.cn/"),
    "content/parks/qilu-software-park.md": MINIMAL_SITE["content/parks/qilu-software-park.md"].replace(
        "level: national", "level: national\nalliance: {member: true, batch: 1}"
    ),
    "content/events/alliance-founding.md": None,
    "content/events/alliance-founding.en.md": None,
    "content/events/promotion-day.md": "---\ntitle: {zh: 招商推介会, en: Investment promotion}\ndate: 2020-09-20\n"
    "city: jinan\nkind: promotion\nparks: [qilu-software-park]\n---\n推介会。\n",
    "content/events/promotion-day.en.md": "A promotion.\n",
    "content/pages/about.md": "---\ntitle: {zh: 关于我们, en: About us}\nmenu: 1\n---\n介绍。\n",
    "content/pages/about.en.md": "About us.\n",
    "content/chains/software-chain.md": """\
        ---
        name: {zh: 软件产业链, en: Software chain}
        sectors: [software]
        tiers:
          - id: upstream
            name: {zh: 上游, en: Upstream}
            links:
              - id: chips
                name: {zh: 芯片, en: Chips}
        sources:
          - publication: {zh: 济南日报, en: Jinan Daily}
        ---
        概况。
        """,
    "content/chains/software-chain.en.md": "Overview.\n",
}
SOMEONE_ELSE = ("联盟", "青企", "峰会", "团省委", "alliance", "summit", "Summit")


def test_a_site_built_with_the_default_theme_names_nobody_but_itself(make_site, run):
    site = make_site(OTHER_ORGANISATION)
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    found = {}
    for file in sorted((site / "build").rglob("*")):
        if file.suffix in (".html", ".json", ".geojson", ".csv", ".xml", ".ics", ".txt"):
            text = file.read_text(encoding="utf-8-sig")
            named = [word for word in SOMEONE_ELSE if word in text]
            if named:
                found[file.relative_to(site / "build").as_posix()] = named
    assert found == {}
    members = (site / "build" / "members" / "index.html").read_text(encoding="utf-8")
    assert "成员园区" in members and "齐鲁软件园" in members


def test_the_repositorys_site_keeps_the_alliances_wording():
    catalogue = load_site(REPO, False)[2]
    assert catalogue.text("nav_members", "zh") == "联盟成员"
    assert "青企峰会产业园区联盟" in catalogue.text("members_intro", "zh")
    assert catalogue.text("contact_intro", "en").startswith(
        "To invest in a park or propose a project, contact the alliance"
    )
