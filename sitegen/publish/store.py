"""Where a build's output goes and what it remembers of the last one: on disk for `sitegen
build` (`DiskStore`), in memory for `sitegen serve` (`MemoryStore`).

The pipeline (sitegen.build) chooses a store once and never asks which it has. Both answer
the same questions: what the last build wrote, whether it is still up to date, how this
run's pages, brochures, downloads and search index are drawn and published, and what is
recorded for the next run.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path

from sitegen.content.model import Park, Site
from sitegen.content.sources import DocumentCache
from sitegen.content.theme import Theme
from sitegen.content.validate import EntryChecks
from sitegen.errors import Problem, SiteError
from sitegen.publish.cache import BuildCache, InputDigests
from sitegen.publish.lock import BuildLock
from sitegen.publish.output import (
    Published,
    Staging,
    WrittenFiles,
    copied_outputs,
    intact,
    publish,
    recover,
    write_in_place,
)
from sitegen.publish.plan import LastBuild, Plan
from sitegen.render import urls
from sitegen.render.brochures import (
    INSTALL_HINT,
    Brochure,
    BrochuresUnavailable,
    Printer,
    brochure_files,
    draw_brochures,
    kept_prints,
    print_brochures,
    qr_code_files,
    qr_outputs,
)
from sitegen.render.pages import Output, RenderCaches, Renderer, Route, ThemeError, data_paths
from sitegen.render.parallel import PageRendering
from sitegen.render.search import SearchIndexing, SearchRecord


@dataclass(frozen=True)
class Job:
    """One run's work, handed to a store to draw and publish."""

    renderer: Renderer
    theme: Theme
    plan: Plan
    printer: Printer | BrochuresUnavailable
    used_markdown: frozenset[str]

    @property
    def printing(self) -> bool:
        return self.renderer.site.config.brochures and isinstance(self.printer, Printer)


@dataclass(frozen=True)
class Outcome:
    """What a store published, and why brochures could not be printed when they could not."""

    published: Published
    unprintable: BrochuresUnavailable | None = None


class DiskStore:
    """`sitegen build`: one build of a site at a time (the lock), the last build's record and
    the caches in `.sitegen-cache/`, and a new site assembled in the one before it and swapped
    in whole, so a failed or killed build leaves the previous output as it was."""

    def __init__(self, root: Path, output: Path, on_wait: Callable[[str], None] = lambda holder: None) -> None:
        self.output = output
        self._cache = BuildCache(root)
        self._on_wait = on_wait
        self._last: LastBuild | None = None
        self._reading: tuple[DocumentCache, EntryChecks] | None = None
        self._input_digests: dict[str, list] | None = None
        self._caches: RenderCaches | None = None

    @contextmanager
    def session(self) -> Iterator[None]:
        """Held while a build reads the last record and writes the output."""
        with BuildLock(self._cache.folder, self._on_wait):
            recover(self.output)  # what a build killed while switching folders left
            yield

    def last_build(self) -> LastBuild | None:
        if self._last is None:
            self._last = self._cache.last_build(self.output)
        return self._last

    def input_digests(self) -> dict[str, list]:
        """Each input file's digest by its settled state, brought up to date by the caller."""
        if self._input_digests is None:
            self._input_digests = self._cache.input_digests()
        return self._input_digests

    def save_input_digests(self) -> None:
        self._cache.save_input_digests(self.input_digests())

    def up_to_date(self, inputs: InputDigests) -> list[Problem] | None:
        """The last build's warnings when it read exactly these inputs and its output is there."""
        return self._cache.up_to_date(self.output, inputs)

    def reading(self) -> tuple[DocumentCache, EntryChecks]:
        """The content files as the last build read and checked them."""
        if self._reading is None:
            self._reading = self._cache.reading()
        return self._reading

    def note_saves(self, saved: dict[str, set[str]] | None) -> None:
        """Which files of which collections were saved since the last run
        (`DocumentCache.note_saves`); a cache not read yet comes from disk knowing no saves, so
        its first load looks at every file."""
        if self._reading is not None:
            self._reading[0].note_saves(saved)

    def render_caches(self) -> RenderCaches:
        if self._caches is None:
            self._caches = self._cache.render_caches()
        return self._caches

    def still_written(self, paths: list[str]) -> bool:
        last = self.last_build()
        return last is not None and intact(self.output, last.written, paths)

    def publish(self, job: Job) -> Outcome:
        """Brochures first (park pages link them), then the pages on every core while Pagefind
        indexes in its own processes; the pages are staged and the caches saved before waiting
        for it, as indexing is the longest part of an edit's build."""
        extras, unprintable = brochure_outputs(job, self._cache.folder / "brochures", job.plan.parks, job.plan.alliance)
        last = self.last_build()
        rendering = PageRendering(job.renderer, job.plan.drawn)  # forks: before Pagefind's threads
        indexing = SearchIndexing(job.renderer.search_records(), self._cache.folder / "search")
        try:
            with Staging(self.output, last.written if last else None, self._cache.spare_output) as staging:
                staging.add(page_outputs(job, rendering, job.plan.everything))
                staging.add(copied_files(job))
                staging.add(_hosted_editor(job.renderer.site))
                if job.plan.facts_changed:  # else the plan keeps the last build's
                    staging.add(job.renderer.data_outputs(job.plan.routes))
                staging.add(extras)
                staging.keep(job.plan.kept)
                self._save_caches(job.used_markdown)
                staging.add(Output(path, data) for path, data in indexing.files())
                self._cache.forget_writes()  # the output is the last build's until the swap
                return Outcome(staging.publish(), unprintable)
        finally:
            rendering.close()
            indexing.close()

    def record(self, inputs: InputDigests, warnings: list[Problem], plan: Plan, published: Published) -> None:
        self._last = LastBuild(inputs.shared, plan.entries, plan.shown, published.record)
        self._cache.record_build(self.output, inputs, warnings, plan.entries, plan.shown, published.record)

    def complete(self) -> list[str]:
        """Nothing is left for later: a build publishes everything at once."""
        return []

    @property
    def pending(self) -> bool:
        return False

    def _save_caches(self, used_markdown: frozenset[str]) -> None:
        """What the next build may take from this one instead of working it out again."""
        self._cache.save_render_caches(self.render_caches(), used_markdown)
        if self._reading is not None and (self._reading[0].changed or self._reading[1].changed):
            self._cache.save_reading(*self._reading)


@dataclass
class _Owed:
    """What the preview's runs since the last late work that was published left for it: late
    work that failed, or that a run overtook, leaves its part to the next."""

    parks: set[str] = field(default_factory=set)
    """The parks whose QR codes and brochures are to be made again, by slug."""
    alliance: bool = False
    data: bool = False
    """Whether facts changed, so the downloads, feeds and sitemap are to be made again."""
    everything: bool = False
    """Whether a run drew every page: its pages say that the rest is coming (`pending`)."""

    def add(self, plan: Plan) -> None:
        self.parks |= {park.slug for park in plan.parks}
        self.alliance |= plan.alliance
        self.data |= plan.facts_changed
        self.everything |= plan.everything

    def merge(self, other: _Owed) -> None:
        self.parks |= other.parks
        self.alliance |= other.alliance
        self.data |= other.data
        self.everything |= other.everything


@dataclass(frozen=True)
class LateWork:
    """The brochures, downloads, feeds and search index that the preview's last runs owe, taken
    from the store with what they need drawn (`MemoryStore.take_late`), to be made while saves
    go on (`make_late`): everything drawn from templates is drawn while no run is under way."""

    job: Job
    """The last run's: what it drew is what the late files must match."""
    owed: _Owed
    runs: int
    """The runs published when it was taken: a later run makes what it made out of date."""
    brochures: BrochureDrafts
    written: WrittenFiles = field(default_factory=dict)
    """The late files as `make_late` wrote them into the preview's folder, for its record."""


@dataclass(frozen=True)
class LateFiles:
    """What `MemoryStore.make_late` made, for `publish_late`."""

    data: list[Output]
    """The downloads, feeds and sitemap, when facts changed."""
    search: list[Output]
    printed: list[Output]
    """The QR codes and brochures."""
    unprintable: BrochuresUnavailable | None


class MemoryStore:
    """`sitegen serve`: the preview's private folder, written in place, and the last build in
    memory. The pages a save touches are published at once; the brochures, downloads, feeds
    and search index follow in `complete`, which the preview calls once the browser has
    reloaded: nobody reads those in the second after a save."""

    def __init__(self, output: Path, kept: BuildCache | None = None) -> None:
        """`kept`: the cache folder of the site, whose files as read and checked, Markdown, maps
        and spellings the first run starts from (left by a build, or by an earlier preview), and
        where the preview leaves its own when it stops (`leave_caches`)."""
        self.output = output
        self._last: LastBuild | None = None
        self._kept = kept
        self._reading = kept.reading() if kept is not None else (DocumentCache(), EntryChecks())
        self._input_digests: dict[str, list] = kept.input_digests() if kept is not None else {}
        self._caches = kept.render_caches(compiled_templates=False) if kept is not None else RenderCaches()
        self._job: Job | None = None  # the last run's, while its late work is owed
        self._taken: LateWork | None = None  # late work being made
        self._runs = 0  # runs that published
        self._used_markdown: frozenset[str] | None = None  # the bodies of the last run that published
        self._late_paths: set[str] = set()  # what the last late work published wrote
        self._owed = _Owed()
        self._work = output.parent
        self._shown: frozenset[str] = frozenset()
        self._on_shown_written: Callable[[frozenset[str]], None] = lambda pages: None
        self._copied: list[str] = []  # the files the last run that drew every page copied

    @contextmanager
    def session(self) -> Iterator[None]:
        """The preview runs one build at a time itself."""
        yield

    def last_build(self) -> LastBuild | None:
        return self._last

    def input_digests(self) -> dict[str, list]:
        return self._input_digests

    def save_input_digests(self) -> None:
        """They live in memory."""

    def up_to_date(self, inputs: InputDigests) -> list[Problem] | None:
        """Never: the preview builds only when something was saved."""
        return None

    def reading(self) -> tuple[DocumentCache, EntryChecks]:
        """The content files as the last run read and checked them."""
        return self._reading

    def note_saves(self, saved: dict[str, set[str]] | None) -> None:
        self._reading[0].note_saves(saved)

    def render_caches(self) -> RenderCaches:
        return self._caches

    def still_written(self, paths: list[str]) -> bool:
        """Whether the last run's files are as it wrote them: in the preview's private folder,
        which nothing else writes, they are while the last run's record is whole. A write that
        failed half-way forgets the record (`_forgetting_on_failure`), so that every file is
        compared again; statting thousands of kept files on every save is not needed."""
        return self._last is not None

    def show_first(self, pages: frozenset[str], written: Callable[[frozenset[str]], None]) -> None:
        """The pages browsers show (output paths): the next runs draw and write those they draw
        before any other page, then call `written` with them, so that those browsers reload
        while the other pages are drawn (a facts save redraws lists, the map and the sectors'
        and city's pages besides the park's)."""
        self._shown, self._on_shown_written = pages, written

    def publish(self, job: Job) -> Outcome:
        """The pages now; a park's brochures, which its page links, keep their last files until
        `complete` prints them again. The theme's static files and the media are copied when
        every page is drawn: when only some are, the run's shared inputs, theirs among them,
        are as they were."""
        plan, last, site = job.plan, self._last, job.renderer.site
        copying = plan.everything or last is None
        copies = copied_files(job) if copying else []
        shown, others = _split_shown(plan.drawn, self._shown, site.config.languages)
        first = list(page_outputs(job, PageRendering(job.renderer, shown), not_found=False))
        rendering = PageRendering(job.renderer, others, keep_cards=True)
        drawn = chain(page_outputs(job, rendering, plan.everything), _hosted_editor(site))
        # The pages browsers show are written first, after the files they link (a stylesheet
        # just saved), and the browsers told. The other pages are drawn whole before the first
        # of them is written in place, so that a template error leaves them as they were; the
        # run then fails and forgets its record, as the shown pages are new: the next run
        # compares every file. Without a last run (the first, or after a failed write) there is
        # no preview to keep: the pages are written while others are drawn.
        written_first = frozenset(output.path for output in first) & self._shown
        shown_written = partial(self._on_shown_written, written_first) if written_first else _nothing
        outputs = _in_turn(copies + first, shown_written, drawn, whole=last is not None)
        self._owed.add(plan)
        owed = [park.slug for park in plan.parks]
        # A QR code is the same while its path is: it stays until `complete` writes it again.
        waiting = qr_code_files(site, owed) + (brochure_files(site, owed, plan.alliance) if job.printing else [])
        late = (*self._late_paths, *waiting)
        kept = plan.kept + [path for path in late if last is not None and path in last.written]
        if not copying:
            kept += self._copied
        self._job = job
        self._runs += 1
        with self._forgetting_on_failure(), closing(rendering):
            outcome = Outcome(publish(outputs, self.output, last.written if last else None, kept, in_place=True))
        if copying:
            self._copied = [output.path for output in copies]
        self._used_markdown = job.used_markdown
        return outcome

    @contextmanager
    def _forgetting_on_failure(self) -> Iterator[None]:
        """A write that fails half-way (a full disk) leaves files the record does not describe:
        the next run then draws every page and compares each file with what it holds."""
        try:
            yield
        except BaseException:
            self._last = None
            self._job = None
            raise

    def record(self, inputs: InputDigests, warnings: list[Problem], plan: Plan, published: Published) -> None:
        self._last = LastBuild(inputs.shared, plan.entries, plan.shown, published.record)

    @property
    def pending(self) -> bool:
        """Whether the brochures, downloads and search index of a run that drew every page (the
        first, or one after a save of settings or the theme) are still to come: its pages say
        so until they are there. Those of a save of entries follow a moment after the reload."""
        taken = self._taken  # read once: the late work's thread may let it go meanwhile
        return self._owed.everything or (taken is not None and taken.owed.everything)

    def complete(self) -> list[str]:
        """Make and publish the late work of the last runs at once (`take_late`, `make_late`,
        `publish_late`, `settle`). Returns notices to show."""
        late = self.take_late()
        if late is None:
            return []
        try:
            made = self.make_late(late)
        except BaseException:
            self.give_back(late, failed=True)
            raise
        notices = self.publish_late(late, made)
        everything = late.owed.everything
        del late, made  # reference cycles: collect them rather than freeze them
        if everything:
            self.settle()
        return notices or []

    def take_late(self) -> LateWork | None:
        """What the last runs owe, with the brochures drawn, taken to be made (`make_late`)
        without holding up the next run; None when nothing is owed, or no run has published
        since a write failed."""
        job = self._job
        if job is None or self._last is None:
            return None
        owed = self._owed
        parks = [park for park in job.renderer.site.parks if park.slug in owed.parks]
        try:
            brochures = drafted_brochures(job, self._work / "brochure-cache", parks, owed.alliance)
        except BaseException:
            owed.everything = False  # tried again after the next save, without the pages' promise
            raise
        late = LateWork(job, owed, self._runs, brochures)
        self._taken = late
        self._job, self._owed = None, _Owed()
        return late

    def make_late(self, late: LateWork) -> LateFiles:
        """The QR codes, the brochures printed (or found in the cache), the downloads and the
        search index, written into the preview's folder where they changed (`late.written`).
        Draws nothing from templates and writes only files that no run writes, so a run may
        draw and publish meanwhile: at a thousand parks, the first search index alone is
        thousands of new files, which a save would otherwise wait for."""
        job = late.job
        printed, unprintable = printed_brochures(job, late.brochures, self._work / "brochure-cache")
        # After body edits alone the downloads are as they were (see Plan.facts_changed).
        data = job.renderer.data_outputs(job.plan.routes) if late.owed.data else []
        search = search_outputs(job.renderer.search_records(), self._work / "search-cache")
        last = self._last  # a run may replace it meanwhile; none changes what it says of these files
        if last is not None and self._runs == late.runs:  # else it is owed again: nothing to show
            write_in_place([*data, *search, *printed], self.output, last.written, late.written)
        return LateFiles(data, search, printed, unprintable)

    def publish_late(self, late: LateWork, made: LateFiles) -> list[str] | None:
        """Draw the pages that link the brochures printed, and write everything; notices to
        show. None when a run published since the work was taken: its files would be out of
        date, so it is owed again with that run's."""
        self._note_written(late)
        if self._runs != late.runs or self._last is None:
            self.give_back(late)
            return None
        job, owed = late.job, late.owed
        linking = [
            route
            for route in job.plan.routes
            if (route.kind == "park" and route.slug in owed.parks) or (route.kind == "map" and owed.alliance)
        ]
        try:
            pages = job.renderer.render_routes(linking) if made.printed else []
        except BaseException as error:
            self.give_back(late, failed=True)
            if isinstance(error, ThemeError):
                raise SiteError(error.problems) from None
            raise
        self._taken = None
        data_kept = set() if made.data else set(data_paths(job.renderer.site))
        late_files = made.data + made.search
        record = self._last.written
        # `make_late` wrote the late files and the record holds them: only the pages are written
        # here, under the lock, and the late files of the last work that this one did not make
        # again are removed. (Every late file is written unless a run published meanwhile.)
        unwritten = [output for output in late_files + made.printed if output.path not in late.written]
        stale = self._late_paths - late.written.keys() - data_kept
        kept = [path for path in record if path not in stale]
        with self._forgetting_on_failure():  # the next run then makes everything again
            published = publish(unwritten + pages, self.output, record, kept, in_place=True)
        self._late_paths = {output.path for output in late_files} | data_kept
        self._last = replace(self._last, written=published.record)
        return [cannot_print(made.unprintable)] if made.unprintable is not None else []

    def give_back(self, late: LateWork, failed: bool = False) -> None:
        """Late work that a run overtook, or that `failed`: owed again, with what runs since
        owe. Failed work no longer holds the pages' promise that it is coming: it is tried
        again after the next save."""
        self._note_written(late)
        self._owed.merge(replace(late.owed, everything=late.owed.everything and not failed))
        self._taken = None
        if self._job is None and self._last is not None:
            self._job = late.job

    def _note_written(self, late: LateWork) -> None:
        """Add what `make_late` wrote, all of it or up to a failure, to the record of the
        folder; runs keep those paths as they keep the late work's own."""
        if self._last is not None and late.written:
            self._last = replace(self._last, written={**self._last.written, **late.written})
            self._late_paths |= late.written.keys()

    def settle(self) -> None:
        """After the late work of a run that drew every page, once nothing refers to it."""
        _settle_memory()

    def leave_caches(self) -> None:
        """When the preview stops: what the next `serve` or `build` of the site may start from,
        as the last run left it. Left out while a build holds the cache folder, and on a full
        disk; nothing when no run drew the site."""
        kept, used_markdown = self._kept, self._used_markdown
        if kept is None or used_markdown is None:
            return
        with suppress(OSError), BuildLock(kept.folder, holder="sitegen serve", wait=False) as lock:
            if lock.held:
                kept.save_render_caches(self._caches, used_markdown)
                kept.save_input_digests(self._input_digests)
                kept.save_reading(*self._reading)


def page_outputs(job: Job, rendering: PageRendering, not_found: bool) -> Iterator[Output]:
    """The pages as they are drawn, and with `not_found` the 404 page."""
    try:
        yield from rendering.outputs()
        if not_found:
            yield job.renderer.render_not_found()
    except ThemeError as error:
        raise SiteError(error.problems) from None


def copied_files(job: Job) -> list[Output]:
    """The files published as they are: the theme's static files and the media."""
    return [
        *copied_outputs(job.theme.static_files(), "static/"),
        *copied_outputs(job.renderer.site.media, "media/"),
    ]


def _split_shown(
    routes: list[Route], shown: frozenset[str], languages: tuple[str, ...]
) -> tuple[list[Route], list[Route]]:
    """The routes with a page among `shown` (output paths), and the others, in their order."""
    if not shown:
        return [], routes
    showing = [
        any(urls.output_file(urls.page_path(lang, route.kind, route.slug)) in shown for lang in languages)
        for route in routes
    ]
    return (
        [route for route, show in zip(routes, showing, strict=True) if show],
        [route for route, show in zip(routes, showing, strict=True) if not show],
    )


def _in_turn(first: list[Output], between: Callable[[], None], rest: Iterable[Output], whole: bool) -> Iterator[Output]:
    """`first`, then `between()` once the last of them is written (the consumer asks for the
    next output only then), then `rest`, drawn whole before any of it is written when `whole`."""
    yield from first
    between()
    yield from list(rest) if whole else rest


def _nothing() -> None:
    """Nobody to tell."""


def _hosted_editor(site: Site) -> list[Output]:
    """/admin/ when site.yaml asks for it; its module is loaded only then, as the preview
    starts without the editor's code."""
    if site.config.editor is None:
        return []
    from sitegen.render.cms_hosted import hosted_editor_outputs

    return hosted_editor_outputs(site)


def brochure_outputs(
    job: Job, keep: Path, parks: list[Park], alliance: bool
) -> tuple[list[Output], BrochuresUnavailable | None]:
    """The QR codes and PDF brochures of `parks` (those whose pages are drawn) and, with
    `alliance`, the alliance's, and why there are no PDFs when this machine cannot print them.
    Brochures whose pages are drawn only because the last output is gone, and whose PDFs the
    cache holds as that build published them, are neither drawn nor printed again."""
    return printed_brochures(job, drafted_brochures(job, keep, parks, alliance), keep)


@dataclass(frozen=True)
class BrochureDrafts:
    """The brochures drawn as HTML (`drafted_brochures`), to be printed with the QR codes of
    their parks (`printed_brochures`): the drawing uses the templates, the rest does not."""

    parks: list[Park]
    """Those whose QR codes are made."""
    drawn: list[Brochure]
    unchanged: dict[str, Path]
    """The PDFs taken from the cache as the last build published them, by path."""
    unprintable: BrochuresUnavailable | None = None


def drafted_brochures(job: Job, keep: Path, parks: list[Park], alliance: bool) -> BrochureDrafts:
    """The brochures of `parks` (with `alliance`, the alliance's) drawn as HTML, but for those
    whose PDFs the cache holds as the last build published them."""
    renderer, plan = job.renderer, job.plan
    site = renderer.site
    if not site.config.brochures:
        return BrochureDrafts(parks, [], {})
    if isinstance(job.printer, BrochuresUnavailable):
        return BrochureDrafts(parks, [], {}, job.printer)
    unchanged = kept_prints(
        keep, {path: (digest, size) for path, (digest, size, _) in plan.unchanged_brochures.items()}
    )
    to_draw = [park for park in parks if not _all_in(brochure_files(site, [park.slug], False), unchanged)]
    alliance = alliance and not _all_in(brochure_files(site, [], True), unchanged)
    drawing = set(brochure_files(site, [park.slug for park in to_draw], alliance))
    unchanged = {path: file for path, file in unchanged.items() if path not in drawing}
    try:
        drawn = draw_brochures(renderer, job.printer, to_draw, alliance)
    except ThemeError as error:
        raise SiteError(error.problems) from None
    return BrochureDrafts(parks, drawn, unchanged)


def printed_brochures(job: Job, drafts: BrochureDrafts, keep: Path) -> tuple[list[Output], BrochuresUnavailable | None]:
    """The QR codes and the PDFs of `drafts`, printed or taken from the cache `keep`, and why
    there are no PDFs when this machine cannot print them."""
    qr_codes = qr_outputs(job.renderer.site, drafts.parks, job.renderer.caches.qr_codes)
    if not job.renderer.site.config.brochures or drafts.unprintable is not None:
        return qr_codes, drafts.unprintable
    assert isinstance(job.printer, Printer)
    plan = job.plan
    try:
        pdfs = print_brochures(job.printer, drafts.drawn, [*plan.kept, *drafts.unchanged], keep)
    except BrochuresUnavailable as reason:
        return qr_codes, reason
    pdfs += [
        Output(path, copy_from=file, digest=plan.unchanged_brochures[path][0])
        for path, file in sorted(drafts.unchanged.items())
    ]
    job.renderer.downloads.update({pdf.path: pdf.copy_from.stat().st_size for pdf in pdfs if pdf.copy_from})
    return qr_codes + pdfs, None


def _all_in(paths: list[str], found: dict[str, Path]) -> bool:
    return all(path in found for path in paths)


def search_outputs(records: list[SearchRecord], keep: Path) -> list[Output]:
    return [Output(path, data) for path, data in SearchIndexing(records, keep).files()]


def cannot_print(reason: BrochuresUnavailable) -> str:
    return f"warning: no PDF brochures: {reason}; to make them: {INSTALL_HINT}"


def _settle_memory() -> None:
    """Hide what a full build keeps (parsed files, checked fields, compiled templates, drawn
    snippets) from the cyclic garbage collector, which otherwise walks all of it every few
    saves of a preview, in the middle of a rebuild. Reference counting still frees these
    objects; collecting first means none of the build's own cycles is frozen."""
    gc.collect()
    gc.freeze()
