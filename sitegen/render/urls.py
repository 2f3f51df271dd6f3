"""The URL scheme: where each page lives in each language, and relative links between pages.

Paths are site-relative without a leading slash ("en/parks/x/"); links between pages are
relative so the site works from a domain root or any sub-path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import quote

from sitegen.content.body_links import SitePages, Target
from sitegen.content.config import SiteConfig
from sitegen.content.sources import Source

RESERVED_SLUGS = frozenset(
    {
        "en",
        "zh-hant",
        "parks",
        "events",
        "sectors",
        "cities",
        "members",
        "map",
        "search",
        "static",
        "media",
        "data",
        "pagefind",
        "404",
        "chains",
        "projects",
        "brochures",
        "admin",
        "policies",
        "find",
        "compare",
    }
)
"""Top-level folders the generator writes (admin/: the browser editor, in `sitegen serve` and
when site.yaml asks for hosted editing); a free page may not take one of these slugs."""


def page_path(lang: str, kind: str, slug: str | None = None) -> str:
    """Site-relative folder of a page, e.g. ("en", "park", "x") -> "en/parks/x/"."""
    prefix = "" if lang == "zh" else f"{lang}/"
    return prefix + _SECTION[kind].format(slug)


_SECTION = {
    "home": "",
    "parks": "parks/",
    "park": "parks/{}/",
    "sectors": "sectors/",
    "sector": "sectors/{}/",
    "cities": "cities/",
    "city": "cities/{}/",
    "members": "members/",
    "events": "events/",
    "event": "events/{}/",
    "page": "{}/",
    "map": "map/",
    "chains": "chains/",
    "chain": "chains/{}/",
    "projects": "projects/",
    "policies": "policies/",
    "policy": "policies/{}/",
    "search": "search/",
    "contact": "contact/",
    "find": "find/",
    "compare": "compare/",
}
"""The folder of each kind of page below its language's root."""


PAGE_KIND = {
    "parks": "park",
    "events": "event",
    "pages": "page",
    "chains": "chain",
    "projects": "projects",
    "policies": "policy",
}
"""The kind of page that shows an entry of each collection: its own page, or for a project,
which has none, the projects list. Sites are shown on their park's page."""


def entry_page(collection: str, slug: str) -> tuple[str, str | None]:
    """(kind, slug) of the page that shows an entry: ("park", "x"), or ("projects", None)."""
    kind = PAGE_KIND[collection]
    return (kind, slug) if "{}" in _SECTION[kind] else (kind, None)


_SECTIONS = (
    "home",
    "map",
    "parks",
    "sectors",
    "cities",
    "members",
    "search",
    "events",
    "chains",
    "projects",
    "policies",
    "find",
    "compare",
)


def site_pages(config: SiteConfig, sources: Iterable[Source]) -> SitePages:
    """Every page the site will have, in every language, so links in bodies can be checked
    before anything is drawn."""
    pages: set[tuple[str, str | None]] = {(kind, None) for kind in _SECTIONS}
    pages |= {entry_page(source.collection, source.slug) for source in sources if source.collection in PAGE_KIND}
    pages |= {("sector", sector) for sector in config.sectors} | {("city", city) for city in config.cities}
    paths = frozenset(page_path(lang, kind, slug) for lang in config.languages for kind, slug in pages)
    return SitePages(paths, _chinese_page)


def _chinese_page(target: Target) -> str:
    if target.kind == "entry":
        return page_path("zh", *entry_page(target.collection, target.slug))
    return target.path


def target_path(target: Target, lang: str) -> str:
    """The site-relative URL of a local address in a body shown in `lang`: a media file
    percent-encoded, an entry's file as its page in that language."""
    if target.kind == "media":
        return media_path(target.path) + target.rest
    if target.kind == "entry":
        return page_path(lang, *entry_page(target.collection, target.slug)) + target.rest
    return quote(target.path, safe="/") + target.rest


def brochure_path(lang: str, park_slug: str | None = None) -> str:
    """Site-relative file of a PDF brochure: a park's, or with no slug the alliance's.

    Every language's brochures share one folder and carry the park's slug and the language in
    the file name, which is what a chat shows when the file is passed on:
    "brochures/parks/qilu-software-park.en.pdf", "brochures/alliance.zh.pdf".
    """
    return f"brochures/parks/{park_slug}.{lang}.pdf" if park_slug else f"brochures/alliance.{lang}.pdf"


def qr_code_path(lang: str, park_slug: str) -> str:
    """The QR code of a park page's address, beside the page, for its printout."""
    return page_path(lang, "park", park_slug) + "qr.svg"


def output_file(path: str) -> str:
    """The file a pretty URL is served from."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at `from_path` to `to_path`, both site-relative."""
    from_folder = from_path if from_path.endswith("/") or from_path == "" else posixpath.dirname(from_path)
    depth = from_folder.count("/")
    link = "../" * depth + to_path
    return link or "./"


def absolute(base_url: str, path: str) -> str:
    return base_url + path


def download_url(config: SiteConfig, lang: str, kind: str, slug: str | None = None) -> str:
    """The absolute URL of a page in `lang` for a download's column, empty when the site is not
    built in that language, so no download names a page that does not exist."""
    return absolute(config.base_url, page_path(lang, kind, slug)) if lang in config.languages else ""


def media_path(file: str) -> str:
    """Site-relative URL of a file under content/media/ ("media/a b.jpg" -> "media/a%20b.jpg"):
    spaces, `#`, `?` and Chinese are percent-encoded, so every name reaches its file."""
    return "media/" + quote(file.removeprefix("media/"), safe="/")
