"""An offline link checker for a built site: every relative href/src, #anchor and map popup link must resolve."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.map.tiles import TileSettings, tile_sources


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
                self.links.append(values[name])


_MAP_POPUP_URL = re.compile(r'"url":"([^"]+)"')
"""Profile links inside a map's park data: they become popup links in the browser."""


def _parse(file: Path) -> _Collector:
    collector = _Collector()
    text = file.read_text(encoding="utf-8")
    collector.feed(text)
    collector.links += _MAP_POPUP_URL.findall(text)
    return collector


def _target_file(build: Path, page: str, link: str) -> tuple[Path, str] | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("/"):
        return None
    page_folder = posixpath.dirname(page)
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(page_folder, path)) if path else page
    if target.startswith(".."):
        return build / "__outside_the_site__", parts.fragment
    file = build / target
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, parts.fragment


def broken_links(build: Path) -> list[str]:
    """Every relative link or anchor in the HTML under `build` that leads nowhere."""
    parsed: dict[Path, _Collector] = {}
    broken = []
    for file in sorted(build.rglob("*.html")):
        page = file.relative_to(build).as_posix()
        if page == "404.html":
            continue  # its links are root-based on purpose; served at any depth
        for link in parsed.setdefault(file, _parse(file)).links:
            resolved = _target_file(build, page, link)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.is_file():
                broken.append(f"{page}: {link}")
            elif (
                fragment and target.suffix == ".html" and fragment not in parsed.setdefault(target, _parse(target)).ids
            ):
                broken.append(f"{page}: {link} (no such anchor)")
    return broken


def third_party_hosts(tiles: TileSettings) -> frozenset[str]:
    """Every outside host a map's parts may name: tile servers (both languages) and, for
    OpenStreetMap, its copyright page. A test of built pages can allow exactly these."""
    hosts = set()
    for lang in ("zh", "en"):
        for source in tile_sources(tiles, lang):
            for subdomain in source.subdomains or " ":
                hosts.add(urlsplit(source.url.replace("{s}", subdomain.strip())).netloc)
    if tiles.provider == "openstreetmap":
        hosts.add("www.openstreetmap.org")
    return frozenset(hosts)
