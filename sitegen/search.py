"""The site's search index, written by Pagefind (installed from PyPI) from records we give it.

Pagefind splits a Chinese query with the browser's word segmenter (新能源 -> 新 | 能源) but
its indexer splits page text with another dictionary (比亚迪新能源乘用车 keeps 新能源 whole),
so on the starter site 新能源, 邹平 and 齐鲁软件园 found nothing. Each Chinese record therefore
also carries every run of a few characters starting at each character: whatever the browser
makes of a query, each piece is then the start of some indexed word. Records come from the
model, not the published HTML, so the pages carry no extra text.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WINDOW = 4
"""Longer than the words the browser's segmenter makes of a query (mostly one to three characters)."""


class SearchIndexError(Exception):
    """Pagefind could not write the index; the message says what it reported."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    url: str  # site-relative, e.g. "en/parks/qilu-software-park/"
    language: str  # the search page's <html lang>, lower-cased: "zh-cn", "en", "zh-hant"
    title: str
    summary: str
    text: str


def search_terms(text: str) -> str:
    """Every run of up to _WINDOW Han characters, one starting at each character."""
    return " ".join(run[start : start + _WINDOW] for run in _HAN_RUN.findall(text) for start in range(len(run)))


def index_site(folder: Path, records: Iterable[SearchRecord]) -> None:
    """Write `pagefind/` into the built site in `folder`.

    Pagefind's command line indexes a folder of pages quickly (its Python API costs a round
    trip per record), so each record becomes a bare page in a scratch folder first.
    """
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as scratch:
        for record in records:
            page = Path(scratch) / record.url / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_record_page(record), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", scratch, "--output-path", str(folder / "pagefind")]
            + ["--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise SearchIndexError((result.stderr or result.stdout).strip() or f"exit code {result.returncode}")
    _tidy_bundle(folder / "pagefind")


_UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces; our search page talks to pagefind.js directly."""


def _tidy_bundle(bundle: Path) -> None:
    """Drop the interfaces we do not serve, and list the languages in a fixed order.

    Pagefind writes its language table in hash-map order, which changes from run to run;
    sorting it keeps two builds of the same content byte for byte identical.
    """
    for name in _UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    entry = bundle / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def _record_page(record: SearchRecord) -> str:
    content = f"{record.summary}\n{record.text}"
    if record.language.startswith("zh"):
        content += "\n" + search_terms(f"{record.title} {content}")
    return (
        f'<!doctype html><html lang="{record.language}"><head><meta charset="utf-8"></head><body>'
        f"<h1>{html.escape(record.title)}</h1>"
        f'<p data-pagefind-meta="summary">{html.escape(record.summary)}</p>'
        f"<div>{html.escape(content)}</div></body></html>"
    )
