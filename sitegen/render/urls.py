"""The URL scheme: where each page lives in each language, and relative links between pages.

Paths are site-relative without a leading slash ("en/parks/x/"); links between pages are
relative so the site works from a domain root or any sub-path.
"""

from __future__ import annotations

import posixpath

RESERVED_SLUGS = frozenset(
    {"en", "zh-hant", "parks", "events", "sectors", "cities", "members", "map", "search", "static", "media", "data",
     "pagefind", "brochures", "404"}
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
    }[kind]
    return prefix + section.format(slug)


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
