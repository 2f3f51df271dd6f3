"""Built pages load nothing from outside the site but map tiles: no CDN, no absolute asset URL.

Every URL written in a built .html, .js or .css file is checked by host. Allowed: the
configured tile servers (tests/links.py third_party_hosts for the providers site.yaml sets),
the ICP and public-security filing sites the footer must link to, the site's own base_url
(canonical, hreflang and Open Graph links), each park's own website as its content gives it
(a link to follow, never loaded), and a few URL strings that are never fetched, listed whole
below.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import STARTER_ADDRESS, StarterSite
from links import third_party_hosts

from sitegen.content.config import load_config
from sitegen.errors import Problems
from sitegen.map.tiles import TileSettings

FILING_HOSTS = frozenset({"beian.miit.gov.cn", "beian.mps.gov.cn"})

# Named but never requested; allowed by full URL only.
NEVER_FETCHED = frozenset(
    {
        # vendored Leaflet
        "http://www.w3.org/2000/svg",  # the SVG namespace, for document.createElementNS
        "https://leafletjs.com",  # the licence banner in leaflet.js and the attribution prefix link
        "https://bugs.chromium.org/p/chromium/issues/detail?id=600120",  # a comment in leaflet.css
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",  # a comment in leaflet.css
        # Pagefind's search script: a base for resolving result URLs inside the browser (new URL)
        "https://example",
        "https://example.com/,",
        "https://example.com${anchored_url}",
        "https://example.com${normalized}",
        # JSON-LD vocabulary identifiers written by sitegen/render/feeds.py
        "https://schema.org",
        "https://schema.org/OfflineEventAttendanceMode",
    }
)

CDNS = ("jsdelivr", "cdnjs", "unpkg", "code.jquery.com", "bootstrapcdn")

# http(s)://... also written with JSON-escaped slashes; or protocol-relative //host.tld...,
# which must start a token (so a "// comment" or the "//" inside "https://" is not one).
# A host may hold a tile template such as {s}.
_URL = re.compile(
    r"""https?:(?:\\?/){2}[^\s"'<>()`\\]+"""
    r"""|(?<![\w:/\\])//[A-Za-z0-9{}-]+(?:\.[A-Za-z0-9{}-]+)+[^\s"'<>()`\\]*"""
)


def built_urls(build: Path) -> dict[str, set[str]]:
    """{url: {files naming it}} over every .html, .js and .css file of a build."""
    found: dict[str, set[str]] = {}
    for path in sorted(build.rglob("*")):
        if path.suffix in (".html", ".js", ".css"):
            for url in _URL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(url.replace("\\/", "/"), set()).add(path.relative_to(build).as_posix())
    return found


def host_of(url: str) -> str:
    return urlsplit(url if "://" in url else "http:" + url).netloc


def allowed_hosts(site: Path) -> frozenset[str]:
    """The tile hosts of the providers site.yaml sets, the filing sites, and the site itself."""
    config = load_config(site, Problems())
    assert config is not None
    settings = config.map
    hosts = FILING_HOSTS | {host_of(config.base_url)}
    for provider in set(settings.tiles.values()):
        tiles = TileSettings(provider, settings.tianditu_key, settings.approval_numbers.get(provider, ""))
        hosts |= third_party_hosts(tiles)
    return hosts


def is_allowed(host: str, allowed: frozenset[str]) -> bool:
    """Exactly an allowed host; a tile template such as webrd0{s}.is.autonavi.com when it
    stands for allowed hosts only (the subdomain letter is one label part)."""
    if "{" not in host:
        return host in allowed
    pattern = re.compile(re.sub(r"\\\{[a-z]+\\\}", "[^.]+", re.escape(host)))
    return any(pattern.fullmatch(candidate) for candidate in allowed)


def park_websites(build: Path) -> frozenset[str]:
    """The parks' own websites, as the GeoJSON download lists them."""
    data = json.loads((build / "data" / "parks.geojson").read_text(encoding="utf-8"))
    return frozenset(feature["properties"].get("website") or "" for feature in data["features"]) - {""}


def third_party_urls(site: Path) -> dict[str, set[str]]:
    allowed = allowed_hosts(site)
    links = NEVER_FETCHED | park_websites(site / "build")
    return {
        url: files
        for url, files in built_urls(site / "build").items()
        if url not in links and not is_allowed(host_of(url), allowed)
    }


class _AssetLinks(HTMLParser):
    """Collects <script src> and <link rel=stylesheet href> values."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"] or "")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")


def misplaced_assets(build: Path, site_root: str) -> list[tuple[str, str]]:
    """(page, asset URL) for every script or stylesheet not given as a relative path.

    The one exception is 404.html: a static host serves it at whatever depth was asked for,
    so it links from the site's root path (e.g. /alliance/static/...), still on our host."""
    found = []
    for page in sorted(build.rglob("*.html")):
        name = page.relative_to(build).as_posix()
        parser = _AssetLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        for asset in parser.assets:
            parts = urlsplit(asset)
            if name == "404.html" and not parts.scheme and not parts.netloc and asset.startswith(site_root):
                continue
            if parts.scheme or parts.netloc or asset.startswith("/"):
                found.append((name, asset))
    return found


@pytest.fixture
def starter_site(built_starter: StarterSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SITEGEN_BASE_URL", STARTER_ADDRESS)  # the address it was built for
    return built_starter.root


@pytest.fixture
def minimal_site(make_site, run) -> Path:
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    return site


@pytest.fixture(params=["starter", "minimal"])
def built_site(request) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_no_url_names_a_host_other_than_tiles_and_filing_sites(built_site):
    assert third_party_urls(built_site) == {}


def test_the_scan_sees_the_tile_urls_it_allows(built_site):
    """Guards the scan itself: the tile template the map script carries is found and allowed."""
    allowed = allowed_hosts(built_site)
    tile_urls = [url for url in built_urls(built_site / "build") if "{s}" in url or "{z}" in url]
    assert tile_urls
    assert all(is_allowed(host_of(url), allowed) for url in tile_urls)
    assert not is_allowed("cdn.jsdelivr.net", allowed)
    assert not is_allowed("webrd0{s}.example.com", allowed)


def test_no_page_names_a_cdn(built_site):
    for path in sorted((built_site / "build").rglob("*")):
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8").lower()
            assert [cdn for cdn in CDNS if cdn in text] == [], path


def test_every_script_and_stylesheet_is_linked_by_a_relative_path(built_site):
    config = load_config(built_site, Problems())
    assert config is not None
    site_root = urlsplit(config.base_url).path
    assert misplaced_assets(built_site / "build", site_root) == []


def test_starter_pages_link_the_map_assets_from_the_site_itself(starter_site):
    page = (starter_site / "build" / "en" / "map" / "index.html").read_text(encoding="utf-8")
    parser = _AssetLinks()
    parser.feed(page)
    assert "../../static/vendor/leaflet/dist/leaflet.js" in [asset.split("?")[0] for asset in parser.assets]
    for asset in parser.assets:
        path = asset.split("?")[0]  # theme files carry ?v=<hash> for caching
        assert (starter_site / "build" / "en" / "map" / path).resolve().is_file(), asset
