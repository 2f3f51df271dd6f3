"""The site's search index, made by Pagefind (installed from PyPI) from records we give it.

Pagefind splits a Chinese query with the browser's word segmenter (新能源 -> 新 | 能源) but
its indexer splits page text with another dictionary (比亚迪新能源乘用车 keeps 新能源 whole),
so on the starter site 新能源, 邹平 and 齐鲁软件园 found nothing. Each Chinese record therefore
also carries every run of a few characters starting at each character: whatever the browser
makes of a query, each piece is then the start of some indexed word. Records come from the
model, not the published HTML, so the pages carry no extra text.

Pagefind keeps one index per language inside its bundle, so each language is indexed on its
own, and a large site in parts of SHARD_SIZE pages, all on every core; each part is kept
between builds as one file, so an edit re-indexes one part of one language. Pages and
bundles stay in memory: the kept files are the only ones.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WINDOW = 4
"""Longer than the words the browser's segmenter makes of a query (mostly one to three characters)."""

BUNDLE_FOLDER = "pagefind"
"""Where the bundle goes in the site; the search page loads pagefind/pagefind.js."""


class SearchIndexError(Exception):
    """Pagefind could not write the index; the message says what it reported."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    url: str  # site-relative, e.g. "en/parks/qilu-software-park/", or "...#site-plot-a" for a part of a page
    language: str  # the search page's <html lang>, lower-cased: "zh-cn", "en", "zh-hant"
    title: str
    summary: str
    text: str
    kind: str = "page"  # park, sector, city, site, event, page...: the search page groups results by it


@dataclass(frozen=True, slots=True)
class _Page:
    """What Pagefind indexes as one page: a record, and the records of parts of it (a site's
    card on its park's page), found at their anchors."""

    record: SearchRecord
    sections: tuple[SearchRecord, ...] = ()


def _pages(records: list[SearchRecord]) -> list[_Page]:
    """Each record as a page, a record of a part of a page as a section of that page's record.

    A site has no page of its own: as a record of its own it was a fragment file in the
    published index, and 5,000 sites made 10,000 of them. As a section under an `<h2>` with
    its anchor, a match inside it comes back from Pagefind as a sub-result with the anchor's
    address. A part of a page that has no record stays a record of its own.
    """
    sections: dict[tuple[str, str], list[SearchRecord]] = {}
    whole = {(record.url, record.language) for record in records if "#" not in record.url}
    for record in records:
        page = (record.url.split("#", 1)[0], record.language)
        if "#" in record.url and page in whole:
            sections.setdefault(page, []).append(record)
    return [
        _Page(record, tuple(sections.get((record.url, record.language), ())))
        for record in records
        if "#" not in record.url or (record.url.split("#", 1)[0], record.language) not in whole
    ]


def search_terms(text: str) -> str:
    """Every run of up to _WINDOW Han characters, one starting at each character, each once and
    none that begins another word: a query's piece is matched at the start of a word, so 能源
    is found through 能源汽车 and needs no word of its own. Pagefind keeps a run of `text` as
    one word, so windows at the start of a run are left out too, unless the run follows a
    letter or digit: Pagefind keeps A地块 as one word, where 地块 begins none. Indexing these
    words is most of the time Pagefind takes, and nearly half of them were repeats or such
    beginnings."""
    windows: dict[str, None] = {}
    word_starts = set()
    for match in _HAN_RUN.finditer(text):
        run = match[0]
        starts_a_word = match.start() == 0 or not text[match.start() - 1].isalnum()
        if starts_a_word:
            word_starts.add(run)
        windows.update(dict.fromkeys(run[start : start + _WINDOW] for start in range(starts_a_word, len(run))))
    beginnings = {run[:end] for run in word_starts for end in range(1, len(run) + 1)}
    beginnings |= {window[:end] for window in windows for end in range(1, len(window))}
    return " ".join(window for window in windows if window not in beginnings)


SHARD_SIZE = 500
"""Pages of one language per part of the index. Pagefind indexes a language as a whole, so an
edit re-indexes the part holding the page, not the site; the search page merges the parts
(one for a site of a few hundred parks, so nothing more to load)."""
SHARDS_FILE = f"{BUNDLE_FOLDER}/sitegen-shards.json"
"""The parts besides pagefind/ itself, for search.js to merge: ["shard-1/", ...]."""


class SearchIndexing:
    """Every file of the search index as (path in the site, content), sorted by path, from `files`.

    Pagefind starts on the parts whose records changed when this is made, in threads of its
    own, and `files` waits for it: a build draws its pages in between, so the two overlap
    instead of one waiting for the other.

    `keep` is a folder this class owns (None keeps nothing). It holds one file per part and
    language, named by a hash of its records and of the Pagefind binary, so a part whose
    records did not change costs one read instead of a Pagefind run.
    """

    def __init__(self, records: Iterable[SearchRecord], keep: Path | None = None) -> None:
        records = list(records)
        if not records:
            raise SearchIndexError("there are no pages to index")
        self._binary = binary = _pagefind_binary()
        self._keep = keep
        self._parts = _parts(records)
        self._keys = {part: _bundle_key(binary, grouped) for part, grouped in self._parts.items()}
        kept = {part for part, key in self._keys.items() if keep is not None and _kept_path(keep, part, key).is_file()}
        stale = [part for part in self._parts if part not in kept]
        self._pool = ThreadPoolExecutor(max_workers=min(len(stale), os.cpu_count() or 1) or 1)
        self._runs = {part: self._pool.submit(_run_pagefind, binary, self._parts[part]) for part in stale}

    def files(self) -> list[tuple[str, bytes]]:
        keep = self._keep
        bundles: dict[tuple[int, str], dict[str, bytes]] = {}
        try:
            for part, key in self._keys.items():
                if part not in self._runs and (bundle := _kept_bundle(keep, part, key)) is not None:
                    bundles[part] = bundle
                else:  # not kept, or the kept file was damaged
                    run = self._runs.get(part) or self._pool.submit(_run_pagefind, self._binary, self._parts[part])
                    bundles[part] = run.result()
                    if keep is not None:
                        _keep_bundle(keep, part, key, bundles[part])
        finally:
            self.close()
        if keep is not None:
            _forget_other_bundles(keep, {_kept_path(keep, part, key) for part, key in self._keys.items()})
        shards = sorted({shard for shard, _ in self._parts})
        others = [f"shard-{shard}/" for shard in shards[1:]]  # the first part is pagefind/ itself
        files = [(SHARDS_FILE, json.dumps(others).encode())]
        folders = [f"{BUNDLE_FOLDER}/", *(f"{BUNDLE_FOLDER}/{other}" for other in others)]
        for folder, shard in zip(folders, shards, strict=True):
            merged = _merge_bundles([bundle for (number, _), bundle in sorted(bundles.items()) if number == shard])
            files += [(folder + name, content) for name, content in merged]
        return sorted(files)

    def close(self) -> None:
        """Start no more Pagefind runs (a build that failed does not need them)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _parts(records: list[SearchRecord]) -> dict[tuple[int, str], list[SearchRecord]]:
    """Records by (shard, language): an entry goes to the same shard in every language, and a
    part of a page to its page's."""
    per_language: dict[str, int] = {}
    for record in records:
        if "#" not in record.url:  # parts of pages are indexed within them
            per_language[record.language] = per_language.get(record.language, 0) + 1
    count = -(-max(per_language.values(), default=1) // SHARD_SIZE)
    parts: dict[tuple[int, str], list[SearchRecord]] = {}
    for record in records:
        slug = record.url.split("#", 1)[0].strip("/").rsplit("/", 1)[-1]  # the same in every language
        shard = int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) % count
        parts.setdefault((shard, record.language), []).append(record)
    return parts


def _pagefind_binary() -> Path:
    """Pagefind's plain binary; PAGEFIND_BINARY_PATH overrides it, as in Pagefind's wrapper.

    Not the extended one, which splits Chinese with a dictionary: the runs of characters
    already make every word the browser may ask for the start of an indexed word, and loading
    and applying the dictionary made indexing Chinese much slower.
    """
    if override := os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(override)
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError("Pagefind is not installed: pip install 'pagefind-bin>=1.3,<1.6'") from None
    return get_executable()


def _bundle_key(binary: Path, records: list[SearchRecord]) -> str:
    """A hash of what the bundle is made from: the records, this module and the Pagefind binary.

    The binary's size and modification time stand for its version (asking it costs a process).
    """
    try:
        status = binary.stat()
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind at {binary}: {error.strerror}") from None
    digest = hashlib.sha256(f"{binary}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    digest.update(Path(__file__).read_bytes())
    for record in records:
        for name in SearchRecord.__slots__:
            digest.update(getattr(record, name).encode() + b"\0")
    return digest.hexdigest()[:16]


def _kept_path(keep: Path, part: tuple[int, str], key: str) -> Path:
    shard, language = part
    return keep / f"{shard}.{language}.{key}.zip"


def _kept_bundle(keep: Path | None, part: tuple[int, str], key: str) -> dict[str, bytes] | None:
    """The bundle an earlier build kept for these records, if any; a damaged file counts as none."""
    if keep is None:
        return None
    try:
        with zipfile.ZipFile(_kept_path(keep, part, key)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return None


def _keep_bundle(keep: Path, part: tuple[int, str], key: str, bundle: dict[str, bytes]) -> None:
    """Store one part's bundle uncompressed (Pagefind compresses its files)."""
    keep.mkdir(parents=True, exist_ok=True)
    target = _kept_path(keep, part, key)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(bundle):
            archive.writestr(name, bundle[name])
    partial.replace(target)


def _forget_other_bundles(keep: Path, used: set[Path]) -> None:
    """Everything else in `keep`: parts of older records, and folders of earlier versions."""
    for kept in keep.iterdir():
        if kept in used:
            continue
        if kept.is_dir():
            shutil.rmtree(kept, ignore_errors=True)
        else:
            kept.unlink()


def _run_pagefind(binary: Path, records: list[SearchRecord]) -> dict[str, bytes]:
    """The bundle of one language's records by file name, made in memory by `pagefind --service`.

    The service answers its messages in order. A second thread writes every record while this one
    reads the answers, so neither waits for the other: Pagefind's own Python wrapper sleeps a
    tenth of a second per answer, and its command line needs every page as a file.
    """
    pages = _pages(records)
    sent = [page.record for page in pages]
    with tempfile.TemporaryFile() as complaints:
        try:
            service = subprocess.Popen(
                [binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=complaints
            )
        except OSError as error:
            raise SearchIndexError(f"cannot run Pagefind at {binary}: {error.strerror}") from None
        # Popen's pipes are buffered by default, and only a buffered reader has read1.
        assert service.stdin is not None and isinstance(service.stdout, io.BufferedReader)
        answers = _answers(service.stdout)
        writer: threading.Thread | None = None
        failure: SearchIndexError | None = None
        try:
            # The index's id is only known from the answer, so the pages wait for it.
            _send(service.stdin, [_message(0, {"type": "NewIndex", "config": None})])
            index_id = _expect(answers, sent, "NewIndex")["index_id"]
            writer = threading.Thread(target=_send, args=(service.stdin, _record_messages(index_id, pages)))
            writer.start()
            for _ in pages:
                _expect(answers, sent, "IndexedFile")
            files = _expect(answers, sent, "GetFiles")["files"]
        except SearchIndexError as error:
            failure = error
        finally:
            service.kill()  # it has answered all we asked, or will answer nothing more
            service.wait()
            if writer is not None:
                writer.join()
        if failure is not None:
            complaints.seek(0)
            said = complaints.read().decode("utf-8", "replace").strip()
            raise SearchIndexError(f"{failure}\n{said}".strip())
    return {file["path"]: base64.b64decode(file["content"]) for file in files}


def _message(message_id: int, payload: dict) -> bytes:
    """One request: base64 of its JSON, then the comma the service reads up to."""
    request = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
    return base64.b64encode(request.encode()) + b","


def _record_messages(index_id: int, pages: list[_Page]) -> Iterator[bytes]:
    """Every page, then the request for the bundle; message n + 1 carries pages[n]."""
    for number, page in enumerate(pages, start=1):
        request = _page_with_sections(index_id, page) if page.sections else _custom_record(index_id, page.record)
        yield _message(number, request)
    yield _message(len(pages) + 1, {"type": "GetFiles", "index_id": index_id})


_BLOCK = 1 << 18
"""Bytes of messages written to Pagefind at a time."""


def _send(stream: IO[bytes], messages: Iterable[bytes]) -> None:
    """Write the messages in blocks of about _BLOCK bytes: a write per record, each waiting
    for the pipe, was a tenth of the writer's time."""
    try:
        block: list[bytes] = []
        size = 0
        for message in messages:
            block.append(message)
            size += len(message)
            if size >= _BLOCK:
                stream.write(b"".join(block))
                block, size = [], 0
        stream.write(b"".join(block))
        stream.flush()
    except OSError:
        pass  # the service stopped: the reader finds its answers end and reports what it said


def _answers(stream: io.BufferedIOBase) -> Iterator[dict]:
    """The service's answers as they come; the bundle arrives as one answer of many megabytes."""
    pieces: list[bytes] = []
    while chunk := stream.read1(1 << 20):
        if b"," not in chunk:
            pieces.append(chunk)
            continue
        *complete, rest = b"".join([*pieces, chunk]).split(b",")
        pieces = [rest]
        for answer in complete:
            yield json.loads(base64.b64decode(answer))


def _expect(answers: Iterator[dict], records: list[SearchRecord], kind: str) -> dict:
    """The next answer, which must be of `kind`; an error names the page it was about."""
    answer = next(answers, None)
    if answer is None:
        raise SearchIndexError("Pagefind stopped before it wrote the index")
    payload = answer["payload"]
    if payload["type"] == "Error":
        number = answer.get("message_id") or 0
        page = f" /{records[number - 1].url}" if 0 < number <= len(records) else ""
        raise SearchIndexError(f"Pagefind could not index{page}: {payload['message']}")
    if payload["type"] != kind:
        raise SearchIndexError(f"Pagefind answered {payload['type']} where {kind} was expected")
    return payload


_UNUSED_BUNDLE_FILES = frozenset(
    {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-highlight.js",
    }
)
"""Pagefind's ready-made interfaces; our search page talks to pagefind.js directly."""

_ENTRY = "pagefind-entry.json"
"""The bundle's table of languages, which pagefind.js reads first."""


def _merge_bundles(bundles: list[dict[str, bytes]]) -> list[tuple[str, bytes]]:
    """One bundle from one per language, without the interfaces we do not serve.

    Each language's files carry its name (fragment/en_....pf_fragment); the scripts and
    shared files are the same in every bundle. The language table is written with sorted
    keys: Pagefind writes it in hash-map order, which changes from run to run.
    """
    merged: dict[str, bytes] = {}
    languages: dict[str, dict] = {}
    for bundle in bundles:
        entry = json.loads(bundle[_ENTRY])
        languages |= entry["languages"]
        for name, content in bundle.items():
            if name in _UNUSED_BUNDLE_FILES or name == _ENTRY:
                continue
            if merged.setdefault(name, content) != content:
                raise SearchIndexError(f"Pagefind wrote two different {name} for two languages")
    entry["languages"] = languages
    merged[_ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return sorted(merged.items())


_ENDS_SENTENCE = re.compile(r"[\w'\")$*]")
"""What Pagefind's HTML reader closes a block with a full stop after (its SENTENCE_CHARS)."""
_LINE_BREAKS = re.compile(r"(\n|\r\n)+")
_SPACES = re.compile(r"\s{2,}")


def _custom_record(index_id: int, record: SearchRecord) -> dict:
    """The record as Pagefind's AddRecord, which skips reading HTML.

    Its text is what Pagefind's HTML reader made of the page <h1>title</h1><p>summary</p>
    <div>summary, text</div> sent before: the title weighted as a heading, each block closed
    with a full stop, the summary twice. So the index is the same, byte for byte, and the
    service does not parse a page per record (about 0.07 ms each: a seventh of its time at
    1,000 parks with sites).

    The weight markers are those its reader writes for an <h1>; tests/test_search.py checks
    that both ways give the same bundle, so a Pagefind that changes them is noticed.
    """
    content = _with_terms(record.language, record.title, record.summary, record.text)
    heading = f"___PAGEFIND_AUTO_WEIGHT___7 {_sentence(record.title)} ___END_PAGEFIND_WEIGHT___"
    meta = {"kind": record.kind}
    if title := _meta_value(record.title):
        meta["title"] = title
    if record.summary:  # even if only spaces: Pagefind keeps an empty summary then
        meta["summary"] = _meta_value(record.summary)
    return {
        "type": "AddRecord",
        "index_id": index_id,
        "url": f"/{record.url}",
        "content": f"{heading} {_sentence(record.summary)} {_sentence(content)}",
        "language": record.language,
        "meta": meta,
    }


def _page_with_sections(index_id: int, page: _Page) -> dict:
    """A page with sections as the HTML Pagefind reads: each section under an `<h2>` with its
    anchor (which begins with its kind: "site-…", for the search page to group it by), so a
    match inside it comes back as a sub-result with the anchor's address and the heading as
    its title. Its summary is kept as the page's meta `summary-<anchor>`."""
    escape = html.escape
    record = page.record
    parts = [
        f'<!doctype html><html lang="{record.language}"><head><meta charset="utf-8"></head><body>',
        f'<h1 data-pagefind-meta="kind:{escape(record.kind)}">{escape(record.title)}</h1>',
        f'<p data-pagefind-meta="summary">{escape(record.summary)}</p>',
        f"<div>{escape(_with_terms(record.language, record.title, record.summary, record.text))}</div>",
    ]
    for section in page.sections:
        anchor = escape(section.url.split("#", 1)[1])
        text = _with_terms(record.language, section.title, section.summary, section.text)
        parts.append(f'<section><h2 id="{anchor}">{escape(section.title)}</h2>')
        if section.summary.strip():
            parts.append(f'<p data-pagefind-meta="summary-{anchor}">{escape(section.summary)}</p>')
        parts.append(f"<div>{escape(text)}</div></section>")
    parts.append("</body></html>")
    return {
        "type": "AddFile",
        "index_id": index_id,
        "url": f"/{record.url}",
        "file_path": None,
        "file_contents": "".join(parts),
    }


def _with_terms(language: str, title: str, summary: str, text: str) -> str:
    """The summary and text, and for Chinese the runs of characters search needs (search_terms)."""
    content = f"{summary}\n{text}"
    if language.startswith("zh"):
        content += "\n" + search_terms(f"{title} {content}")
    return content


def _sentence(block: str) -> str:
    """The block with the full stop Pagefind's HTML reader adds after a word (seen as HTML)."""
    return f"{block}." if _ENDS_SENTENCE.fullmatch(html.escape(block)[-1:]) else block


def _meta_value(text: str) -> str:
    """An element's text as Pagefind's HTML reader keeps it for a result (normalize_content)."""
    return _SPACES.sub(" ", _LINE_BREAKS.sub(" ", text.strip()))
