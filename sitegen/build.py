"""The one build function: load -> validate -> model -> render -> write, timed and summarised."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import BuildCache, input_fingerprint
from sitegen.config import BASE_URL_VARIABLE, TIANDITU_KEY_VARIABLE, load_catalogue, load_config
from sitegen.errors import Problem, Problems, SiteError, said_twice
from sitegen.i18n import Catalogue
from sitegen.model import BEIJING, Site
from sitegen.render import Output, RenderCaches, Renderer, ThemeError
from sitegen.search import SearchRecord, index_site
from sitegen.sources import DocumentCache, has_content_folder, load_sources
from sitegen.urls import RESERVED_SLUGS
from sitegen.validate import EntryChecks, validate_site
from sitegen.write import check_destination, publish, static_outputs


@dataclass(frozen=True)
class BuildResult:
    pages: int
    languages: int
    files: int
    warnings: list[Problem]
    seconds: float
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"up to date: no content, theme or setting changed since the last build; "
                f"{len(self.warnings)} warning(s), {self.seconds:.2f} s"
            )
        return (
            f"built {self.pages} pages in {self.languages} languages ({self.files} files), "
            f"{len(self.warnings)} warning(s), {self.seconds:.2f} s"
        )


def site_today() -> dt.date:
    """Today in Beijing, or the day of SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), BEIJING) if epoch else dt.datetime.now(BEIJING)
    return moment.date()


def theme_folder(root: Path) -> Path:
    return root / "themes" / "default"


def load_site(
    root: Path,
    strict: bool,
    today: dt.date | None = None,
    documents: DocumentCache | None = None,
    checks: EntryChecks | None = None,
) -> tuple[Site, Catalogue, Problems]:
    """Read and check everything; raise SiteError with every problem if the site cannot be built.

    With `documents` and `checks`, files unchanged since the last call are neither read nor
    checked again (the preview).
    """
    problems = Problems()
    if not has_content_folder(root, problems):
        raise SiteError(problems)
    config = load_config(root, problems)
    catalogue = load_catalogue(theme_folder(root), problems)
    sources = load_sources(root, problems, documents)
    for source in sources:
        if source.collection == "pages" and source.slug in RESERVED_SLUGS:
            problems.error(
                source.zh.path,
                None,
                said_twice(
                    f"页面不能叫 '{source.slug}'，这个网址已被占用",
                    f"a page cannot be called '{source.slug}': the site uses that address",
                ),
                said_twice(f"换个文件名，例如 {source.slug}-info.md", f"rename the file, e.g. {source.slug}-info.md"),
            )
    if config is None:
        raise SiteError(problems)
    site = validate_site(root, sources, config, today or site_today(), problems, checks)
    if problems.is_fatal(strict):
        raise SiteError(problems)
    return site, catalogue, problems


@dataclass(frozen=True)
class RenderedSite:
    """Every file of the site in memory (copies aside), and what the search index needs."""

    files: list[Output]
    pages: int
    search_records: list[SearchRecord]


def render_outputs(root: Path, site: Site, catalogue: Catalogue, caches: RenderCaches | None = None) -> RenderedSite:
    renderer = Renderer(site, theme_folder(root), catalogue, caches)
    try:
        pages = renderer.render_site()
        records = renderer.search_records()
    except ThemeError as error:
        raise SiteError(error.problems) from None
    page_count = sum(1 for output in pages if output.path.endswith(".html"))
    files = pages + static_outputs(theme_folder(root) / "static", "static/")
    files += static_outputs(root / "content" / "media", "media/")
    return RenderedSite(files, page_count, records)


def build(root: Path, output: Path, strict: bool = False, today: dt.date | None = None) -> BuildResult:
    """Check, render and publish the site; skipped when nothing it reads has changed."""
    started = time.perf_counter()
    check_destination(output, root)
    cache = BuildCache(root)
    day = today or site_today()
    settings = {name: os.environ.get(name, "") for name in (BASE_URL_VARIABLE, TIANDITU_KEY_VARIABLE)}
    fingerprint = input_fingerprint(root, settings | {"today": day.isoformat()})
    warnings = cache.up_to_date(output, fingerprint)
    if warnings is not None:
        if strict and warnings:
            raise SiteError(Problems(warnings))
        return BuildResult(0, 0, 0, warnings, time.perf_counter() - started, up_to_date=True)

    site, catalogue, problems = load_site(root, strict, day)
    caches = RenderCaches(markdown=cache.markdown())
    rendered = render_outputs(root, site, catalogue, caches)
    count = publish(rendered.files, output, finish=lambda folder: _add_search(folder, rendered.search_records, cache))
    cache.save_markdown(caches.markdown)
    cache.record_build(output, fingerprint, problems.warnings)
    seconds = time.perf_counter() - started
    return BuildResult(rendered.pages, len(site.config.languages), count, problems.warnings, seconds)


def _add_search(folder: Path, records: list[SearchRecord], cache: BuildCache) -> None:
    """The search index, reused from the last build when no searchable text changed."""
    records_hash = hashlib.sha256(repr(records).encode()).hexdigest()[:16]
    kept = cache.search_bundle(records_hash)
    if kept is not None:
        shutil.copytree(kept, folder / "pagefind")
        return
    index_site(folder, records)
    cache.store_search_bundle(records_hash, folder / "pagefind")


def check(root: Path, strict: bool = False, today: dt.date | None = None) -> Problems:
    """Everything `build` checks, templates included, without writing a file."""
    site, catalogue, problems = load_site(root, strict, today)
    render_outputs(root, site, catalogue, RenderCaches(markdown=BuildCache(root).markdown()))
    return problems
