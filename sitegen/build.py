"""The one build pipeline, for `build` and `serve`: inputs -> load -> plan -> render and
publish -> record.

`sitegen build` runs it once with a `DiskStore`, which keeps what the last build left in
`.sitegen-cache/`; `sitegen serve` keeps one `Pipeline` with a `MemoryStore` and runs it after
every save with the paths that changed. Either way the same code decides what changed
(sitegen.publish.plan), draws the pages that show it, refreshes the search index and writes
only files whose bytes changed.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sitegen.content.config import Environment, SiteConfig, load_catalogue, load_config
from sitegen.content.i18n import Catalogue
from sitegen.content.model import Chain, Event, Page, Park, Site
from sitegen.content.sources import DocumentCache, has_content_folder, load_sources
from sitegen.content.theme import Theme
from sitegen.content.validate import EntryChecks, validate_site
from sitegen.errors import Problem, Problems, SiteError, zh_en
from sitegen.publish import plan
from sitegen.publish.cache import BuildCache, InputDigests, read_inputs
from sitegen.publish.output import check_destination
from sitegen.publish.plan import LastBuild
from sitegen.publish.store import DiskStore, Job, MemoryStore, Outcome, cannot_print
from sitegen.render import urls
from sitegen.render.brochures import BrochuresUnavailable, Printer, draw_brochures, find_printer
from sitegen.render.markdown import BodiesAhead, Converter
from sitegen.render.pages import RenderCaches, Renderer, ThemeError
from sitegen.render.templates import compile_templates
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


Settings = tuple[SiteConfig | None, Theme, Catalogue]
"""The site files (None when they cannot be used), the theme and its UI strings."""


class KeptSettings:
    """The settings as read by the last run, with the problems found in them: read again only
    when something besides the entries changed (the `key`, a digest of every other input)."""

    def __init__(self) -> None:
        self._kept: tuple[str, Settings, list[Problem]] | None = None

    def read(self, key: str, root: Path, environment: Environment, problems: Problems) -> Settings:
        if self._kept is None or self._kept[0] != key:
            found = Problems()
            self._kept = (key, read_settings(root, environment, found), found.items)
        problems.items.extend(self._kept[2])
        return self._kept[1]


def read_settings(root: Path, environment: Environment, problems: Problems) -> Settings:
    """site.yaml, the sectors, cities and landing process, the theme and its UI strings."""
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
    return config, theme, catalogue


def load_site(
    root: Path,
    strict: bool,
    environment: Environment | None = None,
    today: dt.date | None = None,
    documents: DocumentCache | None = None,
    checks: EntryChecks | None = None,
    settings: Callable[[Problems], Settings] | None = None,
) -> tuple[Site, Theme, Catalogue, Problems]:
    """Read and check everything; raise SiteError with every problem if the site cannot be built.

    With `documents` and `checks`, files unchanged since the last call are neither read nor
    checked again; `settings`, when given, reads the settings (`read_settings`).
    """
    environment = environment or Environment.read()
    problems = Problems()
    if not has_content_folder(root, problems):
        raise SiteError(problems)
    day = today or environment.today(problems)
    config, theme, catalogue = (settings or partial(read_settings, root, environment))(problems)
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


class Pipeline:
    """The build, with what it keeps from one run to the next in its store: a `DiskStore` for
    `sitegen build`, a `MemoryStore` for the preview, which runs it after every save."""

    def __init__(self, root: Path, store: DiskStore | MemoryStore, strict: bool = False) -> None:
        self.root = root
        self.store = store
        self.output = store.output
        self.strict = strict
        self.environment = Environment.read()
        self.problems: Problems | None = None
        self._settings_kept = KeptSettings()
        self._caches: RenderCaches | None = None
        self._printer: Printer | BrochuresUnavailable | None = None
        self._failed = False  # the last run failed: what it read of the shared inputs is unknown

    def run(self, changed: Collection[Path] | None = None, today: dt.date | None = None) -> BuildResult:
        """Bring the output up to date; `changed`, when known, names the files saved since the
        last run (the preview), which spares reading every file to find out.

        Raises SiteError with every problem when the content or theme cannot be built; the
        output is then left as it was.
        """
        started = time.perf_counter()
        # Noted first, so that saves seen by a run that fails early are looked at by the next.
        self.store.note_saves(self._saved_files(changed))
        check_destination(self.output, self.root)
        self.problems = None
        try:
            with self.store.session(), _seldom_collected():
                result = self._run(changed, self._today(today), started)
        except BaseException as error:
            self._failed = True
            if isinstance(error, SiteError):
                self.problems = error.problems
            raise
        self._failed = False
        return result

    def complete(self) -> list[str]:
        """What the store left for after the browser reloaded (the preview's brochures,
        downloads and search index, owed by every run since it was last made); notices to show."""
        return self.store.complete()

    def _run(self, changed: Collection[Path] | None, day: dt.date, started: float) -> BuildResult:
        # inputs: what the build reads, and whether the last build read the same
        last = self.store.last_build()
        inputs = self._inputs(changed, last, day)
        warnings = self.store.up_to_date(inputs) if changed is None else None
        if warnings is not None:
            if self.strict and warnings:
                raise SiteError(Problems(warnings))
            return BuildResult(0, 0, 0, warnings, time.perf_counter() - started, up_to_date=True)
        # load: read and check everything, into the model
        caches = self._render_caches(shared_changed=last is None or last.shared != inputs.shared)
        settings = partial(self._settings_kept.read, f"{inputs.shared} {day}", self.root, self.environment)
        documents, checks = self.store.reading()
        ahead = self._bodies_ahead(caches) if last is None else None
        try:
            site, theme, catalogue, problems = load_site(
                self.root, self.strict, self.environment, day, documents, checks, settings
            )
            renderer, used_markdown = _renderer(site, theme, catalogue, caches, ahead)
        finally:
            if ahead is not None:
                ahead.close()  # before the pages' workers are forked
        # plan: which pages to draw and which files of the last build to keep
        printing = site.config.brochures and isinstance(self.printer(), Printer)
        build_plan = plan.plan_build(
            site, list(renderer.routes()), last, inputs.shared, printing, self.store.still_written, checks.digests
        )
        checks.changed |= build_plan.digested  # kept on disk with the entries they were made of
        # render and publish: the store draws the pages, brochures and search index and publishes them
        outcome = self.store.publish(Job(renderer, theme, build_plan, self.printer(), used_markdown))
        if outcome.unprintable is not None:
            self._printer = outcome.unprintable
            inputs = InputDigests(every_file="", shared="")  # the next build tries to print again
        # record: what the next run compares against
        self.store.record(inputs, problems.warnings, build_plan, outcome.published)
        return _result(site, problems, outcome, started)

    def _today(self, today: dt.date | None) -> dt.date:
        problems = Problems()
        day = today or self.environment.today(problems)
        if problems.errors:
            raise SiteError(problems)
        return day

    def _inputs(self, changed: Collection[Path] | None, last: LastBuild | None, day: dt.date) -> InputDigests:
        """Digests of what the build reads. Saves only of entry files (parks, events, chains,
        projects, sites, policies) cannot change the rest, so then the rest is not read again,
        and of the entry files only those of the collections saved in are looked at; unless the
        last run failed, as the theme or media files it was run for are not in the last record."""
        if self._saved_files(changed) is not None and last is not None and not self._failed:
            return InputDigests(every_file="", shared=last.shared)
        settings = self._settings(day)
        known = self.store.input_digests()
        before = dict(known)
        inputs = read_inputs(self.root, settings, known)
        if known != before:
            self.store.save_input_digests()
        return inputs

    def _settings(self, day: dt.date) -> dict[str, str]:
        """What besides the files can change the output: the environment, the day, the printer."""
        printer = self.printer()
        state = printer.identity if isinstance(printer, Printer) else f"cannot print: {printer}"
        return self.environment.fingerprint(day) | {"brochures": state}

    def is_current(self) -> bool | None:
        """Whether the output holds what a run would make now, found without writing anything
        (`deploy` refuses an outdated build); None when no complete build into it is recorded."""
        if self.store.last_build() is None:
            return None
        scratch = Problems()
        day = self.environment.today(scratch)
        if scratch.errors:
            return False
        inputs = read_inputs(self.root, self._settings(day), dict(self.store.input_digests()))
        return self.store.up_to_date(inputs) is not None

    def printer(self) -> Printer | BrochuresUnavailable:
        """How this machine prints brochures, or why it cannot; looked up once."""
        if self._printer is None:
            try:
                self._printer = find_printer()
            except BrochuresUnavailable as reason:
                self._printer = reason
        return self._printer

    def _saved_files(self, changed: Collection[Path] | None) -> dict[str, set[str]] | None:
        """The names of the saved files by collection when each is an entry file; None otherwise."""
        if changed is None:
            return None
        saved: dict[str, set[str]] = {}
        for path in changed:
            collection = self._entry_collection(path)
            if collection is None:
                return None
            saved.setdefault(collection, set()).add(path.name)
        return saved

    def _entry_collection(self, path: Path) -> str | None:
        """The collection of an entry file (content/parks/x.md); None for any other path."""
        try:
            parts = path.resolve().relative_to((self.root / "content").resolve()).parts
        except ValueError:
            return None
        return parts[0] if len(parts) == 2 and parts[0] in plan.FOLLOWED and parts[1].endswith(".md") else None

    def _bodies_ahead(self, caches: RenderCaches) -> BodiesAhead | None:
        """A first build with no Markdown converted yet converts the bodies on the other cores
        while this process reads and checks the content (sitegen.render.markdown.BodiesAhead)."""
        if caches.markdown:
            return None
        config = load_config(self.root, Problems(), self.environment)  # its problems are reported by the load
        if config is None:
            return None
        return BodiesAhead.start((self.root / "content" / name for name in _WITH_BODIES), config.allow_raw_html)

    def _render_caches(self, shared_changed: bool) -> RenderCaches:
        """Converted Markdown, maps and drawn parks, kept across runs; drawings of parks and
        compiled templates are dropped when a template, a UI string or a setting changed."""
        if self._caches is None:
            self._caches = self.store.render_caches()
        elif shared_changed:
            self._caches.forget_drawings()
            self._caches.forget_templates()
        return self._caches


_WITH_BODIES = ("parks", "events", "pages", "chains")
"""The collections whose entries have a Markdown body."""


def _renderer(
    site: Site, theme: Theme, catalogue: Catalogue, caches: RenderCaches, ahead: BodiesAhead | None
) -> tuple[Renderer, frozenset[str]]:
    """The renderer of this site, with every body converted; and the keys of the bodies used,
    so the kept Markdown holds no text edited away."""
    with_bodies: tuple[Park | Event | Page | Chain, ...] = (*site.parks, *site.events, *site.pages, *site.chains)
    texts = [text for entry in with_bodies for text in (entry.body.zh, entry.body.en) if text]
    converter = Converter(site.config.allow_raw_html, caches.markdown, caches.markdown_keys)
    converter.convert_all(texts, meanwhile=partial(compile_templates, caches.environment(theme)), ahead=ahead)
    return Renderer(site, theme, catalogue, caches), frozenset(converter.key(text) for text in texts)


def _result(site: Site, problems: Problems, outcome: Outcome, started: float) -> BuildResult:
    published = outcome.published
    return BuildResult(
        pages=sum(1 for path in published.record if path.endswith(".html")),
        languages=len(site.config.languages),
        files=len(published.record),
        warnings=problems.warnings,
        seconds=time.perf_counter() - started,
        written=published.written,
        notices=(cannot_print(outcome.unprintable),) if outcome.unprintable else (),
    )


def build(
    root: Path,
    output: Path,
    strict: bool = False,
    today: dt.date | None = None,
    on_wait: Callable[[str], None] = lambda holder: None,
) -> BuildResult:
    """`sitegen build`: one run of the pipeline, skipped when nothing it reads has changed.
    `on_wait` is told who holds the lock when another build of the site is running."""
    return Pipeline(root, DiskStore(root, output, on_wait), strict).run(today=today)


@contextmanager
def _seldom_collected() -> Iterator[None]:
    """A build makes millions of objects and keeps most of them to its end (parsed files, the
    model, its caches); the cyclic collector's default, a pass every 700 of them, walks them
    over and over, a measurable part of a one-park edit. Reference counting frees nearly
    everything a build drops, so passes can be rare; the preview collects between saves."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check(
    root: Path, strict: bool = False, today: dt.date | None = None, edited: Collection[plan.Entry] | None = None
) -> Problems:
    """Everything `build` checks, templates included, without writing a file. With `edited`
    (the editor's save), only the pages that show those entries are drawn, as a build after
    that edit would draw them (sitegen.publish.plan decides which)."""
    site, theme, catalogue, problems = load_site(root, strict, today=today)
    markdown = BuildCache(root).markdown()  # read only: `check` writes nothing
    try:
        renderer = Renderer(site, theme, catalogue, RenderCaches(markdown=markdown))
        if edited is None:
            renderer.render_site()
            parks, alliance = list(site.parks), True
        else:
            shown = plan.touched(edited, plan.showing_facts(site))
            drawn = [route for route in renderer.routes() if (route.kind, route.slug) in shown]
            renderer.render_routes(drawn)
            parks, alliance = plan.drawn_parks(site, drawn)
        if site.config.brochures:  # their templates too; rendering the HTML needs no font
            draw_brochures(renderer, Printer(family="sans-serif", identity=""), parks, alliance)
    except ThemeError as error:
        raise SiteError(error.problems) from None
    return problems
