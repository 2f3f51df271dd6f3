"""The one build function: load -> validate -> model -> render -> write, timed and summarised."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import load_catalogue, load_config
from sitegen.errors import Problem, Problems, SiteError, said_twice
from sitegen.i18n import Catalogue
from sitegen.model import BEIJING, Site
from sitegen.render import Output, Renderer, ThemeError
from sitegen.search import SearchRecord, index_site
from sitegen.sources import load_sources
from sitegen.urls import RESERVED_SLUGS
from sitegen.validate import validate_site
from sitegen.write import check_destination, publish, static_outputs


@dataclass(frozen=True)
class BuildResult:
    pages: int
    languages: int
    files: int
    warnings: list[Problem]
    seconds: float

    def summary(self) -> str:
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


def load_site(root: Path, strict: bool, today: dt.date | None = None) -> tuple[Site, Catalogue, Problems]:
    """Read and check everything; raise SiteError with every problem if the site cannot be built."""
    problems = Problems()
    if not (root / "content").is_dir():
        problems.error(
            (root / "content").as_posix(),
            None,
            said_twice("找不到 content 文件夹", "there is no content folder here"),
            said_twice(
                "在站点文件夹里运行，或用 -s 指定站点文件夹",
                "run this in the site folder, or give it with -s SITE_DIR",
            ),
        )
        raise SiteError(problems)
    config = load_config(root, problems)
    catalogue = load_catalogue(theme_folder(root), problems)
    sources = load_sources(root, problems)
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
    site = validate_site(root, sources, config, today or site_today(), problems)
    if problems.is_fatal(strict):
        raise SiteError(problems)
    return site, catalogue, problems


@dataclass(frozen=True)
class RenderedSite:
    """Every file of the site in memory (copies aside), and what the search index needs."""

    files: list[Output]
    pages: int
    search_records: list[SearchRecord]


def render_outputs(root: Path, site: Site, catalogue: Catalogue) -> RenderedSite:
    renderer = Renderer(site, theme_folder(root), catalogue)
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
    started = time.perf_counter()
    check_destination(output, root)
    site, catalogue, problems = load_site(root, strict, today)
    rendered = render_outputs(root, site, catalogue)
    count = publish(rendered.files, output, finish=lambda folder: index_site(folder, rendered.search_records))
    seconds = time.perf_counter() - started
    return BuildResult(rendered.pages, len(site.config.languages), count, problems.warnings, seconds)


def check(root: Path, strict: bool = False, today: dt.date | None = None) -> Problems:
    """Everything `build` checks, templates included, without writing a file."""
    site, catalogue, problems = load_site(root, strict, today)
    render_outputs(root, site, catalogue)
    return problems
