"""What the content stage checks in Markdown bodies before anything is rendered: images without
alt text, and every address a body links to or loads.

A local address must name a file in content/media/, an entry's file (`../parks/x.md`) or a page
of the site (`/map/`); anything else would be a broken link, or a way to publish a file from
outside the site. Pages may load nothing from another host except map tiles, so a remote image,
script or frame is reported. Addresses are found in the Markdown source (links, images,
reference definitions, autolinks and raw HTML attributes), outside code, so each problem has
its line; the converter (sitegen.render.markdown) resolves local addresses with `local_target`,
the same function, so what is checked is what is published.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.content.fields import closest, media_path
from sitegen.content.frontmatter import Document
from sitegen.errors import Problems, zh_en

_IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(")


def lines_with_images_missing_alt(text: str) -> list[int]:
    """Line numbers (1-based, within `text`) of Markdown images written without alt text."""
    return [number for number, line in enumerate(text.split("\n"), 1) if _IMAGE_WITHOUT_ALT.search(line)]


@dataclass(frozen=True, slots=True)
class Reference:
    """An address in a body: `loads` when the browser fetches it to show the page (an image, a
    script, a frame), not only when the reader follows it (a link)."""

    url: str
    line: int
    loads: bool


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_INLINE = re.compile(r"\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\(\s*(<[^>\n]*>|(?:[^()\n]|\([^()\n]*\))*)\)")
_TITLE = re.compile(r"\s+(?:\"[^\"]*\"|'[^']*')\s*$")
_DEFINITION = re.compile(r" {0,3}\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)")
_IMAGE_BY_REFERENCE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?(?!\()")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_URL_ATTRIBUTES = frozenset(
    {
        "src",
        "href",
        "srcset",
        "poster",
        "data",
        "action",
        "formaction",
        "background",
        "xlink:href",
        "longdesc",
        "cite",
        "manifest",
        "codebase",
        "archive",
        "ping",
    }
)
_FOLLOWED_TAGS = frozenset({"a", "area", "form", "blockquote", "q", "del", "ins"})
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=1 << 16)
def references(text: str) -> tuple[Reference, ...]:
    """Every address in a Markdown body, with its line, in the order written. Remembered, so
    a preview's rebuild looks again only at the bodies that were edited."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return ()  # most bodies: prose without links
    text = _without_code(text)
    found = [
        (match.start(), _TITLE.sub("", match.group(1)).strip().strip("<>"), _is_image(text, match.start()))
        for match in _INLINE.finditer(text)
    ]
    if "]:" in text:
        loaded_labels = {
            (match.group(2) or match.group(1)).strip().lower() for match in _IMAGE_BY_REFERENCE.finditer(text)
        }
        found += [
            (start, url.strip("<>"), label.strip().lower() in loaded_labels) for start, label, url in _definitions(text)
        ]
    found += [(match.start(1), match.group(1), False) for match in _AUTOLINK.finditer(text)]
    for tag in _TAG.finditer(text):
        loads = tag.group(1).lower() not in _FOLLOWED_TAGS
        for url in _tag_urls(tag.group(2)):
            found.append((tag.start(), url, loads))
    for style in _STYLE_BLOCK.finditer(text):
        found += [(style.start(1) + url.start(), _css_address(url), True) for url in _CSS_URL.finditer(style.group(1))]
    return tuple(Reference(url, text.count("\n", 0, position) + 1, loads) for position, url, loads in sorted(found))


def _definitions(text: str) -> Iterator[tuple[int, str, str]]:
    """(position, label, address) of each reference definition `[label]: address`, read line by
    line: a pattern anchored at every line start is far slower on long bodies."""
    offset = 0
    for line in text.split("\n"):
        match = _DEFINITION.match(line) if "]:" in line else None
        if match:
            yield offset + match.start(2), match.group(1), match.group(2)
        offset += len(line) + 1


def _is_image(text: str, bracket: int) -> bool:
    return bracket > 0 and text[bracket - 1] == "!"


def _without_code(text: str) -> str:
    """The body with fenced code blocks and code spans blanked out, lines kept, as addresses
    written there are shown, not linked."""
    if "`" not in text and "~~~" not in text:
        return text
    lines, fence = [], ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        else:
            lines.append(line)
    return _CODE_SPAN.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), "\n".join(lines))


def _tag_urls(attributes: str) -> Iterator[str]:
    for name, raw in _ATTRIBUTE.findall(attributes):
        value = html.unescape(raw.strip("\"'")) if raw else ""
        name = name.lower()
        if name == "srcset":
            yield from (candidate.split()[0] for candidate in value.split(",") if candidate.split())
        elif name in _URL_ATTRIBUTES:
            yield value
        elif name == "style":
            yield from (_css_address(match) for match in _CSS_URL.finditer(value))


def _css_address(match: re.Match[str]) -> str:
    return match.group(2) if match.group(2) is not None else match.group(4)


@dataclass(frozen=True, slots=True)
class Address:
    """What an address is: `remote` (another host), `local`, `fragment` (on the same page),
    `contact` (mailto:, tel:) or `refused` (javascript:, data:, file: and any other scheme)."""

    kind: str
    host: str = ""
    scheme: str = ""


_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")


def classify(url: str) -> Address:
    """Read an address as a browser would: tabs and line breaks inside are dropped, spaces and
    control characters around it trimmed, backslashes taken for slashes (`/\\host` is `//host`)."""
    address = _IGNORED_IN_URLS.sub("", html.unescape(url)).strip("\x00- ").replace("\\", "/")
    if address.startswith("#"):
        return Address("fragment")
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", address)
    if scheme:
        name = scheme.group(1).lower()
        if name in ("http", "https"):
            return Address("remote", host=_host(address), scheme=name)
        if name in ("mailto", "tel"):
            return Address("contact", scheme=name)
        return Address("refused", scheme=name)
    if address.startswith("//"):
        return Address("remote", host=_host("https:" + address))
    return Address("local")


def _host(address: str) -> str:
    try:
        return urlsplit(address).hostname or ""
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a local address leads: `media` (a path under media/), `entry` (collection, slug)
    or `page` (a site-relative page path); `rest` is its `?query` and `#fragment`."""

    kind: str
    path: str
    rest: str = ""
    collection: str = ""
    slug: str = ""


@dataclass(frozen=True)
class SitePages:
    """Every page the site will have (site-relative paths, every language), and where a local
    address leads in Chinese: made by sitegen.render.urls, which owns the URL scheme."""

    paths: frozenset[str]
    page_of: Callable[[Target], str]


_ENTRY_FILE = re.compile(r"(parks|events|pages|chains)/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?:zh|en))?\.md")


def local_target(url: str) -> Target | None:
    """The target of a local address, read from content/ (a leading `/` or `../` too, as
    editors' Markdown previewers read it from an entry's folder); None when it leaves the site
    or names nothing that can be published."""
    address = _IGNORED_IN_URLS.sub("", html.unescape(url)).strip("\x00- ").replace("\\", "/")
    cut = min((index for index in (address.find("?"), address.find("#")) if index >= 0), default=len(address))
    path, rest = unquote(address[:cut]), address[cut:]
    media = media_path(path)
    if media is not None:
        return Target("media", media, rest)
    relative = path.lstrip("/")
    relative = relative[3:] if relative.startswith("../") else relative
    normal = posixpath.normpath(relative) if relative else "."
    if normal.startswith("..") or normal.startswith("/"):
        return None
    entry = _ENTRY_FILE.fullmatch(normal)
    if entry:
        return Target("entry", normal, rest, collection=entry.group(1), slug=entry.group(2))
    if normal.endswith(".md"):
        return None
    page = "" if normal == "." else normal.strip("/") + "/"
    return Target("page", page, rest)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def check_characters(document: Document, problems: Problems) -> None:
    """A body holds text: a control character (NUL, ESC, a bell) comes from a binary file or a
    bad copy, shows as garbage in browsers and breaks the search index and XML feeds."""
    match = _CONTROL.search(document.body)
    if match is None:
        return
    problems.error(
        document.path,
        document.body_line + document.body.count("\n", 0, match.start()),
        zh_en(
            f"正文里有一个看不见的控制字符 U+{ord(match.group()):04X}",
            f"the text holds an invisible control character, U+{ord(match.group()):04X}",
        ),
        zh_en(
            "删掉这一行重新输入，或从纯文本编辑器重新复制",
            "delete the line and type it again, or copy it again from a plain-text editor",
        ),
    )


def in_media(path: str, media: dict[str, Path]) -> bool:
    """Whether `media/…` names one of the site's vetted media files."""
    return path.removeprefix("media/") in media


def check_addresses(document: Document, media: dict[str, Path], pages: SitePages | None, problems: Problems) -> None:
    """Every link and image of a body leads to the site's own files and pages, or to a web page;
    nothing is loaded from another host (a warning: the page still works, if slower in China)."""
    for reference in references(document.body):
        line = document.body_line + reference.line - 1
        address = classify(reference.url)
        if address.kind == "fragment" or (address.kind in ("remote", "contact") and not reference.loads):
            continue
        if address.kind == "remote":
            problems.warning(document.path, line, *_remote(reference.url, address.host))
        elif address.kind != "local":
            problems.error(document.path, line, *_refused_scheme(reference.url, address.scheme))
        else:
            _check_local(document, line, reference, media, pages, problems)


def _check_local(
    document: Document,
    line: int,
    reference: Reference,
    media: dict[str, Path],
    pages: SitePages | None,
    problems: Problems,
) -> None:
    target = local_target(reference.url)
    if target is None:
        problems.error(document.path, line, *_not_in_site(reference.url))
    elif target.kind == "media":
        if not in_media(target.path, media):
            named = media_path(unquote(reference.url))
            if target.rest and named is not None and in_media(named, media):
                problems.error(document.path, line, *_needs_encoding(reference.url))
                return
            suggestion = closest(target.path.removeprefix("media/"), media)
            guess = zh_en(f"是不是 media/{suggestion}？", f"did you mean media/{suggestion}? ") if suggestion else ""
            problems.error(
                document.path,
                line,
                zh_en(f"找不到 content/{target.path}", f"content/{target.path} does not exist"),
                guess
                + zh_en(
                    "把文件放进 content/media/，检查文件名的拼写和大小写",
                    "put the file in content/media/ and check the name's spelling and case",
                ),
            )
    elif reference.loads:
        problems.error(
            document.path,
            line,
            zh_en(
                f"图片 '{reference.url}' 不是 content/media/ 里的文件",
                f"the image '{reference.url}' is not a file in content/media/",
            ),
            zh_en("把图片放进 content/media/，写成 media/文件名.jpg", "put it in content/media/: media/name.jpg"),
        )
    elif pages is not None and pages.page_of(target) not in pages.paths:
        suggestion = closest(pages.page_of(target), pages.paths)
        guess = zh_en(f"是不是 /{suggestion}？", f"did you mean /{suggestion}? ") if suggestion else ""
        problems.error(
            document.path,
            line,
            zh_en(f"链接 '{reference.url}' 指向的页面不存在", f"the link '{reference.url}' leads to no page"),
            guess
            + zh_en(
                "链接到条目时写它的文件，例如 ../parks/qilu-software-park.md",
                "link to an entry by its file, e.g. ../parks/qilu-software-park.md",
            ),
        )


def _remote(url: str, host: str) -> tuple[str, str]:
    return (
        zh_en(
            f"'{url}' 从另一个网站（{host}）加载：中国大陆的读者可能打不开，本站只从自己的网站加载文件",
            f"'{url}' is loaded from another host ({host}): readers in mainland China may not reach it, and the site"
            " loads nothing from other hosts",
        ),
        zh_en(
            "把文件下载到 content/media/，写成 media/文件名.jpg",
            "download the file into content/media/ and write media/name.jpg",
        ),
    )


def _refused_scheme(url: str, scheme: str) -> tuple[str, str]:
    return (
        zh_en(
            f"地址 '{url}' 以 {scheme}: 开头，不能发布",
            f"the address '{url}' starts with {scheme}:, which cannot be published",
        ),
        zh_en(
            "网页写 https://…，邮箱写 mailto:…；文件放进 content/media/，写成 media/文件名",
            "write https://… for a web page, mailto:… for e-mail; put files in content/media/ and write media/name",
        ),
    )


def _not_in_site(url: str) -> tuple[str, str]:
    return (
        zh_en(
            f"地址 '{url}' 指向站点之外或不存在的文件",
            f"the address '{url}' leads outside the site or to nothing it publishes",
        ),
        zh_en(
            "图片和文件写 media/文件名，条目写 ../parks/文件名.md，页面写 /map/ 这样的网址",
            "write media/name for a file in content/media/, ../parks/slug.md for an entry, /map/ for a page",
        ),
    )


def _needs_encoding(url: str) -> tuple[str, str]:
    return (
        zh_en(
            f"文件名 '{url}' 里的 # 或 ? 在网址里有别的意思",
            f"the # or ? in the file name '{url}' means something else in an address",
        ),
        zh_en(
            "把文件改名，去掉 # 和 ?（或在地址里写成 %23 和 %3F）",
            "rename the file without # and ? (or write them as %23 and %3F in the address)",
        ),
    )
