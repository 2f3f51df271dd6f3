"""The one configured Markdown converter: tables, heading ids, Chinese line joining, sanitising."""

from __future__ import annotations

import hashlib
import html
import multiprocessing
import os
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import InlineProcessor

from sitegen.content.body_links import classify, local_target
from sitegen.content.frontmatter import body_of, read_text
from sitegen.content.placeholders import without_placeholders
from sitegen.errors import Problems
from sitegen.render import urls
from sitegen.workers import shared_with_forks, start_worker

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_LINE_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")
_PRE_BLOCK = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL)

_ALLOWED_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "img": {"alt", "src", "width", "height", "title", "loading"},
    "a": {"href", "hreflang", "title"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
}


class _JoinChineseLines(Postprocessor):
    """A line break between two Chinese characters is a soft wrap, not a space.

    Browsers render the newline as a space, which is wrong in Chinese. Code blocks keep theirs.
    """

    def run(self, text: str) -> str:
        parts = _PRE_BLOCK.split(text)
        return "".join(part if part.startswith("<pre") else _CJK_LINE_BREAK.sub("", part) for part in parts)


class _ChineseExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.postprocessors.register(_JoinChineseLines(md), "join_chinese_lines", 5)


_STARTS_AN_INLINE_PATTERN = re.compile(r"[`\\\[<&*_]|  \n")
"""What each of Python-Markdown's inline patterns needs somewhere in a piece of text: a
backtick, a backslash, a bracket, <, &, * or _, or two spaces ending a line."""
_INLINE_PATTERNS = (
    "backtick",
    "escape",
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "html",
    "entity",
    "em_strong",
)
"""The patterns `_STARTS_AN_INLINE_PATTERN` was read from: Python-Markdown's own, as our
extensions add none."""


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline step, which tries each of its fourteen patterns on every piece of
    text, a third of converting a body. A piece with none of the characters any pattern needs
    comes out as it went in, so it is passed on at once; while the patterns are exactly those
    the characters were read from (tests/test_markup.py compares the output with the stock step)."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        patterns = self.md.inlinePatterns
        self._patterns_known = len(patterns) == len(_INLINE_PATTERNS) and all(
            name in patterns for name in _INLINE_PATTERNS
        )
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 (its name)
        if patternIndex == 0 and self._patterns_known and not _STARTS_AN_INLINE_PATTERN.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


class _QuickInlineExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_QuickInline(md), "inline", 20)  # in place of the stock one


class _HeadingIds(TocTreeprocessor):
    """The table-of-contents step, kept for the ids it gives headings (`## 主导产业` ->
    `id="主导产业"`). The table itself is drawn, and put in place of a `[TOC]` paragraph, only
    where the text has one: otherwise it was built and written out for every body, then thrown
    away, half of the step's time."""

    def run(self, doc: Any) -> None:
        lines: list[str] = getattr(self.md, "lines")  # noqa: B009 (the text as its blocks were read; not typed)
        self._table_wanted = bool(self.marker) and any(self.marker in line for line in lines)
        super().run(doc)

    def build_toc_div(self, toc_list: list) -> Any:
        return super().build_toc_div(toc_list) if self._table_wanted else etree.Element("div")

    def replace_marker(self, root: Any, elem: Any) -> None:
        if self._table_wanted:
            super().replace_marker(root, elem)


class _HeadingIdsExtension(TocExtension):
    TreeProcessorClass = _HeadingIds


class Converter:
    """Markdown to HTML for entry bodies; raw HTML is sanitised unless the site allows it."""

    def __init__(
        self,
        allow_raw_html: bool = False,
        cache: dict[str, str] | None = None,
        keys: dict[bool, dict[str, str]] | None = None,
    ) -> None:
        """`cache` holds converted texts by key; `keys` the keys of the texts of the last
        `convert_all`, which a preview passes from one run to the next."""
        self._allow_raw_html = allow_raw_html
        self._cache = cache if cache is not None else {}
        keys = keys if keys is not None else {}
        keys.pop(not allow_raw_html, None)  # the texts of a run before the setting changed
        self._keys = keys.setdefault(allow_raw_html, {})
        self._markdown = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                _HeadingIdsExtension(slugify=slugify_unicode, permalink=False),
                "sane_lists",
                "attr_list",
                _ChineseExtension(),
                _QuickInlineExtension(),
            ],
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )

    def convert(self, text: str) -> str:
        """HTML for `text`, from the cache when the same text was converted before."""
        key = self.key(text)
        if key not in self._cache:
            self._cache[key] = self._convert(text)
        return self._cache[key]

    def convert_all(
        self,
        texts: Iterable[str],
        meanwhile: Callable[[], None] = lambda: None,
        ahead: BodiesAhead | None = None,
    ) -> None:
        """Convert the texts not converted before, on every core when there are many, and do
        `meanwhile` here while the workers convert (before, when there are none); `ahead`
        holds texts converted from the files while the content was read.

        Python-Markdown is most of a cold build of a large site. The work is forked, so the
        workers start at once with this converter; where there is no fork (Windows), or few
        texts, it runs here.
        """
        keys = {text: self.key(text) for text in texts}
        self._keys.clear()  # only this run's texts: an edited-away text is not kept alive
        self._keys.update(keys)
        if ahead is not None:
            meanwhile()  # while the workers finish
            meanwhile = lambda: None  # noqa: E731 (done)
            ready = ahead.converted()
            self._cache.update((key, ready[key]) for key in keys.values() if key in ready)
        missing = {key: text for text, key in keys.items() if key not in self._cache}
        workers = min(os.cpu_count() or 1, 8)
        if len(missing) < _PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            meanwhile()
            for key, text in missing.items():
                self._cache[key] = self._convert(text)
            return
        global _forked_converter
        _forked_converter = self
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(), True),  # ended below, what is left cancelled
        )
        try:
            with shared_with_forks():
                converted = pool.map(_convert_in_worker, missing.values(), chunksize=32)  # forks them all
            meanwhile()
            self._cache.update(zip(missing.keys(), converted, strict=True))
        finally:
            pool.shutdown(cancel_futures=True)
            _forked_converter = None

    def key(self, text: str) -> str:
        """The cache's key for `text`: its hash, and whether raw HTML is allowed."""
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = hashlib.sha256(f"{self._allow_raw_html}\n{text}".encode()).hexdigest()
        return found

    def _convert(self, text: str) -> str:
        html = self._markdown.reset().convert(text)
        if not self._allow_raw_html:
            html = nh3.clean(
                html,
                attributes=_ALLOWED_ATTRIBUTES,
                url_schemes={"http", "https", "mailto", "tel"},
                link_rel="noopener",
            )
        return _ADDRESS.sub(_from_site_root, html)


_ADDRESS = re.compile(r'(\s(href|src)=")([^"]*)"')
_PLACEHOLDER = re.compile(r'(\s(?:href|src)=")sitegen:(site|lang)/')
"""A local address, once resolved, is written from the site root behind a placeholder, as the
converted text is shared by pages at different depths and in different languages."""


def _from_site_root(match: re.Match[str]) -> str:
    """A local address of a link or image as the content stage resolved it (sitegen.content.
    body_links.local_target), percent-encoded; any other address, and an image that is not a
    media file (the content stage refused it), as it was."""
    written = html.unescape(match.group(3))
    target = local_target(written) if classify(written).kind == "local" else None
    if target is None or (match.group(2) == "src" and target.kind != "media"):
        return match.group()
    placeholder = "sitegen:lang/" if target.kind == "entry" else "sitegen:site/"
    return f'{match.group(1)}{html.escape(placeholder + urls.target_path(target, "zh"))}"'


def place_addresses(text: str, to_root: str, language_folder: str) -> str:
    """Converted HTML for one page: `to_root` is the relative way to the site root ("../../"),
    `language_folder` the page language's folder ("" for Chinese, "en/")."""
    if "sitegen:" not in text:
        return text
    return _PLACEHOLDER.sub(
        lambda match: match.group(1) + to_root + (language_folder if match.group(2) == "lang" else ""), text
    )


_PARALLEL_FROM = 200
"""Below this many texts, starting worker processes costs more than it saves."""
_forked_converter: Converter | None = None


def _convert_in_worker(text: str) -> str:
    assert _forked_converter is not None  # set by the parent just before it forked
    return _forked_converter._convert(text)


class BodiesAhead:
    """The bodies of content files converted by forked workers while the build reads and checks
    the content, which it does on one core: a cold build's other cores were idle meanwhile.

    The workers read the files themselves and take each body as the content stage will
    (sitegen.content.frontmatter.body_of, without placeholders); a text is used only when the
    content stage comes to the same text, by its key. A file they cannot read or convert is
    left to the build, which reads it and reports what is wrong with it.
    """

    def __init__(self, allow_raw_html: bool, files: list[str], workers: int) -> None:
        global _forked_converter
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(), True),  # ended by `close`: they wait for the build to read its content
        )
        _forked_converter = Converter(allow_raw_html)
        try:
            with shared_with_forks():  # the first submit forks every worker
                self._batches = [
                    self._pool.submit(_convert_files_in_worker, files[start : start + 32])
                    for start in range(0, len(files), 32)
                ]
        except BaseException:
            self.close()
            raise
        finally:
            _forked_converter = None

    @classmethod
    def start(cls, folders: Iterable[Path], allow_raw_html: bool) -> BodiesAhead | None:
        """Conversion of the `.md` files in `folders` (symbolic links and what they point to
        are left to the build), started when there are enough of them to gain from it."""
        try:
            files = [
                entry.path
                for folder in folders
                if folder.is_dir() and not folder.is_symlink()
                for entry in os.scandir(folder)
                if entry.name.endswith(".md") and entry.is_file(follow_symlinks=False)
            ]
        except OSError:  # a folder that cannot be listed: the build reports it
            return None
        workers = min(os.cpu_count() or 1, 8)
        if len(files) < _PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        try:
            return cls(allow_raw_html, files, workers)
        except OSError:  # no worker could be forked (memory, a limit of processes): the build converts
            return None

    def converted(self) -> dict[str, str]:
        """Each text converted, by its key. Waits for the workers, then ends them, so that a
        pool forked after this one finds none of its threads."""
        converted: dict[str, str] = {}
        for batch in self._batches:
            try:
                converted.update(batch.result())
            except Exception:  # a worker that died (BrokenProcessPool): the build converts its texts
                continue
        self.close()
        return converted

    def close(self) -> None:
        """End the workers (a build that fails stops them after their current files)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _convert_files_in_worker(files: list[str]) -> list[tuple[str, str]]:
    assert _forked_converter is not None  # set by the parent just before it forked
    converter, converted = _forked_converter, []
    for file in files:
        try:
            text = read_text(Path(file), file, Problems())
            body = without_placeholders(body_of(text) or "") if text is not None else ""
            if body:
                converted.append((converter.key(body), converter._convert(body)))
        except Exception:  # the build reads the file again and reports what is wrong with it
            continue
    return converted
