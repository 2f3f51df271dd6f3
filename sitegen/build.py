"""The one build pipeline: load -> validate -> model -> render -> write, for `build` and `serve`.

`sitegen build` runs it once, with what the last build left in `.sitegen-cache/`; `sitegen
serve` keeps one `Pipeline` and runs it after every save with the paths that changed. Either
way the same code decides what changed (sitegen.publish.changes), draws the pages that show it,
refreshes the search index and writes only files whose bytes changed.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.content.config import Environment, load_catalogue, load_config
from sitegen.content.i18n import Catalogue, SearchSpellings
from sitegen.content.model import Park, Site
from sitegen.content.sources import DocumentCache, has_content_folder, load_sources
from sitegen.content.theme import Theme
from sitegen.content.validate import EntryChecks, validate_site
from sitegen.errors import Problem, Problems, SiteError, zh_en
from sitegen.publish import changes
from sitegen.publish.cache import BuildCache, Inputs, LastBuild, read_inputs
from sitegen.publish.changes import Entry, RouteKey
from sitegen.publish.lock import BuildLock
from sitegen.publish.output import Published, Staging, check_destination, copied_outputs, intact, publish, recover
from sitegen.render import urls
from sitegen.render.brochures import (
    INSTALL_HINT,
    BrochuresUnavailable,
    Printer,
    brochure_files,
    draw_brochures,
    find_printer,
    print_brochures,
    qr_outputs,
)
from sitegen.render.markdown import Converter
from sitegen.render.pages import Output, RenderCaches, Renderer, Route, ThemeError
from sitegen.render.parallel import PageRendering
from sitegen.render.search import SearchIndexing, SearchRecord
from sitegen.render.urls import RESERVED_SLUGS


@dataclass(frozen=True)
class BuildResult:
    pages: int
    languages: int
    files: int
    warnings: list[Problem]
    seconds: float
    written: int = 0
    up_to_date: bool = False
    notices: tuple[str, ...] = ()
    """Lines about the machine rather than the content, such as brochures it cannot print."""

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"up to date: no content, theme or setting changed since the last build; "
                f"{len(self.warnings)} warning(s), {self.seconds:.2f} s"
            )
        return (
            f"built {self.pages} pages in {self.languages} language{'s' if self.languages != 1 else ''} "
            f"({self.files} files, {self.written} changed), "
            f"{len(self.warnings)} warning(s), {self.seconds:.2f} s"
        )


def load_site(
    root: Path,
    strict: bool,
    environment: Environment | None = None,
    today: dt.date | None = None,
    documents: DocumentCache | None = None,
    checks: EntryChecks | None = None,
) -> tuple[Site, Theme, Catalogue, Problems]:
    """Read and check everything; raise SiteError with every problem if the site cannot be built.

    With `documents` and `checks`, files unchanged since the last call are neither read nor
    checked again.
    """
    environment = environment or Environment.read()
    problems = Problems()
    if not has_content_folder(root, problems):
        raise SiteError(problems)
    day = today or environment.today(problems)
    config = load_config(root, problems, environment)
    theme = Theme(root, config.theme if config is not None else "default")
    catalogue = load_catalogue(theme, problems)
    for name in theme.unknown_overrides():
        problems.warning(
            f"themes/{theme.name}/templates/{name}",
            None,
            zh_en(f"默认主题里没有模板 {name}，这个文件不会被用到", f"the default theme has no template {name}"),
            zh_en(
                "检查文件名是否拼错；网站自己的局部模板请以 _ 开头命名",
                "check the name for a typo (see docs/themes.md); name a partial of your own _something.html",
            ),
        )
    sources = load_sources(root, problems, documents)
    for source in sources:
        if source.collection == "pages" and source.slug in RESERVED_SLUGS:
            problems.error(
                source.zh.path,
                None,
                zh_en(
                    f"页面不能叫 '{source.slug}'，这个网址已被占用",
                    f"a page cannot be called '{source.slug}': the site uses that address",
                ),
                zh_en(f"换个文件名，例如 {source.slug}-info.md", f"rename the file, e.g. {source.slug}-info.md"),
            )
    if config is None:
        raise SiteError(problems)
    site = validate_site(root, sources, config, day, problems, checks, urls.site_pages(config, sources))
    if problems.is_fatal(strict):
        raise SiteError(problems)
    return site, theme, catalogue, problems


@dataclass(frozen=True)
class _Unfinished:
    """What a preview run leaves for `Pipeline.finish`."""

    renderer: Renderer
    routes: list[Route]
    redraw: list[Route] | None
    kept: list[str]


class Pipeline:
    """The build, with what it keeps from one run to the next.

    `persistent`: read and record the last build in `.sitegen-cache/` and swap the output in
    whole (the command line). Otherwise (the preview) everything is kept in memory, files are
    written in place, and the downloads, feeds and search index of a run are left for `finish`,
    which the preview calls once the browser has reloaded: nobody reads those in the second
    after a save, and at 1,000 parks re-indexing a part of the search takes most of a second.
    """

    def __init__(
        self,
        root: Path,
        output: Path,
        strict: bool = False,
        persistent: bool = True,
        on_wait: Callable[[str], None] = lambda holder: None,
    ) -> None:
        self.root = root
        self.output = output
        self.strict = strict
        self.environment = Environment.read()
        self.problems: Problems | None = None
        self._cache = BuildCache(root) if persistent else None
        self._documents: DocumentCache | None = None if persistent else DocumentCache()
        self._checks = EntryChecks()
        self._caches: RenderCaches | None = None
        self._last: LastBuild | None = None
        self._search_folder = self._cache.folder / "search" if self._cache else output.parent / "search-cache"
        self._on_wait = on_wait
        self._unfinished: _Unfinished | None = None
        self._late_paths: set[str] = set()  # what the last `finish` wrote
        self._digests: changes.Digests = {}
        self._brochure_folder = self._cache.folder / "brochures" if self._cache else output.parent / "brochure-cache"
        self._printer: Printer | BrochuresUnavailable | None = None

    def run(self, changed: Collection[Path] | None = None, today: dt.date | None = None) -> BuildResult:
        """Bring the output up to date; `changed`, when known, names the files saved since the
        last run (the preview), which spares reading every file to find out.

        Raises SiteError with every problem when the content or theme cannot be built; the
        output is then left as it was.
        """
        started = time.perf_counter()
        check_destination(self.output, self.root)
        self.finish()
        self.problems = None
        try:
            if self._cache is None:
                return self._run(changed, today, started)
            with BuildLock(self._cache.folder, self._on_wait):
                return self._run(changed, today, started)
        except SiteError as error:
            self.problems = error.problems
            raise

    def _run(self, changed: Collection[Path] | None, today: dt.date | None, started: float) -> BuildResult:
        scratch = Problems()
        day = today or self.environment.today(scratch)
        if scratch.errors:
            raise SiteError(scratch)
        if self._cache is not None:
            recover(self.output)  # what a build killed while switching folders left
        last = self._last_build()
        inputs = self._inputs(changed, last, day)
        if changed is None and self._cache is not None:
            warnings = self._cache.up_to_date(self.output, inputs)
            if warnings is not None:
                if self.strict and warnings:
                    raise SiteError(Problems(warnings))
                return BuildResult(0, 0, 0, warnings, time.perf_counter() - started, up_to_date=True)

        caches = self._render_caches(shared_changed=last is None or last.shared != inputs.shared)
        if self._cache is not None and self._documents is None:
            self._documents = DocumentCache(self._cache.documents())
        site, theme, catalogue, problems = load_site(
            self.root, self.strict, self.environment, day, self._documents, self._checks
        )
        texts = _body_texts(site)
        converter = Converter(site.config.allow_raw_html, caches.markdown)
        converter.convert_all(texts)
        renderer = Renderer(site, theme, catalogue, caches)
        routes = list(renderer.routes())
        entries, shown = changes.states(site, self._digests), changes.showing_facts(site)
        redraw = _routes_to_redraw(last, inputs, entries, shown, routes)
        printing = site.config.brochures and isinstance(self.printer(), Printer)
        kept = _page_files(routes, site, redraw) + _brochure_files(site, redraw, printing) if redraw is not None else []
        if last is not None and not intact(self.output, last.written, kept):
            redraw, kept = None, []  # a page was changed or deleted by hand: draw them all
        notice = None
        if self._cache is None:
            # The preview prints brochures in `finish`; the pages drawn now link them from then on.
            outputs = self._draw_pages(renderer, routes, redraw, theme)
            parks, alliance = _drawn_parks(site, redraw)
            waiting = brochure_files(site, [park.slug for park in parks], alliance) if printing else []
            kept += [path for path in (*self._late_paths, *waiting) if last is not None and path in last.written]
            self._unfinished = _Unfinished(renderer, routes, redraw, kept)
            published = publish(outputs, self.output, last.written if last else None, kept, in_place=True)
            self._last = LastBuild(inputs.shared, entries, shown, published.record)
        else:
            extras, notice = self._brochures(renderer, redraw, kept)
            if notice is not None and printing:
                inputs = Inputs(everything="", shared="")  # WeasyPrint failed to start: the next build tries again
            used_markdown = {converter.key(text) for text in texts}
            published = self._draw_and_publish(renderer, routes, redraw, theme, extras, kept, used_markdown)
            self._last = LastBuild(inputs.shared, entries, shown, published.record)
            self._cache.record_build(self.output, inputs, problems.warnings, entries, shown, published.record)
        return BuildResult(
            pages=sum(1 for path in published.record if path.endswith(".html")),
            languages=len(site.config.languages),
            files=len(published.record),
            warnings=problems.warnings,
            seconds=time.perf_counter() - started,
            written=published.written,
            notices=(notice,) if notice else (),
        )

    def _last_build(self) -> LastBuild | None:
        if self._last is None and self._cache is not None:
            self._last = self._cache.last_build(self.output)
        return self._last

    def _inputs(self, changed: Collection[Path] | None, last: LastBuild | None, day: dt.date) -> Inputs:
        """Digests of what the build reads. Saves only of park and event files cannot change
        the rest, so then the rest is not read again."""
        if changed is not None and last is not None and all(self._is_entry_file(path) for path in changed):
            return Inputs(everything="", shared=last.shared)
        printer = self.printer()
        state = printer.identity if isinstance(printer, Printer) else f"cannot print: {printer}"
        settings = self.environment.fingerprint(day) | {"brochures": state}
        if self._cache is None:
            return read_inputs(self.root, settings)
        known = self._cache.input_digests()
        before = dict(known)
        inputs = read_inputs(self.root, settings, known)
        if known != before:
            self._cache.save_input_digests(known)
        return inputs

    def printer(self) -> Printer | BrochuresUnavailable:
        """How this machine prints brochures, or why it cannot; looked up once."""
        if self._printer is None:
            try:
                self._printer = find_printer()
            except BrochuresUnavailable as reason:
                self._printer = reason
        return self._printer

    def _brochures(
        self, renderer: Renderer, redraw: list[Route] | None, kept: list[str]
    ) -> tuple[list[Output], str | None]:
        """The QR codes and PDF brochures of the parks whose pages are drawn (and the alliance's
        with the map page), and a line saying why there are no PDFs when this machine cannot
        print them. Park pages link to the PDFs made here, so this comes before rendering them."""
        site = renderer.site
        parks, alliance = _drawn_parks(site, redraw)
        outputs = qr_outputs(site, parks, renderer.caches.qr_codes)
        if not site.config.brochures:
            return outputs, None
        printer = self.printer()
        if isinstance(printer, BrochuresUnavailable):
            return outputs, _cannot_print(printer)
        try:
            drawn = draw_brochures(renderer, printer, parks, alliance)
            pdfs = print_brochures(drawn, kept, self._brochure_folder)
        except ThemeError as error:
            raise SiteError(error.problems) from None
        except BrochuresUnavailable as reason:
            self._printer = reason
            return outputs, _cannot_print(reason)
        renderer.downloads.update({pdf.path: len(pdf.content or b"") for pdf in pdfs})
        return outputs + pdfs, None

    def _is_entry_file(self, path: Path) -> bool:
        try:
            parts = path.resolve().relative_to((self.root / "content").resolve()).parts
        except ValueError:
            return False
        return len(parts) == 2 and parts[0] in changes.OWN_KIND and parts[1].endswith(".md")

    def _render_caches(self, shared_changed: bool) -> RenderCaches:
        """Converted Markdown, maps and drawn parks, kept across runs; drawings of parks and
        compiled templates are dropped when a template, a UI string or a setting changed."""
        if self._caches is None:
            if self._cache is not None:
                self._caches = RenderCaches(
                    markdown=self._cache.markdown(),
                    map_shapes=self._cache.map_shapes(),
                    qr_codes=self._cache.qr_codes(),
                    search_spellings=SearchSpellings(self._cache.search_spellings()),
                )
            else:
                self._caches = RenderCaches()
        elif shared_changed:
            self._caches.forget_park_drawings()
            self._caches.forget_templates()
        return self._caches

    def finish(self) -> list[str]:
        """Write the brochures, downloads, feeds and search index of the preview's last run, and
        draw again the pages that link the brochures printed now. Returns notices to show."""
        if self._unfinished is None or self._last is None:
            return []
        unfinished, self._unfinished = self._unfinished, None
        renderer = unfinished.renderer
        brochures, notice = self._brochures(renderer, unfinished.redraw, unfinished.kept)
        late = renderer.data_outputs(unfinished.routes) + self._search_outputs(renderer.search_records())
        drawn = unfinished.routes if unfinished.redraw is None else unfinished.redraw
        linking = [route for route in drawn if route.kind in ("park", "map")]
        pages = renderer.render_routes(linking) if brochures else []
        record = self._last.written
        published = publish(
            late + brochures + pages,
            self.output,
            record,
            [path for path in record if path not in self._late_paths],
            in_place=True,
        )
        self._late_paths = {output.path for output in late}
        self._last = replace(self._last, written=published.record)
        if unfinished.redraw is None:
            del renderer, unfinished  # reference cycles: collect them rather than freeze them
            _settle_memory()
        return [notice] if notice else []

    def _draw_and_publish(
        self,
        renderer: Renderer,
        routes: list[Route],
        redraw: list[Route] | None,
        theme: Theme,
        extras: list[Output],
        kept: list[str],
        used_markdown: set[str],
    ) -> Published:
        """Draw the pages (only `redraw` of the routes when it is not None, on every core) with
        every download and feed, and swap them in with the search index. Pagefind indexes in
        its own processes meanwhile, and the pages are staged and the caches saved before
        waiting for it: at a thousand parks it takes longer than all the rest of an edit's build."""
        assert self._cache is not None
        last = self._last_build()
        records = renderer.search_records()
        rendering = PageRendering(renderer, routes if redraw is None else redraw)  # forks: before Pagefind's threads
        indexing = SearchIndexing(records, self._search_folder)
        try:
            with Staging(self.output, last.written if last else None, self._cache.spare_output) as staging:
                staging.add(self._pages(renderer, rendering, redraw is None, theme) + renderer.data_outputs(routes))
                staging.add(extras)
                staging.keep(kept)
                self._save_caches(used_markdown)
                staging.add(Output(path, data) for path, data in indexing.files())
                self._cache.forget_writes()  # the output is the last build's until the swap
                return staging.publish()
        finally:
            indexing.close()

    def _save_caches(self, used_markdown: set[str]) -> None:
        """What the next build may take from this one instead of working it out again."""
        assert self._cache is not None and self._caches is not None
        caches = self._caches
        self._cache.save_markdown(caches.markdown, used=used_markdown)
        self._cache.save_map_shapes(caches.map_shapes)
        self._cache.save_qr_codes(caches.qr_codes)
        spellings = caches.search_spellings
        self._cache.save_search_spellings({name: spellings.known[name] for name in spellings.used})
        if self._documents is not None and self._documents.changed:
            self._cache.save_documents(self._documents.as_data())

    def _draw_pages(
        self, renderer: Renderer, routes: list[Route], redraw: list[Route] | None, theme: Theme
    ) -> list[Output]:
        """The pages (only `redraw` of the routes when it is not None) and the files copied as they are."""
        return self._pages(
            renderer, PageRendering(renderer, routes if redraw is None else redraw), redraw is None, theme
        )

    def _pages(self, renderer: Renderer, rendering: PageRendering, everything: bool, theme: Theme) -> list[Output]:
        try:
            outputs = rendering.outputs()
            if everything:
                outputs.append(renderer.render_not_found())
        except ThemeError as error:
            raise SiteError(error.problems) from None
        copies = copied_outputs(theme.static_files(), "static/") + copied_outputs(renderer.site.media, "media/")
        return outputs + copies

    def _search_outputs(self, records: list[SearchRecord]) -> list[Output]:
        return [Output(path, data) for path, data in SearchIndexing(records, self._search_folder).files()]


def _cannot_print(reason: BrochuresUnavailable) -> str:
    return f"warning: no PDF brochures: {reason}; to make them: {INSTALL_HINT}"


def _drawn_parks(site: Site, redraw: list[Route] | None) -> tuple[list[Park], bool]:
    """The parks whose pages are drawn, and whether the map page is."""
    if redraw is None:
        return list(site.parks), True
    drawn = {(route.kind, route.slug) for route in redraw}
    return [park for park in site.parks if ("park", park.slug) in drawn], ("map", None) in drawn


def _brochure_files(site: Site, redraw: list[Route], printing: bool) -> list[str]:
    """The QR codes and brochures that parks whose pages are not drawn keep from the last build."""
    parks, alliance = _drawn_parks(site, redraw)
    drawn = {park.slug for park in parks}
    others = [park.slug for park in site.parks if park.slug not in drawn]
    files = [urls.qr_code_path(lang, slug) for slug in others for lang in site.config.languages]
    return files + (brochure_files(site, others, not alliance) if printing else [])


def _settle_memory() -> None:
    """Hide what a full build keeps (parsed files, checked fields, compiled templates, drawn
    snippets) from the cyclic garbage collector, which otherwise walks all of it every few
    saves of a preview, in the middle of a rebuild: 85 ms at 1,000 parks. Reference counting
    still frees these objects; collecting first means none of the build's own cycles is frozen."""
    gc.collect()
    gc.freeze()


def _body_texts(site: Site) -> list[str]:
    return [
        text
        for entry in (*site.parks, *site.events, *site.pages, *site.chains)
        for text in (entry.body.zh, entry.body.en)
        if text
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
    facts_changed = {
        entry
        for entry in changed
        if entry not in last.entries or entry not in entries or entries[entry][0] != last.entries[entry][0]
    }
    keys = changes.touched(facts_changed, last.shown, shown)
    keys |= {changes.own_route(entry) for entry in changed}
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


def build(
    root: Path,
    output: Path,
    strict: bool = False,
    today: dt.date | None = None,
    on_wait: Callable[[str], None] = lambda holder: None,
) -> BuildResult:
    """`sitegen build`: one run of the pipeline, skipped when nothing it reads has changed.
    `on_wait` is told who holds the lock when another build of the site is running."""
    with _seldom_collected():
        return Pipeline(root, output, strict, on_wait=on_wait).run(today=today)


@contextmanager
def _seldom_collected() -> Iterator[None]:
    """A build makes millions of objects and keeps most of them to its end (parsed files, the
    model, its caches); the cyclic collector's default, a pass every 700 of them, walks them
    over and over, a tenth of a second of a one-park edit at 1,000 parks. Reference counting
    frees nearly everything a build drops, so passes can be rare."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check(root: Path, strict: bool = False, today: dt.date | None = None) -> Problems:
    """Everything `build` checks, templates included, without writing a file."""
    site, theme, catalogue, problems = load_site(root, strict, today=today)
    markdown = BuildCache(root).markdown()
    try:
        renderer = Renderer(site, theme, catalogue, RenderCaches(markdown=markdown))
        renderer.render_site()
        if site.config.brochures:  # their templates too; rendering the HTML needs no font
            draw_brochures(renderer, Printer(family="sans-serif", identity=""), site.parks, alliance=True)
    except ThemeError as error:
        raise SiteError(error.problems) from None
    return problems
