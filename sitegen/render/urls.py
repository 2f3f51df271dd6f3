"""The URL scheme: where each page lives in each language, and relative links between pages.

Paths are site-relative without a leading slash ("en/parks/x/"); links between pages are
relative so the site works from a domain root or any sub-path.
"""

from __future__ import annotations

import posixpath

RESERVED_SLUGS = frozenset(
    {"en", "zh-hant", "parks", "events", "sectors", "cities", "members", "map", "search", "static", "media",
     "data", "pagefind", "404"}
)
"""Top-level folders the generator writes; a free page may not take one of these slugs."""


def page_path(lang: str, kind: str, slug: str | None = None) -> str:
    """Site-relative folder of a page, e.g. ("en", "park", "x") -> "en/parks/x/"."""
    prefix = "" if lang == "zh" else f"{lang}/"
    section = {
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
        "search": "search/",
        "contact": "contact/",
    }[kind]
    return prefix + section.format(slug)


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
