"""A site in fewer languages links only to pages it builds: every internal link of every page
(the 404 page too), every address in its downloads, feeds and sitemap leads to a built file; and
it is not asked for English it does not publish."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import MINIMAL_SITE
from tests.links import broken_links

BASE_URL = "https://parks.example.cn/alliance/"
LANGUAGE_SETS = [["zh"], ["zh", "zh-hant"]]


def with_languages(make_site, languages: list[str]) -> Path:
    settings = MINIMAL_SITE["content/site.yaml"] + f"languages: [{', '.join(languages)}]\n"
    return make_site({"content/site.yaml": settings})


class _RootLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def built_file(build: Path, site_path: str) -> Path:
    """The file a site-relative path is served from."""
    file = build / unquote(site_path)
    return file / "index.html" if site_path.endswith("/") or site_path == "" else file


def missing_targets(build: Path, addresses: list[str]) -> list[str]:
    """The addresses on this site (absolute, or root-based) whose file was not built."""
    root = urlsplit(BASE_URL).path
    missing = []
    for address in addresses:
        parts = urlsplit(address)
        on_this_site = address.startswith(BASE_URL) or (not parts.netloc and address.startswith(root))
        if on_this_site and not built_file(build, parts.path.removeprefix(root)).is_file():
            missing.append(address)
    return missing


@pytest.fixture(params=LANGUAGE_SETS, ids=["+".join(languages) for languages in LANGUAGE_SETS])
def built(request, make_site, run) -> tuple[Path, str]:
    site = with_languages(make_site, request.param)
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    return site / "build", err


def test_every_internal_link_of_every_page_leads_to_a_built_page(built):
    build, _ = built
    assert not (build / "en").exists()
    assert broken_links(build) == []


def test_the_404_page_links_only_to_built_pages(built):
    build, _ = built
    parser = _RootLinks()
    parser.feed((build / "404.html").read_text(encoding="utf-8"))
    assert parser.links
    assert missing_targets(build, parser.links) == []


def test_downloads_feeds_and_the_sitemap_name_only_built_pages(built):
    build, _ = built
    files = [*build.glob("data/*"), *build.rglob("*.xml"), *build.rglob("*.ics"), build / "robots.txt"]
    addresses = [
        address.rstrip("\\")
        for file in files
        for address in re.findall(r"https?://[^\s\"'<>,]+", file.read_text(encoding="utf-8-sig"))
    ]
    assert any(address.startswith(BASE_URL) for address in addresses)
    assert missing_targets(build, addresses) == []


def test_a_site_without_english_asks_for_no_english_text(built):
    _, err = built
    assert "no English text yet" not in err and "has no English text" not in err
