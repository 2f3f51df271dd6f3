"""The one build function: load -> validate -> model -> render -> write, timed and summarised."""

from __future__ import annotations

import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sitegen import dependencies, urls
from sitegen.cache import BuildCache, Inputs, LastBuild, read_inputs
from sitegen.config import BASE_URL_VARIABLE, TIANDITU_KEY_VARIABLE, load_catalogue, load_config
from sitegen.dependencies import Entry, RouteKey
from sitegen.drawing import Drawing
from sitegen.errors import Problem, Problems, SiteError, said_twice
from sitegen.i18n import Catalogue
from sitegen.markup import Converter
from sitegen.model import BEIJING, Site
from sitegen.render import Output, RenderCaches, Renderer, Route, ThemeError
from sitegen.search import search_bundle
from sitegen.sources import DocumentCache, has_content_folder, load_sources
from sitegen.urls import RESERVED_SLUGS
from sitegen.validate import EntryChecks, validate_site
from sitegen.write import check_destination, intact, publish, static_outputs


@dataclass(frozen=True)
class BuildResult:
    pages: int
    languages: int
    files: int
    warnings: list[Problem]
    seconds: float
    written: int = 0
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"up to date: no content, theme or setting changed since the last build; "
                f"{len(self.warnings)} warning(s), {self.seconds:.2f} s"
            )
        return (
            f"built {self.pages} pages in {self.languages} languages ({self.files} files, {self.written} changed), "
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


def _copies(root: Path) -> list[Output]:
    theme_files = static_outputs(theme_folder(root) / "static", "static/")
    return theme_files + static_outputs(root / "content" / "media", "media/")


def build(root: Path, output: Path, strict: bool = False, today: dt.date | None = None) -> BuildResult:
    """Check, render and publish the site; skipped when nothing it reads has changed.

    After an edit to parks or events only, just the pages showing them are drawn again
    (see sitegen.dependencies); every other page stays as the last build wrote it.
    """
    started = time.perf_counter()
    check_destination(output, root)
    cache = BuildCache(root)
    day = today or site_today()
    settings = {name: os.environ.get(name, "") for name in (BASE_URL_VARIABLE, TIANDITU_KEY_VARIABLE)}
    inputs = read_inputs(root, settings | {"today": day.isoformat()})
    warnings = cache.up_to_date(output, inputs)
    if warnings is not None:
        if strict and warnings:
            raise SiteError(Problems(warnings))
        return BuildResult(0, 0, 0, warnings, time.perf_counter() - started, up_to_date=True)

    site, catalogue, problems = load_site(root, strict, day)
    caches = RenderCaches(markdown=cache.markdown(), map_shapes=cache.map_shapes())
    converter, texts = Converter(site.config.allow_raw_html, caches.markdown), _body_texts(site)
    converter.convert_all(texts)
    renderer = Renderer(site, theme_folder(root), catalogue, caches)
    routes = list(renderer.routes())
    entries, shown = dependencies.states(site), dependencies.showing_facts(site)
    last = cache.last_build(output)
    redraw = _routes_to_redraw(last, inputs, entries, shown, routes)
    kept = _page_files(routes, site, redraw) if redraw is not None else []
    if last is not None and not intact(output, last.written, kept):
        redraw, kept = None, []  # a page was changed or deleted by hand: draw them all
    outputs = _draw(root, renderer, routes, redraw, cache)
    cache.forget_writes()
    published = publish(outputs, output, last.written if last else None, kept)
    cache.save_markdown(caches.markdown, used={converter.key(text) for text in texts})
    cache.save_map_shapes(caches.map_shapes)
    cache.record_build(output, inputs, problems.warnings, entries, shown, published.record)
    pages = sum(1 for path in published.record if path.endswith(".html"))
    seconds = time.perf_counter() - started
    return BuildResult(
        pages, len(site.config.languages), len(published.record), problems.warnings, seconds, published.written
    )


def _draw(
    root: Path, renderer: Renderer, routes: list[Route], redraw: list[Route] | None, cache: BuildCache
) -> list[Output]:
    """The files to publish: pages drawn (on every core) while Pagefind indexes in its own
    processes; only `redraw` of the routes when it is not None, with every download and feed."""
    records = renderer.search_records()
    drawing = Drawing(renderer, routes if redraw is None else redraw)  # forks: before the thread below
    with ThreadPoolExecutor(1) as background:
        search = background.submit(search_bundle, records, cache.folder / "search")
        try:
            outputs = drawing.outputs() + renderer.data_outputs(routes)
            if redraw is None:
                outputs.append(renderer.render_not_found())
        except ThemeError as error:
            raise SiteError(error.problems) from None
        return outputs + _copies(root) + [Output(path, data) for path, data in search.result()]


def _body_texts(site: Site) -> list[str]:
    return [
        text for entry in (*site.parks, *site.events, *site.pages) for text in (entry.body.zh, entry.body.en) if text
    ]


def _routes_to_redraw(
    last: LastBuild | None,
    inputs: Inputs,
    entries: dict[Entry, tuple[str, str]],
    shown: dict[Entry, set[RouteKey]],
    routes: list[Route],
) -> list[Route] | None:
    """The routes showing parks or events edited since `last`; None when every page must be drawn."""
    if last is None or last.shared != inputs.shared:
        return None
    changed = {entry for entry in entries.keys() | last.entries.keys() if entries.get(entry) != last.entries.get(entry)}
    facts_changed = {entry for entry in changed if entry not in last.entries or entry not in entries
                     or entries[entry][0] != last.entries[entry][0]}
    keys = dependencies.touched(facts_changed, last.shown, shown)
    keys |= {dependencies.own_route(entry) for entry in changed}
    return [route for route in routes if (route.kind, route.slug) in keys]


def _page_files(routes: list[Route], site: Site, redrawn: list[Route]) -> list[str]:
    """The page files of every route not in `redrawn`, and the 404 page: what the last build left."""
    drawn = {(route.kind, route.slug) for route in redrawn}
    return ["404.html"] + [
        urls.output_file(urls.page_path(lang, route.kind, route.slug))
        for route in routes
        if (route.kind, route.slug) not in drawn
        for lang in site.config.languages
    ]


def check(root: Path, strict: bool = False, today: dt.date | None = None) -> Problems:
    """Everything `build` checks, templates included, without writing a file."""
    site, catalogue, problems = load_site(root, strict, today)
    try:
        Renderer(site, theme_folder(root), catalogue, RenderCaches(markdown=BuildCache(root).markdown())).render_site()
    except ThemeError as error:
        raise SiteError(error.problems) from None
    return problems
